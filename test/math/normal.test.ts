import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { erfc, inverseNormalCdf, normalCdf } from '../../src/math/index.js';

interface NormalFixture {
  normal: { p: number[]; ppf: number[]; x: number[]; erfc: number[] };
}
// scripts/fixtures/make_measure_fixture.py (SciPy)
const fixture = JSON.parse(readFileSync(new URL('../fixtures/measure-wasserstein.json', import.meta.url), 'utf8')) as NormalFixture;

const relative = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));

describe('standard normal functions', () => {
  it('erfc matches scipy.special.erfc to 1e-14 relative', () => {
    fixture.normal.x.forEach((x, i) => {
      assert.ok(relative(erfc(x), fixture.normal.erfc[i]) < 1e-14, `erfc(${x}) = ${erfc(x)}`);
    });
  });

  it('inverseNormalCdf matches scipy.stats.norm.ppf to 1e-14 relative (absolute near 0)', () => {
    fixture.normal.p.forEach((p, i) => {
      const want = fixture.normal.ppf[i];
      const err = Math.abs(want) < 1e-3 ? Math.abs(inverseNormalCdf(p) - want) : relative(inverseNormalCdf(p), want);
      assert.ok(err < 1e-14, `ppf(${p}) = ${inverseNormalCdf(p)}, scipy ${want}`);
    });
  });

  it('inverts the CDF, mirrors around 1/2 and handles the ends', () => {
    for (const x of [-8, -3.3, -1, -0.01, 0, 0.7, 2.5])
      assert.ok(Math.abs(inverseNormalCdf(normalCdf(x)) - x) < 1e-13 * Math.max(1, Math.abs(x)));
    for (const p of [0.7, 0.9, 1 - 1e-6]) assert.equal(inverseNormalCdf(p), -inverseNormalCdf(1 - p));
    assert.equal(inverseNormalCdf(0), Number.NEGATIVE_INFINITY);
    assert.equal(inverseNormalCdf(1), Number.POSITIVE_INFINITY);
    assert.ok(Number.isNaN(inverseNormalCdf(1.5)) && Number.isNaN(inverseNormalCdf(Number.NaN)));
  });
});
