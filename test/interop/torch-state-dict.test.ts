import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CheckpointError,
  decodeSafetensors,
  encodeSafetensors,
  entryToF32,
  evaluate,
  fit,
  importTorch,
  type SafetensorsFile,
  ShapeError,
  splitNeurons,
  torchStateDict,
} from '../../src/index.js';
import { exportModelFile, importTorchFile, readSafetensors } from '../../src/node/index.js';

// fixtures: scripts/fixtures/make_interop_fixture.py (PyTorch 1.13 models and their logits)
const dir = new URL('../fixtures/interop/', import.meta.url).pathname;
const io = readSafetensors(join(dir, 'torch-mlp-io.safetensors'));
const tensor = (f: SafetensorsFile, name: string) => entryToF32(f.tensors.get(name)!, name, 'fixture');
const x = tensor(io, 'x');

function maxDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe('importTorch on PyTorch state dicts', () => {
  it("gives PyTorch's logits within 1e-6, masks = the non-zero pattern", () => {
    const { model, names } = importTorchFile(join(dir, 'torch-mlp.safetensors'), { activation: 'gelu' });
    assert.deepEqual(names, ['0', '2', '4']);
    assert.ok(maxDiff(model.predict(x, 8), tensor(io, 'logits')) < 1e-6);
    const w0 = model.layers[0].weight();
    assert.deepEqual(
      Array.from(model.layers[0].mask()),
      Array.from(w0, (v) => (v !== 0 ? 1 : 0)),
    );
    assert.ok(model.layers[0].nnz < 12 * 16 * 0.7, 'about half of the first layer was zeroed in PyTorch');
    model.dispose();
  });

  it('--dense keeps every weight: all-ones masks, the same logits', () => {
    const { model } = importTorchFile(join(dir, 'torch-mlp.safetensors'), { activation: 'gelu', dense: true });
    assert.equal(model.nnz(), 12 * 16 + 16 * 16 + 16 * 4);
    assert.ok(maxDiff(model.predict(x, 8), tensor(io, 'logits')) < 1e-6);
    model.dispose();
  });

  it("reads torch.nn.utils.prune's weight_orig x weight_mask as weight and mask", () => {
    const { model } = importTorchFile(join(dir, 'torch-mlp-pruned.safetensors'), { arch: '12-16-16-4 gelu' });
    assert.equal(model.layers[1].nnz, 128, 'l1_unstructured(amount=0.5) kept 128 of 256');
    assert.ok(maxDiff(model.predict(x, 8), tensor(io, 'logits_pruned')) < 1e-6);
    model.dispose();
  });

  it('converts a bfloat16 state dict to float32 exactly', () => {
    const { model } = importTorchFile(join(dir, 'torch-mlp-bf16.safetensors'), { activation: 'gelu' });
    assert.ok(maxDiff(model.predict(x, 8), tensor(io, 'logits_bf16')) < 1e-6);
    model.dispose();
  });
});

describe('torchStateDict (widen export --format torch) loads into PyTorch', () => {
  const imported = importTorchFile(join(dir, 'torch-mlp.safetensors'), { activation: 'gelu' }).model;
  const out = mkdtempSync(join(tmpdir(), 'widen-torch-'));
  const logits = readSafetensors(join(dir, 'widen-export-logits.safetensors'));

  for (const [file, masks, key] of [
    ['widen-export.torch.safetensors', false, 'logits'],
    ['widen-export-masks.torch.safetensors', true, 'logits_masks'],
  ] as const) {
    it(`${file}: widen writes the committed bytes, and PyTorch's load_state_dict(strict=True) of them gives widen's logits within 1e-6`, () => {
      const path = join(out, file);
      exportModelFile(imported, path, 'torch', { masks });
      assert.deepEqual(readFileSync(path), readFileSync(join(dir, file)), 'the export changed: rerun make_interop_fixture.py');
      assert.ok(maxDiff(imported.predict(x, 8), tensor(logits, key)) < 1e-6);
    });
  }

  it('round trip: an exported model imports back to the same weights and masks', () => {
    for (const masks of [false, true]) {
      const file = decodeSafetensors(encodeSafetensors(torchStateDict(imported, { masks }), { activation: 'gelu' }));
      const back = importTorch(file).model;
      back.layers.forEach((l, i) => {
        assert.deepEqual(l.weight(), imported.layers[i].weight());
        assert.deepEqual(l.mask(), imported.layers[i].mask());
      });
      back.dispose();
    }
  });

  it('runs the committed export through PyTorch when python3 has torch (else says why it skips)', (t) => {
    const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
    if (probe.status !== 0) return t.skip('/usr/bin/python3 cannot import torch; the committed logits fixture covers this direction');
    const script = `
import sys; sys.path.insert(0, 'scripts/fixtures')
import torch
from safetensors_io import load_file
seq = torch.nn.Sequential(torch.nn.Linear(12, 16), torch.nn.GELU(), torch.nn.Linear(16, 16), torch.nn.GELU(), torch.nn.Linear(16, 4))
seq.load_state_dict(load_file('${join(dir, 'widen-export.torch.safetensors')}'), strict=True)
x = load_file('${join(dir, 'torch-mlp-io.safetensors')}')['x']
print(' '.join(repr(v) for v in seq(x).detach().reshape(-1).tolist()))`;
    const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const torchLogits = Float32Array.from(r.stdout.trim().split(' ').map(Number));
    assert.ok(maxDiff(imported.predict(x, 8), torchLogits) < 1e-6);
  });
});

describe('an imported PyTorch MLP is an ordinary widen MLP', () => {
  it('FPE splits it at its non-zero count, and the split network trains', () => {
    const { model } = importTorchFile(join(dir, 'torch-mlp.safetensors'), { activation: 'gelu' });
    const { model: wide } = splitNeurons(model, { alpha: 2, seed: 1 });
    assert.deepEqual(
      wide.layers.map((l) => l.outFeatures),
      [32, 32, 4],
    );
    assert.equal(wide.nnz(), model.nnz());
    const y = Int32Array.from({ length: 8 }, (_, i) => i % 4);
    const before = evaluate(wide, { x, y, size: 8 }, 'cross-entropy').loss;
    fit(wide, { x, y, size: 8 }, { epochs: 20, batchSize: 8, optimizer: { kind: 'adam', lr: 1e-2 }, loss: 'cross-entropy' });
    assert.ok(evaluate(wide, { x, y, size: 8 }, 'cross-entropy').loss < before);
    model.dispose();
    wide.dispose();
  });
});

describe('importTorch refuses what it cannot read', () => {
  const file = readSafetensors(join(dir, 'torch-mlp.safetensors'));
  it('a missing layer name lists the names present', () => {
    assert.throws(
      () => importTorch(file, { layers: ['fc1'], activation: 'relu', source: 'm.safetensors' }),
      (e: Error) => e instanceof CheckpointError && /no tensor named 'fc1\.weight'; the file has '0\.weight', '0\.bias'/.test(e.message),
    );
  });
  it('shapes that do not chain are a ShapeError', () => {
    const bad = decodeSafetensors(
      encodeSafetensors({
        '0.weight': { dtype: 'F32', shape: [3, 2], data: new Float32Array(6) },
        '2.weight': { dtype: 'F32', shape: [4, 5], data: new Float32Array(20) },
      }),
    );
    assert.throws(
      () => importTorch(bad, { activation: 'relu' }),
      (e: Error) => e instanceof ShapeError && /shapes do not chain: '2\.weight' takes 5 inputs but '0' gives 3 outputs/.test(e.message),
    );
  });
  it('an unsupported dtype lists the supported ones', () => {
    const ints = decodeSafetensors(encodeSafetensors({ '0.weight': { dtype: 'I32', shape: [2, 2], data: new Int32Array(4) } }));
    assert.throws(
      () => importTorch(ints, { activation: 'relu' }),
      (e: Error) => e instanceof CheckpointError && /dtype I32; widen reads weights and inputs as F32, F16, BF16, F64/.test(e.message),
    );
  });
  it('no activation stated is refused with the flag to give', () => {
    assert.throws(
      () => importTorch(file),
      (e: Error) => e instanceof CheckpointError && /--activation relu\|gelu/.test(e.message),
    );
  });
  it('--arch that disagrees with the tensors is a ShapeError', () => {
    assert.throws(
      () => importTorch(file, { arch: '12-32-16-4 gelu' }),
      (e: Error) => e instanceof ShapeError && /tensors give the architecture 12-16-16-4, --arch says 12-32-16-4/.test(e.message),
    );
  });
  it('tensors of other modules (a LayerNorm, a skipped layer) are refused, not dropped', () => {
    assert.throws(
      () => importTorch(file, { layers: ['0', '4'], activation: 'relu', source: 'm.safetensors' }),
      (e: Error) => e instanceof CheckpointError && /tensor\(s\) '2\.weight', '2\.bias' belong to no imported layer/.test(e.message),
    );
  });
});
