"""Writes a 7B-model-sized MLP projection for the one-layer memory benchmark (README, "One layer of
a large model"): W [OUT, IN] float16 (nn.Linear layout) with a bias, and calibration inputs
[ROWS, IN] float16 with heavy tails (Student t, 3 degrees of freedom), into DIR. The tensors are
named PREFIX.weight and PREFIX.bias (PREFIX mlp.up_proj, or e.g. mlp.down_proj for [4096, 11008]).
    /usr/bin/python3 scripts/bench-layer-data.py DIR [OUT IN ROWS [PREFIX]]
"""

import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "fixtures"))
from safetensors_io import save_file  # noqa: E402

out_dir = sys.argv[1]
OUT, IN, ROWS = (int(v) for v in (sys.argv[2:5] if len(sys.argv) >= 5 else (11008, 4096, 2048)))
PREFIX = sys.argv[5] if len(sys.argv) >= 6 else "mlp.up_proj"
g = torch.Generator().manual_seed(0)
w = (torch.randn(OUT, IN, generator=g) * IN**-0.5).half()
b = (torch.randn(OUT, generator=g) * 0.01).half()
save_file({f"{PREFIX}.weight": w, f"{PREFIX}.bias": b}, os.path.join(out_dir, "layer.safetensors"))
x = np.random.default_rng(0).standard_t(3, size=(ROWS, IN)).astype(np.float16)
np.save(os.path.join(out_dir, "inputs.npy"), x)
print(f"W [{OUT}, {IN}] float16 and inputs [{ROWS}, {IN}] float16 written to {out_dir}")
