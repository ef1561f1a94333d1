import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { decodeNpz, entryToF32, evaluate, resolveTrainConfig } from '../../src/index.js';
import { importTorchFile, loadCheckpoint, loadTrainTask, readSafetensors } from '../../src/node/index.js';
import { widen } from './helpers.js';

// PyTorch fixtures: scripts/fixtures/make_interop_fixture.py
const fixtures = new URL('../fixtures/interop/', import.meta.url).pathname;
const torchMlp = join(fixtures, 'torch-mlp.safetensors');
const gpt2 = join(fixtures, 'gpt2-block.safetensors');
const dir = mkdtempSync(join(tmpdir(), 'widen-interop-e2e-'));
const config = join(dir, 'task.json');
writeFileSync(
  config,
  JSON.stringify({
    task: { kind: 'blobs', features: 12, classes: 4, trainSize: 256, testSize: 128 },
    model: { hidden: [16, 16], activation: 'gelu' },
    epochs: 1,
  }),
);
const ckpt = join(dir, 'mlp.widen.safetensors');

test('import -> eval, prune and train --resume work on a PyTorch MLP', async () => {
  const imp = widen('import', torchMlp, '--activation', 'gelu', '--config', config, '-o', ckpt, '--json');
  assert.equal(imp.code, 0, imp.stderr);
  assert.deepEqual(imp.json().sizes, [12, 16, 16, 4]);

  // eval runs the imported weights: its accuracy is the PyTorch model's on the task's test set
  const ev = widen('eval', ckpt, '--json');
  assert.equal(ev.code, 0, ev.stderr);
  const { model } = importTorchFile(torchMlp, { activation: 'gelu' });
  const { test: testSet } = await loadTrainTask(resolveTrainConfig(JSON.parse(readFileSync(config, 'utf8'))).task);
  assert.equal(ev.json().test_accuracy, evaluate(model, testSet, 'cross-entropy').accuracy);
  model.dispose();

  const pr = widen('prune', ckpt, '--sparsity', '0.5', '--calibration', '64', '-o', join(dir, 'pruned.safetensors'), '--json');
  assert.equal(pr.code, 0, pr.stderr);
  // existing zeros (here the PyTorch ones) count towards each layer's 50%
  const kept = loadCheckpoint(ckpt).model.layers.reduce((t, l) => {
    const size = l.inFeatures * l.outFeatures;
    return t + Math.min(l.nnz, size - Math.round(0.5 * size));
  }, 0);
  assert.equal(pr.json().nnz_after, kept);

  const tr = widen('train', '-c', config, '--resume', ckpt, '--epochs', '2', '-o', join(dir, 'trained.safetensors'), '--json');
  assert.equal(tr.code, 0, tr.stderr);
  const trained = loadCheckpoint(join(dir, 'trained.safetensors'));
  assert.equal((trained.config as { epochsDone: number }).epochsDone, 2);
  assert.notDeepEqual(trained.model.layers[0].weight(), loadCheckpoint(ckpt).model.layers[0].weight(), 'training moved the weights');
  // the PyTorch zeros are the mask: training keeps them zero
  const mask = loadCheckpoint(ckpt).model.layers[0].mask();
  assert.deepEqual(trained.model.layers[0].mask(), mask);
});

test('export --format onnx | npz | torch', async () => {
  if (!existsSync(ckpt)) assert.equal(widen('import', torchMlp, '--activation', 'gelu', '-o', ckpt).code, 0);
  const model = loadCheckpoint(ckpt).model;
  const x = Float32Array.from({ length: 5 * 12 }, (_, i) => Math.sin(i));
  const onnx = widen('export', ckpt, '--format', 'onnx', '-o', join(dir, 'm.onnx'));
  assert.equal(onnx.code, 0, onnx.stderr);
  const session = await ort.InferenceSession.create(join(dir, 'm.onnx'));
  const r = await session.run({ input: new ort.Tensor('float32', x, [5, 12]) });
  const want = model.predict(x, 5);
  const got = r.logits.data as Float32Array;
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-5);

  assert.equal(widen('export', ckpt, '--format', 'npz', '-o', join(dir, 'm.npz')).code, 0);
  const npz = decodeNpz(readFileSync(join(dir, 'm.npz')));
  assert.deepEqual([...npz.keys()].slice(0, 3), ['layers.0.weight', 'layers.0.mask', 'layers.0.bias']);
  assert.deepEqual(npz.get('layers.1.weight')!.data, model.layers[1].weight());
  assert.deepEqual(npz.get('layers.1.weight')!.shape, [16, 16]);

  assert.equal(widen('export', ckpt, '--format', 'torch', '--masks', '-o', join(dir, 'm.torch.safetensors')).code, 0);
  const names = [...readSafetensors(join(dir, 'm.torch.safetensors')).tensors.keys()];
  assert.deepEqual(names.slice(0, 3), ['0.weight_orig', '0.weight_mask', '0.bias']);
  model.dispose();
});

test('sparse-expand a checkpoint, then export the expanded model as ONNX (and refuse it as torch)', () => {
  const expanded = join(dir, 'mlp.expanded.safetensors');
  const se = widen(
    'sparse-expand',
    ckpt,
    '--k',
    '2',
    '--sparsity',
    '0.5',
    '--pruner',
    'wanda',
    '--reduce',
    '2',
    '--calibration',
    '64',
    '-o',
    expanded,
  );
  assert.equal(se.code, 0, se.stderr);
  assert.equal(widen('export', expanded, '--format', 'onnx', '-o', join(dir, 'expanded.onnx')).code, 0);
  const bad = widen('export', expanded, '--format', 'torch', '-o', join(dir, 'expanded.torch.safetensors'));
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /a Sparse Expansion model cannot be exported as torch.*--format onnx/);
  assert.ok(!existsSync(join(dir, 'expanded.torch.safetensors')));
});

test('prune, sparse-expand and neurons on one float16 layer of a PyTorch GPT-2 block', () => {
  const layer = `${gpt2}:h.0.mlp.c_fc.weight`;
  const inputs = `${gpt2}:x`;
  const out = join(dir, 'c_fc.pruned.safetensors');
  const pr = widen('prune', '--layer', layer, '--bias', 'h.0.mlp.c_fc.bias', '--inputs', inputs, '--nm', '2:4', '-o', out, '--json');
  assert.equal(pr.code, 0, pr.stderr);
  const s = pr.json() as { nnz_after: number; held_out_rows: number; held_out_relative_error: number; dtype: string };
  assert.deepEqual([s.nnz_after, s.held_out_rows, s.dtype], [(3072 * 768) / 2, 64, 'F16']);
  assert.ok(s.held_out_relative_error > 0 && s.held_out_relative_error < 1);
  const written = readSafetensors(out);
  assert.deepEqual([...written.tensors.keys()], ['h.0.mlp.c_fc.weight', 'h.0.mlp.c_fc.bias']);
  assert.equal(written.tensors.get('h.0.mlp.c_fc.weight')!.dtype, 'F16');
  const w = entryToF32(written.tensors.get('h.0.mlp.c_fc.weight')!, 'w', out);
  for (let g = 0; g < w.length; g += 4) assert.ok(w.subarray(g, g + 4).filter((v) => v !== 0).length <= 2);

  const se = widen(
    'sparse-expand',
    '--layer',
    layer,
    '--inputs',
    inputs,
    '--k',
    '2',
    '--sparsity',
    '0.5',
    '--pruner',
    'wanda',
    '--restarts',
    '1',
    '-o',
    join(dir, 'c_fc.expanded.safetensors'),
    '--json',
  );
  assert.equal(se.code, 0, se.stderr);
  const rows = (se.json() as { results: Array<{ k: number; held_out_relative_error: number; nnz_stored: number }> }).results;
  assert.deepEqual(
    rows.map((r) => r.k),
    [1, 2],
  );
  assert.equal(rows[1].nnz_stored, 2 * rows[0].nnz_stored);
  const experts = [...readSafetensors(join(dir, 'c_fc.expanded.safetensors')).tensors.keys()];
  assert.deepEqual(experts, [
    'experts.0.h.0.mlp.c_fc.weight',
    'experts.1.h.0.mlp.c_fc.weight',
    'router.pca_mean',
    'router.pca_components',
    'router.centroids',
  ]);

  const ne = widen(
    'neurons',
    '--layer',
    layer,
    '--bias',
    'h.0.mlp.c_fc.bias',
    '--inputs',
    inputs,
    '--pruner',
    'wanda',
    '--draws',
    '1',
    '--json',
  );
  assert.equal(ne.code, 0, ne.stderr);
  const n = ne.json() as { units: number; top_units: number[]; importance: Array<{ selection: string }> };
  assert.equal(n.units, 3072);
  assert.equal(n.top_units.length, 92);
  assert.deepEqual(
    n.importance.map((r) => r.selection),
    ['top-wd', 'mean', 'variance', 'magnitude', 'random'],
  );
});

test('bad input: named errors, exit 1, no file written', () => {
  const files = () => readdirSync(dir).sort();
  const before = files();
  const pt = join(dir, 'model.pt');
  writeFileSync(pt, 'not read');
  const pickle = widen('import', pt, '-o', join(dir, 'x.safetensors'));
  assert.equal(pickle.code, 1);
  assert.match(
    pickle.stderr,
    /unpickling runs any code.*\n.*from safetensors\.torch import save_file\n.*save_file\(torch\.load\('.*model\.pt', map_location='cpu'\), '.*model\.safetensors'\)/,
  );

  // a header that claims 2^40 elements is refused from the header, before anything is allocated
  const header = JSON.stringify({ '0.weight': { dtype: 'F32', shape: [2 ** 20, 2 ** 20], data_offsets: [0, 16] } });
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(header.length));
  const huge = join(dir, 'huge.safetensors');
  writeFileSync(huge, Buffer.concat([head, Buffer.from(header), Buffer.alloc(16)]));
  const h = widen('import', huge, '--activation', 'relu', '-o', join(dir, 'huge.widen.safetensors'));
  assert.equal(h.code, 1);
  assert.match(h.stderr, /needs 4398046511104 bytes but data_offsets \[0, 16\] span 16/);

  const missing = widen('import', torchMlp, '--layers', 'fc1,fc2', '--activation', 'relu', '-o', join(dir, 'x.safetensors'));
  assert.match(missing.stderr, /no tensor named 'fc1\.weight'; the file has '0\.weight', '0\.bias', '2\.weight'/);

  const ints = join(dir, 'ints.safetensors');
  const ih = JSON.stringify({ '0.weight': { dtype: 'I32', shape: [2, 2], data_offsets: [0, 16] } }).padEnd(64, ' ');
  const ilen = Buffer.alloc(8);
  ilen.writeBigUInt64LE(BigInt(ih.length));
  writeFileSync(ints, Buffer.concat([ilen, Buffer.from(ih), Buffer.alloc(16)]));
  const dt = widen('import', ints, '--activation', 'relu', '-o', join(dir, 'x.safetensors'));
  assert.match(dt.stderr, /dtype I32; widen reads weights and inputs as F32, F16, BF16, F64/);

  const chain = widen(
    'prune',
    '--layer',
    `${gpt2}:h.0.mlp.c_fc.weight`,
    '--inputs',
    `${torchMlp}:0.weight`,
    '--sparsity',
    '0.5',
    '-o',
    join(dir, 'x.safetensors'),
  );
  assert.match(chain.stderr, /do not chain with the layer: it takes 768 inputs/);

  const opset = widen('export', ckpt, '--format', 'onnx', '--opset', '11', '-o', join(dir, 'x.onnx'));
  assert.match(opset.stderr, /opset 11 cannot express/);

  for (const r of [missing, dt, chain, opset]) assert.equal(r.code, 1);
  assert.deepEqual(files(), [...before, 'huge.safetensors', 'ints.safetensors', 'model.pt'].sort(), 'no partial or temp file left');
});
