import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/engine/index.js';
import { MLP } from '../../src/nn/index.js';
import { importanceTest, sparsifyUnits } from '../../src/prune/index.js';

const model = MLP.create({ sizes: [8, 20, 20, 3], activation: 'gelu', seed: 7 });
const rng = new Rng(1);
const x = Float32Array.from({ length: 128 * 8 }, () => rng.normal());
const cal = { x, size: 128 };
const test = { x, y: Int32Array.from({ length: 128 }, () => rng.int(3)), size: 128 };

describe('sparsifyUnits', () => {
  for (const pruner of ['sparsegpt', 'wanda', 'magnitude'] as const) {
    it(`${pruner}: prunes only the selected rows, to the sparsity`, () => {
      const units = [Int32Array.of(2, 5), new Int32Array(0), Int32Array.of(1)];
      const out = sparsifyUnits(model, cal, units, { pruner, sparsity: 0.75 });
      out.layers.forEach((layer, l) => {
        const [before, after, mask] = [model.layers[l].weight(), layer.weight(), layer.mask()];
        const inF = layer.inFeatures;
        for (let r = 0; r < layer.outFeatures; r++) {
          const kept = mask.subarray(r * inF, (r + 1) * inF).reduce((s, v) => s + v, 0);
          if (units[l].includes(r)) {
            if (pruner !== 'magnitude') assert.equal(kept, inF - Math.round(0.75 * inF), `layer ${l} row ${r}`);
          } else {
            assert.equal(kept, inF);
            assert.deepEqual(after.subarray(r * inF, (r + 1) * inF), before.subarray(r * inF, (r + 1) * inF));
          }
        }
        const total = units[l].length * inF;
        if (pruner === 'magnitude') assert.equal(mask.length - mask.reduce((s, v) => s + v, 0), Math.round(0.75 * total));
      });
      out.dispose();
    });
  }
});

describe('importanceTest', () => {
  it('sparsifies the same number of units in every selection and reports the accuracy drop', () => {
    const score = (seed: number): Float64Array[] => {
      const r = new Rng(seed);
      return [Float64Array.from({ length: 20 }, () => r.float()), Float64Array.from({ length: 20 }, () => r.float()), new Float64Array(0)];
    };
    const results = importanceTest(model, cal, test, { 'top-wd': score(1), variance: score(2) }, { top: 0.1, draws: 3, sparsity: 0.9 });
    assert.deepEqual(
      results.map((r) => [r.selection, r.draw]),
      [
        ['top-wd', null],
        ['variance', null],
        ['random', 0],
        ['random', 1],
        ['random', 2],
      ],
    );
    for (const r of results) {
      assert.deepEqual(r.unitsPerLayer, [2, 2, 0]);
      assert.ok(Math.abs(r.accuracyDrop - (results[0].accuracy + results[0].accuracyDrop - r.accuracy)) < 1e-12);
    }
    assert.throws(
      () => importanceTest(model, cal, test, {}, { top: 0 }),
      /top must be a fraction in \(0, 1\] of each layer's units, got 0/,
    );
  });
});
