import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ConfigError, NumericError, ShapeError } from '../../src/engine/index.js';
import { normalCdf } from '../../src/math/index.js';
import { normalQuantiles, unitWasserstein, wassersteinToNormal, zScores } from '../../src/measure/index.js';

interface WassersteinFixture {
  cases: Array<{ name: string; values: number[]; distance: number }>;
}
// scripts/fixtures/make_measure_fixture.py (SciPy)
const fixture = JSON.parse(readFileSync(new URL('../fixtures/measure-wasserstein.json', import.meta.url), 'utf8')) as WassersteinFixture;

const relative = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));

describe('Wasserstein distance to a standard normal', () => {
  for (const c of fixture.cases) {
    it(`matches scipy.stats.wasserstein_distance to 1e-9 relative: ${c.name}`, () => {
      const got = wassersteinToNormal(Float32Array.from(c.values));
      assert.ok(relative(got, c.distance) < 1e-9, `${got} vs scipy ${c.distance}`);
    });
  }

  it('is the mean |z_(i) − q_i| on a hand case and ignores location and scale', () => {
    // values 1, 2, 3: mean 2, population std √(2/3), so z = ∓√1.5 and 0
    const q = normalQuantiles(3);
    const z = Math.sqrt(1.5);
    const want = (Math.abs(-z - q[0]) + Math.abs(0 - q[1]) + Math.abs(z - q[2])) / 3;
    assert.ok(Math.abs(wassersteinToNormal([3, 1, 2]) - want) < 1e-15);
    assert.ok(Math.abs(wassersteinToNormal([13, -7, 3]) - want) < 1e-14);
  });

  it('defines constant values as z = 0 and their distance as the mean |quantile|', () => {
    assert.deepEqual(Array.from(zScores([2.5, 2.5, 2.5])), [0, 0, 0]);
    const q = normalQuantiles(4);
    assert.equal(wassersteinToNormal([7, 7, 7, 7]), q.reduce((s, v) => s + Math.abs(v), 0) / 4);
    assert.equal(wassersteinToNormal([1]), 0);
  });

  it('is ~0 for normal quantiles and matches the closed form for a two-point sample', () => {
    const n = 4000;
    const q = normalQuantiles(n);
    // the quantile sample's std is a little below 1, so after z-scoring its distance is ~1e-4, not 0
    const shaped = q.map((v) => 3 + 2 * v);
    assert.ok(wassersteinToNormal(shaped) < 2e-4, `${wassersteinToNormal(shaped)}`);
    // ±1 in equal parts is already z-scored; W1 = 2·∫_{x<0} |x + 1| φ(x) dx = 2·(2φ(1) − φ(0) + 1/2 − 2Φ(−1))
    const twoPoint = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1 : 1));
    const phi = (x: number): number => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
    const want = 2 * (2 * phi(1) - phi(0) + 0.5 - 2 * normalCdf(-1));
    assert.ok(Math.abs(wassersteinToNormal(twoPoint) - want) < 1e-3, `${wassersteinToNormal(twoPoint)} vs ${want}`);
  });

  it('computes one distance per unit of feature-major pre-activations', () => {
    const pre = new Float32Array([1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 9, -1, 4, 2, 7]); // [3 units, 5 samples]
    const got = unitWasserstein(pre, 3, 5);
    const q = normalQuantiles(5);
    assert.deepEqual(Array.from(got), [
      wassersteinToNormal(pre.subarray(0, 5), q),
      wassersteinToNormal(pre.subarray(5, 10), q),
      wassersteinToNormal(pre.subarray(10, 15), q),
    ]);
  });

  it('refuses empty input, mismatched quantiles, non-finite values and wrong shapes', () => {
    assert.throws(
      () => wassersteinToNormal([]),
      (e) => e instanceof ConfigError && /values\.length must be an integer >= 1, got 0/.test(e.message),
    );
    assert.throws(
      () => wassersteinToNormal([1, 2], normalQuantiles(3)),
      (e) => e instanceof ShapeError && /^wassersteinToNormal got 3 quantiles for 2 values; pass normalQuantiles\(2\)$/.test(e.message),
    );
    assert.throws(
      () => wassersteinToNormal([1, Number.NaN]),
      (e) => e instanceof NumericError && /^value 1 is NaN/.test(e.message),
    );
    assert.throws(
      () => unitWasserstein(new Float32Array(5), 2, 3),
      (e) => e instanceof ShapeError && /^unitWasserstein pre must hold rows x cols = 2 x 3 = 6 values, got 5$/.test(e.message),
    );
  });
});
