import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linearFit } from '../../src/math/linear-fit.js';
import { close, fixture } from './helpers.js';

describe('least-squares fit', () => {
  it('matches scipy.stats.linregress', () => {
    for (const c of fixture<{ x: number[]; y: number[]; intercept: number; slope: number; r2: number }[]>('linregress')) {
      const f = linearFit(c.x, c.y)!;
      close(f.intercept, c.intercept, 1e-9, 'intercept');
      close(f.slope, c.slope, 1e-9, 'slope');
      close(f.r2, c.r2, 1e-9, 'r2');
      assert.equal(f.n, c.x.length);
    }
  });

  it('is null for one point or a vertical line, and R² = 1 for an exact line', () => {
    assert.equal(linearFit([1], [2]), null);
    assert.equal(linearFit([1, 1, 1], [1, 2, 3]), null);
    const f = linearFit([0, 1, 2, 3], [1, 3, 5, 7])!;
    assert.deepEqual([f.intercept, f.slope, f.r2], [1, 2, 1]);
  });
});
