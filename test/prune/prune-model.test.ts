import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngine } from '../../src/engine/index.js';
import { evaluate, fit, MLP } from '../../src/nn/index.js';
import { type PruneModelOptions, pruneModel, sparseGptPrune } from '../../src/prune/index.js';
import { makeBlobs } from '../../src/tasks/index.js';

const engine = createEngine({ backend: 'ref' });
const { train, test } = makeBlobs({ classes: 4, features: 32, trainSize: 1024, testSize: 512, seed: 3 });
const model = MLP.create({ sizes: [32, 64, 64, 4], seed: 3 }, engine);
fit(model, train, { epochs: 6, batchSize: 64, optimizer: { kind: 'adam', lr: 3e-3 }, loss: 'cross-entropy' });
const calibration = { x: train.x.subarray(0, 256 * 32), size: 256 };
const accuracy = (m: MLP) => evaluate(m, test, 'cross-entropy').accuracy;
const dense = accuracy(model);
const shapes = model.layers.map((l) => [l.outFeatures, l.inFeatures]);

/** Kept weights each method promises: per layer, per row (Wanda) or over the model (global). */
function expectedNnz(o: PruneModelOptions): number {
  if (o.nm !== undefined) return shapes.reduce((s, [out, inF]) => s + (out * inF * o.nm!.n) / o.nm!.m, 0);
  const s = o.sparsity as number;
  if (o.method === 'global-magnitude') {
    const total = shapes.reduce((t, [out, inF]) => t + out * inF, 0);
    return total - Math.round(s * total);
  }
  if (o.method === 'wanda') return shapes.reduce((t, [out, inF]) => t + out * (inF - Math.round(s * inF)), 0);
  return shapes.reduce((t, [out, inF]) => t + out * inF - Math.round(s * out * inF), 0);
}

describe('pruneModel on a trained blobs MLP 32-64-64-4', () => {
  it('trains to a high dense accuracy first', () => assert.ok(dense >= 0.97, `dense ${dense}`));

  const snapshot = () => model.layers.flatMap((l) => [l.weight(), l.mask(), l.bias()]);
  const before = snapshot();
  const results = new Map<string, number>();
  for (const method of ['magnitude', 'global-magnitude', 'wanda', 'sparsegpt'] as const) {
    for (const target of [{ sparsity: 0.5 }, { sparsity: 0.9 }, { nm: { n: 2, m: 4 } }]) {
      if (method === 'global-magnitude' && target.nm !== undefined) continue;
      const o = { method, ...target };
      it(`${method} ${JSON.stringify(target)}: exact nnz, biases kept, accuracy degrades gracefully`, () => {
        const pruned = pruneModel(model, method.includes('magnitude') ? null : calibration, o);
        assert.equal(pruned.nnz(), expectedNnz(o));
        pruned.layers.forEach((l, i) => {
          assert.deepEqual(l.bias(), model.layers[i].bias());
        });
        const acc = accuracy(pruned);
        results.set(`${method} ${JSON.stringify(target)}`, acc);
        // 50% and 2:4 cost almost nothing on this task; 90% stays well above chance (0.25)
        assert.ok(acc >= (target.sparsity === 0.9 ? 0.4 : dense - 0.03), `accuracy ${acc} (dense ${dense})`);
        pruned.dispose();
      });
    }
  }

  it('leaves the input model untouched', () => assert.deepEqual(snapshot(), before));

  it('SparseGPT holds up better than Wanda at 90%', () => {
    assert.ok(results.get('sparsegpt {"sparsity":0.9}')! > results.get('wanda {"sparsity":0.9}')!, JSON.stringify([...results]));
  });

  it('prunes layer 1 on the inputs propagated through the pruned layer 0', () => {
    const pruned = pruneModel(model, calibration, { method: 'sparsegpt', sparsity: 0.5, blockSize: 16 });
    const [l0, l1] = pruned.layers;
    // h = relu(W0'·x + b0) by hand, [size, 64]
    const [w0, b0] = [l0.weight(), l0.bias()];
    const h = new Float32Array(256 * 64);
    for (let t = 0; t < 256; t++) {
      for (let r = 0; r < 64; r++) {
        let z = b0[r];
        for (let j = 0; j < 32; j++) z += w0[r * 32 + j] * calibration.x[t * 32 + j];
        h[t * 64 + r] = Math.max(0, z);
      }
    }
    const orig = model.layers[1];
    const want = sparseGptPrune(
      { weight: orig.weight(), inFeatures: 64, outFeatures: 64 },
      { x: h, size: 256 },
      { sparsity: 0.5, blockSize: 16 },
    );
    assert.deepEqual(l1.mask(), want.mask);
    l1.weight().forEach((w, i) => {
      assert.ok(Math.abs(w - want.weight[i]) < 1e-4 * (1 + Math.abs(want.weight[i])));
    });
    pruned.dispose();
  });

  it('keeps the zeros of an already sparse model', () => {
    const sparse = MLP.create({ sizes: [32, 64, 64, 4], density: 0.6, seed: 5 }, engine);
    const pruned = pruneModel(sparse, calibration, { method: 'sparsegpt', sparsity: 0.7 });
    pruned.layers.forEach((l, i) => {
      const [was, now] = [sparse.layers[i].mask(), l.mask()];
      was.forEach((k, e) => {
        if (!k) assert.equal(now[e], 0);
      });
    });
    assert.equal(pruned.nnz(), expectedNnz({ method: 'sparsegpt', sparsity: 0.7 }));
  });
});
