import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Rng } from '../../src/engine/index.js';
import { MLP } from '../../src/nn/index.js';
import { loadExpanded, saveExpanded } from '../../src/node/index.js';
import { pruneModel } from '../../src/prune/index.js';
import { evaluateExpanded, projectRows, sparseExpand } from '../../src/prune/sparse-expansion/index.js';

/** size samples of width d around `clusters` centres, each cluster stretched along its own random directions. */
function clustered(size: number, d: number, clusters: number, seed: number): { x: Float32Array; y: Int32Array; size: number } {
  const rng = new Rng(seed);
  const centres = Float64Array.from({ length: clusters * d }, () => 3 * rng.normal());
  const mixes = Float64Array.from({ length: clusters * d * d }, () => rng.normal() / Math.sqrt(d));
  const x = new Float32Array(size * d);
  const y = new Int32Array(size);
  const z = new Float64Array(d);
  for (let t = 0; t < size; t++) {
    const c = t % clusters;
    y[t] = c % 4;
    for (let k = 0; k < d; k++) z[k] = rng.normal();
    for (let j = 0; j < d; j++) {
      let v = centres[c * d + j];
      for (let k = 0; k < d; k++) v += z[k] * mixes[(c * d + k) * d + j];
      x[t * d + j] = v;
    }
  }
  return { x, y, size };
}

const model = MLP.create({ sizes: [16, 24, 24, 4], activation: 'gelu', seed: 3 });
const cal = clustered(256, 16, 4, 1);

describe('sparseExpand', () => {
  for (const pruner of ['sparsegpt', 'wanda', 'magnitude'] as const) {
    it(`${pruner}: k = 1 equals pruneModel exactly (weights, masks and logits)`, () => {
      const expanded = sparseExpand(model, cal, { k: 1, sparsity: 0.75, pruner });
      const pruned = pruneModel(model, cal, { method: pruner, sparsity: 0.75 });
      expanded.layers.forEach((l, i) => {
        assert.equal(l.router, null);
        assert.deepEqual(l.experts[0].mask(), pruned.layers[i].mask());
        assert.deepEqual(l.experts[0].weight(), pruned.layers[i].weight());
      });
      assert.deepEqual(expanded.predict(cal.x, cal.size), pruned.predict(cal.x, cal.size));
      expanded.dispose();
      pruned.dispose();
    });
  }

  it('routes every input to the expert of its nearest centroid and runs only that expert', () => {
    const expanded = sparseExpand(model, cal, { k: 4, sparsity: 0.5, reduce: 4, restarts: 3 });
    const passes = expanded.trace(cal.x, cal.size);
    let input = cal.x;
    expanded.layers.forEach((layer, l) => {
      const router = layer.router!;
      const p = projectRows(router.pca, input, cal.size);
      const [dim, k] = [router.pca.dim, router.k];
      const inF = layer.experts[0].inFeatures;
      for (let t = 0; t < cal.size; t++) {
        const dist = Array.from({ length: k }, (_, c) => {
          let s = 0;
          for (let j = 0; j < dim; j++) s += (p[t * dim + j] - router.centroids[c * dim + j]) ** 2;
          return s;
        });
        assert.equal(passes[l].labels[t], dist.indexOf(Math.min(...dist)), `layer ${l} sample ${t}`);
        // the pre-activation is that of the chosen expert alone
        const expert = layer.experts[passes[l].labels[t]];
        const [w, b] = [expert.weight(), expert.bias()];
        const out = expert.outFeatures;
        for (let r = 0; r < out; r += 7) {
          let z = b[r];
          for (let j = 0; j < inF; j++) z += w[r * inF + j] * input[t * inF + j];
          assert.ok(Math.abs(z - passes[l].z[t * out + r]) < 1e-4, `layer ${l} sample ${t} unit ${r}`);
        }
      }
      assert.ok(new Set(passes[l].labels).size > 1, 'more than one expert in use');
      input = passes[l].h;
    });
    expanded.dispose();
  });

  it('reuses the first layer’s router from a cache with identical results, and never a later layer’s', () => {
    const routers = new WeakMap();
    const plain = sparseExpand(model, cal, { k: 4, sparsity: 0.5, pruner: 'wanda', restarts: 2 });
    const first = sparseExpand(model, cal, { k: 4, sparsity: 0.5, pruner: 'wanda', restarts: 2, routers });
    const again = sparseExpand(model, cal, { k: 4, sparsity: 0.9, pruner: 'sparsegpt', restarts: 2, routers });
    assert.equal(routers.get(cal.x)?.size, 1, 'one router cached for the calibration inputs');
    assert.equal(again.layers[0].router, first.layers[0].router, 'layer 0 reuses the cached router');
    assert.notEqual(again.layers[1].router, first.layers[1].router, 'later layers see other inputs and fit their own');
    assert.deepEqual(first.predict(cal.x, cal.size), plain.predict(cal.x, cal.size), 'caching changes nothing');
    const other = sparseExpand(model, cal, { k: 4, sparsity: 0.5, pruner: 'wanda', restarts: 2, seed: 5, routers });
    assert.notEqual(other.layers[0].router, first.layers[0].router, 'another seed is another router');
    for (const m of [plain, first, again, other]) m.dispose();
  });

  it('counts non-zeros: stored = the sum over experts, per input = one expert per layer', () => {
    const expanded = sparseExpand(model, cal, { k: 4, sparsity: 0.5, reduce: 4, restarts: 2, pruner: 'magnitude' });
    const perExpert = expanded.layers.map((l) => l.experts.map((e) => e.nnz));
    // magnitude pruning keeps round(0.5·out·in) per expert
    assert.deepEqual(
      perExpert,
      [16 * 24, 24 * 24, 24 * 4].map((n) => Array(4).fill(n / 2)),
    );
    assert.equal(expanded.nnzStored(), (4 * (16 * 24 + 24 * 24 + 24 * 4)) / 2);
    const evaluation = evaluateExpanded(expanded, cal);
    assert.equal(evaluation.nnzPerInput, (16 * 24 + 24 * 24 + 24 * 4) / 2);
    assert.deepEqual(evaluateExpanded(expanded, cal, 100), evaluation, 'the batch size does not change the result');
    assert.throws(() => evaluateExpanded(expanded, cal, 0), /evaluateExpanded: batch must be an integer >= 1, got 0/);
    assert.equal(
      expanded.routingFlops(),
      [16, 24, 24].reduce((s, d) => s + d + 2 * d * (d / 4) + 3 * 4 * (d / 4), 0),
    );
    expanded.dispose();
  });

  it('on clustered inputs, k = 4 reconstructs the dense layer better than k = 1 at the same per-expert sparsity', () => {
    const layer = MLP.create({ sizes: [16, 32], seed: 5 });
    const dense = layer.predict(cal.x, cal.size);
    const error = (k: number): number => {
      const expanded = sparseExpand(layer, cal, { k, sparsity: 0.75, reduce: 2 });
      const out = expanded.predict(cal.x, cal.size);
      expanded.dispose();
      return Math.sqrt(out.reduce((s, v, i) => s + (v - dense[i]) ** 2, 0));
    };
    const [one, four] = [error(1), error(4)];
    assert.ok(four < 0.8 * one, `k = 4 error ${four} vs k = 1 error ${one}`);
  });

  it('refuses bad settings with messages naming the value and what is allowed', () => {
    const cases: Array<[object, RegExp]> = [
      [
        { k: 300, sparsity: 0.5 },
        /sparseExpand: k = 300 experts is not allowed with a calibration set of 256 samples; k must be an integer in \[1, 256\]/,
      ],
      [{ k: 0, sparsity: 0.5 }, /k = 0 experts is not allowed/],
      [{ k: 2, sparsity: 1 }, /sparseExpand layers\.0: sparsity must be a number in \[0, 1\) \(the fraction of weights set to 0\), got 1/],
      [{ k: 2, sparsity: -0.1 }, /sparsity must be a number in \[0, 1\).*got -0\.1/],
      [
        { k: 2, nm: { n: 2, m: 5 } },
        /sparseExpand layers\.0: nm\.m = 5 does not divide the input width 16; .* m must be one of 1, 2, 4, 8, 16/,
      ],
      [
        { k: 2, sparsity: 0.5, reduce: 20 },
        /reduce = 20 leaves floor\(16 \/ 20\) = 0 PCA dimensions for layers\.0 \(16 inputs\); reduce must be an integer in \[1, 16\]/,
      ],
      [{ k: 2, sparsity: 0.5, reduce: 0 }, /sparseExpand: reduce must be an integer >= 1, got 0/],
      [{ k: 2, sparsity: 0.5, pruner: 'obs' }, /unknown pruner "obs"; allowed: sparsegpt, wanda, magnitude/],
      [{ k: 2, sparsity: 0.5, clusters: 3 }, /unknown option 'clusters'/],
    ];
    for (const [options, message] of cases) {
      assert.throws(() => sparseExpand(model, cal, options as never), message, JSON.stringify(options));
    }
  });
});

describe('saveExpanded / loadExpanded', () => {
  it('round-trips experts, routers and config; the loaded model predicts identically', () => {
    const dir = mkdtempSync(join(tmpdir(), 'widen-se-'));
    const expanded = sparseExpand(model, cal, { k: 3, sparsity: 0.6, reduce: 4, restarts: 2, pruner: 'wanda' });
    const path = join(dir, 'm.expanded.safetensors');
    saveExpanded(path, expanded, { k: 3 });
    const loaded = loadExpanded(path);
    assert.deepEqual(loaded.config, { k: 3 });
    assert.deepEqual(loaded.model.experts(), [3, 3, 3]);
    assert.equal(loaded.model.nnzStored(), expanded.nnzStored());
    assert.deepEqual(loaded.model.layers[1].router?.centroids, expanded.layers[1].router?.centroids);
    assert.deepEqual(loaded.model.predict(cal.x, cal.size), expanded.predict(cal.x, cal.size));
    assert.throws(() => loadExpanded(join(dir, 'none.safetensors')), /none\.safetensors: cannot read/);
    expanded.dispose();
    loaded.model.dispose();
  });
});
