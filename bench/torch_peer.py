"""PyTorch timings for bench/run.ts: the peer that widen's numbers are compared with.

Run with Debian's interpreter (the pyenv `python3` on PATH cannot see python3-torch):

    /usr/bin/python3 bench/torch_peer.py '{"cases": ["train"], "threads": [1]}'
    echo '{}' | /usr/bin/python3 bench/torch_peer.py

The spec (JSON on argv[1], else on stdin; every key optional, defaults in DEFAULTS) names the
cases, thread counts, MLP sizes, sparsities, batches and repetitions. Prints ONE JSON line:
{"torch": ..., "blas": ..., "cases": [{"case", "sparsity", "batch", "threads", "ms", "cpu_ms", "runs"}]}.

Masked training follows the usual PyTorch recipe, the one the engine study timed: weights stay
dense; after backward the weight gradients are multiplied by the mask, Adam steps, and the weights
are multiplied by the mask again (Adam's moments would otherwise move pruned weights). Biases are
never masked. At sparsity 0 no mask is applied at all. Each mask keeps exactly
round(density * numel) weights, chosen uniformly, as widen's masks do. The timed region of a
train step is zero_grad + forward + loss + backward + grad masking + Adam step + re-masking, on
the same batch every step. Inference is forward only under torch.no_grad() with pre-masked
weights. GEMM is torch.mm(a, b, out=c) on n x n float32 matrices.
"""

import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

DEFAULTS = {
    "cases": ["train", "infer", "gemm"],
    "threads": [1, 2],
    "sizes": [512, 2048, 2048, 10],
    "sparsities": [0.0, 0.5, 0.75, 0.9],
    "train_batch": 256,
    "infer_batches": [1, 256],
    "gemm_n": 1024,
    "seed": 1234,
    # [warm-up, timed] runs per case; batch-1 inference is short and noisy, so it gets more
    "reps": {"train": [3, 15], "infer": [3, 20], "infer_b1": [20, 200], "gemm": [3, 15]},
}


def median_ms(fn, warmup, runs):
    """Medians of fn()'s wall time and of this process's CPU time (all its threads) in milliseconds
    over `runs` calls, after `warmup` untimed calls: (wall, cpu). CPU time is what a busy machine
    distorts least."""
    for _ in range(warmup):
        fn()
    times = []
    cpu = []
    for _ in range(runs):
        c0 = time.process_time_ns()
        t0 = time.perf_counter_ns()
        fn()
        times.append((time.perf_counter_ns() - t0) / 1e6)
        cpu.append((time.process_time_ns() - c0) / 1e6)
    return statistics.median(times), statistics.median(cpu)


def make_model(sizes, sparsity, gen):
    """Linear layers of `sizes` with default init and one fixed random mask per weight (None when dense)."""
    layers, masks = [], []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        layer = torch.nn.Linear(fan_in, fan_out)
        mask = None
        if sparsity > 0:
            numel = fan_in * fan_out
            keep = round((1 - sparsity) * numel)
            flat = torch.zeros(numel)
            flat[torch.randperm(numel, generator=gen)[:keep]] = 1
            mask = flat.view(fan_out, fan_in)
            with torch.no_grad():
                layer.weight.mul_(mask)
        layers.append(layer)
        masks.append(mask)
    return layers, masks


def forward(layers, x):
    """ReLU between layers, none after the last (logits)."""
    for i, layer in enumerate(layers):
        x = layer(x)
        if i < len(layers) - 1:
            x = F.relu(x)
    return x


def time_train(spec, sparsity, gen, reps):
    sizes, batch = spec["sizes"], spec["train_batch"]
    layers, masks = make_model(sizes, sparsity, gen)
    params = [p for layer in layers for p in layer.parameters()]
    opt = torch.optim.Adam(params, lr=1e-3)
    x = torch.randn(batch, sizes[0], generator=gen)
    y = torch.randint(0, sizes[-1], (batch,), generator=gen)
    pairs = [(layer.weight, m) for layer, m in zip(layers, masks) if m is not None]

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(forward(layers, x), y)
        loss.backward()
        for w, m in pairs:
            w.grad.mul_(m)
        opt.step()
        with torch.no_grad():
            for w, m in pairs:
                w.mul_(m)

    return median_ms(step, *reps)


def time_infer(spec, sparsity, batch, gen, reps):
    sizes = spec["sizes"]
    layers, _ = make_model(sizes, sparsity, gen)
    x = torch.randn(batch, sizes[0], generator=gen)

    def run():
        with torch.no_grad():
            forward(layers, x)

    return median_ms(run, *reps)


def time_gemm(n, gen, reps):
    a = torch.randn(n, n, generator=gen)
    b = torch.randn(n, n, generator=gen)
    c = torch.empty(n, n)
    return median_ms(lambda: torch.mm(a, b, out=c), *reps)


def run(spec):
    gen = torch.Generator().manual_seed(spec["seed"])
    reps = spec["reps"]
    out = []
    for threads in spec["threads"]:
        torch.set_num_threads(threads)

        def add(case, sparsity, batch, timed, runs):
            ms, cpu_ms = timed
            out.append(
                {"case": case, "sparsity": sparsity, "batch": batch, "threads": threads, "ms": ms, "cpu_ms": cpu_ms, "runs": runs}
            )

        if "train" in spec["cases"]:
            for s in spec["sparsities"]:
                add("train", s, spec["train_batch"], time_train(spec, s, gen, reps["train"]), reps["train"][1])
        if "infer" in spec["cases"]:
            for s in spec["sparsities"]:
                for b in spec["infer_batches"]:
                    r = reps["infer_b1"] if b == 1 else reps["infer"]
                    add("infer", s, b, time_infer(spec, s, b, gen, r), r[1])
        if "gemm" in spec["cases"]:
            n = spec["gemm_n"]
            add("gemm", 0.0, n, time_gemm(n, gen, reps["gemm"]), reps["gemm"][1])
    return out


def read_spec():
    text = sys.argv[1] if len(sys.argv) > 1 else sys.stdin.read()
    given = json.loads(text or "{}")
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise SystemExit(f"torch_peer: unknown spec keys {unknown}; known: {sorted(DEFAULTS)}")
    spec = {**DEFAULTS, **given}
    spec["reps"] = {**DEFAULTS["reps"], **given.get("reps", {})}
    return spec


def main():
    spec = read_spec()
    torch.set_num_interop_threads(1)
    cases = run(spec)
    blas = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    print(json.dumps({"torch": torch.__version__, "blas": blas, "cases": cases}))


if __name__ == "__main__":
    main()
