import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { meanCi, pairedDifference } from '../../src/math/mean-ci.js';
import { close, fixture } from './helpers.js';

describe('mean and 95% CI', () => {
  it('matches SciPy mean, sd and t-interval half-width to 1e-9 relative', () => {
    for (const c of fixture<{ values: number[]; mean: number; sd: number; ci95: number }[]>('ci')) {
      const r = meanCi(c.values);
      close(r.mean, c.mean, 1e-12, 'mean');
      close(r.sd!, c.sd, 1e-12, 'sd');
      close(r.ci95!, c.ci95, 1e-9, 'ci95');
      close(r.lo!, c.mean - c.ci95, 1e-9, 'lo');
      close(r.hi!, c.mean + c.ci95, 1e-9, 'hi');
    }
  });

  it('has no CI for one value and refuses an empty sample', () => {
    assert.deepEqual(meanCi([0.7]), { n: 1, mean: 0.7, sd: null, ci95: null, lo: null, hi: null });
    assert.throws(() => meanCi([]), /at least one value/);
  });
});

describe('paired difference', () => {
  it('pairs by seed, ignores unshared seeds and gives the paired CI', () => {
    const a = new Map([
      [0, 0.95],
      [1, 0.97],
      [2, 0.95],
      [3, 0.97],
      [9, 0.5],
    ]);
    const b = new Map([
      [3, 0.9],
      [2, 0.89],
      [1, 0.91],
      [0, 0.9],
    ]);
    const d = pairedDifference(a, b)!;
    assert.deepEqual(d.seeds, [0, 1, 2, 3]);
    // diffs 0.05, 0.06, 0.06, 0.07: mean 0.06, sd sqrt(0.0002/3), half-width t(0.975, 3)·sd/2
    close(d.mean, 0.06, 1e-12, 'mean');
    close(d.ci95!, (3.182446305284263 * Math.sqrt(0.0002 / 3)) / 2, 1e-9, 'ci95');
    assert.equal(pairedDifference(new Map([[1, 1]]), new Map([[2, 1]])), null);
  });
});
