import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CheckpointError,
  DataError,
  decodeSafetensors,
  encodeNpy,
  encodeNpz,
  encodeSafetensors,
  entryToF32,
  layerInputRows,
  linearLayerNeurons,
  loadLayer,
  outputError,
  prunedLayerTensors,
  pruneLinearLayer,
  ShapeError,
  sparseGptPrune,
  splitRows,
} from '../../src/index.js';
import { readInputsFile, readSafetensors, readSafetensorsTensors } from '../../src/node/index.js';

// scripts/fixtures/make_interop_fixture.py: a GPT-2-shaped block made by PyTorch (c_fc 768 -> 3072,
// float16) with heavy-tailed inputs, and NumPy float64 references for its c_fc layer
const dir = new URL('../fixtures/interop/', import.meta.url).pathname;
const block = readSafetensors(join(dir, 'gpt2-block.safetensors'));
const expected = readSafetensors(join(dir, 'gpt2-expected.safetensors'));
const layer = loadLayer(block, 'h.0.mlp.c_fc.weight', { bias: 'h.0.mlp.c_fc.bias', source: 'gpt2-block.safetensors' });
const x = entryToF32(block.tensors.get('x')!, 'x', 'gpt2-block.safetensors');
const rows = x.length / 768;

describe('one layer of a GPT-2-shaped block made by PyTorch', () => {
  it('loads the float16 layer as [3072, 768] float32 with its names and dtype', () => {
    assert.deepEqual([layer.outFeatures, layer.inFeatures, layer.dtype, layer.biasDType], [3072, 768, 'F16', 'F16']);
    assert.equal(rows, 256);
  });

  it('SparseGPT at 50%: the same mask as the NumPy reference, weights within 1e-5', () => {
    const r = sparseGptPrune(layer, { x, size: rows }, { sparsity: 0.5 });
    const bits = expected.tensors.get('sparsegpt.mask_bits')!.data;
    let differ = 0;
    for (let i = 0; i < r.mask.length; i++) {
      const bit = (bits[i >> 3] >> (7 - (i & 7))) & 1; // np.packbits: most significant bit first
      if (r.mask[i] !== bit) differ++;
    }
    assert.equal(differ, 0, `${differ} mask entries differ`);
    const step = Number(expected.metadata.row_step);
    const want = entryToF32(expected.tensors.get('sparsegpt.weight_rows')!, 'rows', 'expected');
    let worst = 0;
    for (let k = 0; k * step < layer.outFeatures; k++) {
      for (let j = 0; j < 768; j++) worst = Math.max(worst, Math.abs(r.weight[k * step * 768 + j] - want[k * 768 + j]));
    }
    assert.ok(worst < 1e-5, `max |widen - numpy| = ${worst}`);
  });

  it('Wasserstein ranking: WD within 1e-6 of the reference and the same top-3% units', () => {
    const stats = linearLayerNeurons(layer, x, rows, { pairs: 64 });
    const wd = expected.tensors.get('wd')!;
    const ref = new Float64Array(wd.data.buffer, wd.data.byteOffset, 3072);
    let worst = 0;
    for (let u = 0; u < 3072; u++) worst = Math.max(worst, Math.abs(stats.wd[u] - ref[u]));
    assert.ok(worst < 1e-6, `max |WD - reference| = ${worst}`);
    const k = Math.round(0.03 * 3072);
    const refTop = Array.from({ length: 3072 }, (_, u) => u)
      .sort((a, b) => ref[b] - ref[a] || a - b)
      .slice(0, k);
    assert.deepEqual(Array.from(stats.ranking.subarray(0, k)), refTop);
    assert.ok(ref[refTop[0]] > 2 * ref[refTop[k - 1]] || ref[refTop[0]] > 0.1, 'heavy tails give some units a large WD');
  });

  it('pruneLinearLayer reports the held-out output error and writes back under the original names and dtype', () => {
    const split = splitRows(x, rows, 768, 0.25);
    assert.deepEqual([split.calibration.size, split.heldOut.size], [192, 64]);
    const r = pruneLinearLayer(layer, split, { nm: { n: 2, m: 4 } });
    assert.equal(r.nnzAfter, (3072 * 768) / 2);
    assert.ok(r.heldOutError.relative > 0 && r.heldOutError.relative < 1);
    assert.deepEqual(outputError(layer, layer.weight, split.heldOut), { absolute: 0, relative: 0 });
    const file = decodeSafetensors(encodeSafetensors(prunedLayerTensors(layer, r.weight)));
    assert.deepEqual([...file.tensors.keys()], ['h.0.mlp.c_fc.weight', 'h.0.mlp.c_fc.bias']);
    assert.equal(file.tensors.get('h.0.mlp.c_fc.weight')!.dtype, 'F16');
    // the written float16 weights are the pruned ones rounded to half precision: zeros stay zeros
    const back = entryToF32(file.tensors.get('h.0.mlp.c_fc.weight')!, 'w', 'back');
    for (let i = 0; i < back.length; i++) {
      if (r.mask[i] === 0) assert.equal(back[i], 0);
      else assert.ok(Math.abs(back[i] - r.weight[i]) <= Math.abs(r.weight[i]) * 2 ** -11 + 2 ** -24);
    }
  });
});

describe('one-layer inputs and names', () => {
  it('readSafetensorsTensors reads the named tensors only, after checking the whole header', () => {
    const part = readSafetensorsTensors(join(dir, 'gpt2-block.safetensors'), ['h.0.mlp.c_fc.bias']);
    assert.deepEqual([...part.tensors.keys()], ['h.0.mlp.c_fc.bias']);
    assert.deepEqual(part.names, ['h.0.mlp.c_fc.weight', 'h.0.mlp.c_fc.bias', 'x']);
    assert.deepEqual(part.tensors.get('h.0.mlp.c_fc.bias'), block.tensors.get('h.0.mlp.c_fc.bias'));
    const huge = join(mkdtempSync(join(tmpdir(), 'widen-layer-')), 'huge.safetensors');
    const header = JSON.stringify({ w: { dtype: 'F16', shape: [2 ** 20, 2 ** 20], data_offsets: [0, 8] } });
    const bytes = new Uint8Array(8 + header.length + 8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(new TextEncoder().encode(header), 8);
    writeFileSync(huge, bytes);
    assert.throws(
      () => readSafetensorsTensors(huge, ['w']),
      (e: Error) => e instanceof CheckpointError && /needs 2199023255552 bytes but data_offsets \[0, 8\] span 8/.test(e.message),
    );
  });

  it('reads float16 safetensors inputs; [batch, seq, in] is flattened to rows', () => {
    const a = readInputsFile(`${join(dir, 'gpt2-block.safetensors')}:x`);
    assert.equal(a.dtype, 'float32');
    const r = layerInputRows({ ...a, shape: [4, 64, 768] }, 768, 'x');
    assert.equal(r.rows, 256);
  });
  it('reads .npz[:NAME] and .npy inputs', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'widen-inputs-'));
    const x = Float32Array.of(1, 2, 3, 4, 5, 6);
    writeFileSync(join(tmp, 'a.npz'), encodeNpz({ x: { data: x, shape: [3, 2] }, y: { data: Uint8Array.of(1), shape: [1] } }));
    writeFileSync(join(tmp, 'a.npy'), encodeNpy(x, [2, 3]));
    assert.deepEqual(readInputsFile(`${join(tmp, 'a.npz')}:x`), { dtype: 'float32', shape: [3, 2], data: x });
    assert.deepEqual(readInputsFile(join(tmp, 'a.npy')).shape, [2, 3]);
    assert.throws(
      () => readInputsFile(join(tmp, 'a.npz')),
      (e: Error) => e instanceof DataError && /holds 2 arrays \(x, y\); name one/.test(e.message),
    );
  });

  it('inputs whose last dimension is not the layer width do not chain: ShapeError', () => {
    assert.throws(
      () => layerInputRows({ dtype: 'float32', shape: [10, 700], data: new Float32Array(7000) }, 768, 'x.npy'),
      (e: Error) => e instanceof ShapeError && /last dimension must be 768/.test(e.message),
    );
  });
  it('a missing tensor name lists the names present', () => {
    assert.throws(
      () => loadLayer(block, 'h.0.mlp.c_proj.weight', { source: 'gpt2-block.safetensors' }),
      (e: Error) =>
        e instanceof DataError &&
        /no tensor named 'h\.0\.mlp\.c_proj\.weight'; the file has 'h\.0\.mlp\.c_fc\.weight', 'h\.0\.mlp\.c_fc\.bias', 'x'/.test(e.message),
    );
  });
});
