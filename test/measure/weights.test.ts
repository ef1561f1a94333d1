import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ShapeError } from '../../src/engine/index.js';
import { featureCapacity, meanPairwiseCosine } from '../../src/measure/index.js';

interface WeightsFixture {
  cases: Array<{
    name: string;
    rows: number;
    cols: number;
    w: number[];
    capacity: number[];
    capacityMean: number;
    capacitySum: number;
    meanCosine: number;
  }>;
}
// scripts/fixtures/make_measure_fixture.py (NumPy, full Gram matrix)
const fixture = JSON.parse(readFileSync(new URL('../fixtures/measure-weights.json', import.meta.url), 'utf8')) as WeightsFixture;

const close = (a: number, b: number, tol: number): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

describe('feature capacity and mean cosine against NumPy', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const w = Float32Array.from(c.w);
      const cap = featureCapacity(w, c.rows, c.cols);
      c.capacity.forEach((want, i) => {
        assert.ok(close(cap.perFeature[i], want, 1e-9), `C_${i} = ${cap.perFeature[i]}, NumPy ${want}`);
      });
      assert.ok(close(cap.mean, c.capacityMean, 1e-9) && close(cap.sum, c.capacitySum, 1e-9));
      assert.ok(close(meanPairwiseCosine(w, c.rows, c.cols), c.meanCosine, 1e-9));
    });
  }
});

describe('feature capacity', () => {
  it('is 1 for orthogonal features, 1/2 for two identical ones and 0 for a feature no unit sees', () => {
    // W [2 units, 4 features]: columns e1, e2, 0, 0
    const w = new Float32Array([1, 0, 0, 0, /**/ 0, 1, 0, 0]);
    assert.deepEqual(Array.from(featureCapacity(w, 2, 4).perFeature), [1, 1, 0, 0]);
    const twin = new Float32Array([1, 1, 0, /**/ 0, 0, 2]); // columns (1,0), (1,0), (0,2)
    const cap = featureCapacity(twin, 2, 3);
    assert.deepEqual(Array.from(cap.perFeature), [0.5, 0.5, 1]);
    assert.deepEqual([cap.sum, cap.mean], [2, 2 / 3]);
  });

  it('matches the definition on a hand case with overlap', () => {
    // columns a = (1, 1), b = (1, 0): a·a = 2, a·b = 1, b·b = 1
    const cap = featureCapacity(new Float32Array([1, 1, /**/ 1, 0]), 2, 2);
    assert.deepEqual(Array.from(cap.perFeature), [4 / (4 + 1), 1 / (1 + 1)]);
  });

  it('is all zeros for an all-zero matrix', () => {
    assert.deepEqual(featureCapacity(new Float32Array(6), 2, 3), { perFeature: new Float64Array(3), mean: 0, sum: 0 });
  });
});

describe('mean pairwise cosine', () => {
  it('averages the signed cosines over pairs of non-zero rows', () => {
    // rows (1, 0), (0, 3), (−2, 0) and a zero row: cosines 0, −1, 0 → −1/3
    const w = new Float32Array([1, 0, 0, 3, -2, 0, 0, 0]);
    assert.ok(Math.abs(meanPairwiseCosine(w, 4, 2) + 1 / 3) < 1e-15);
    assert.ok(Math.abs(meanPairwiseCosine(new Float32Array([1, 2, 2, 4]), 2, 2) - 1) < 1e-15);
  });

  it('is NaN with fewer than two non-zero rows', () => {
    assert.ok(Number.isNaN(meanPairwiseCosine(new Float32Array([0, 0, 1, 2]), 2, 2)));
    assert.ok(Number.isNaN(meanPairwiseCosine(new Float32Array(4), 2, 2)));
  });

  it('refuses a matrix of the wrong size', () => {
    assert.throws(
      () => meanPairwiseCosine(new Float32Array(5), 2, 2),
      (e) => e instanceof ShapeError && /^meanPairwiseCosine w must hold rows x cols = 2 x 2 = 4 values, got 5$/.test(e.message),
    );
    assert.throws(
      () => featureCapacity(new Float32Array(4), 0, 4),
      (e) => /^featureCapacity w rows must be an integer >= 1, got 0$/.test((e as Error).message),
    );
  });
});
