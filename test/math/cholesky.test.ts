import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/engine/index.js';
import { choleskyLower, choleskyLowerInPlace, NotPositiveDefinite } from '../../src/math/index.js';

/** A symmetric positive definite [n, n]: BᵀB/n + 0.1·I for a random B [n, n]. */
function spd(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const b = Float64Array.from({ length: n * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += b[k * n + i] * b[k * n + j];
      a[i * n + j] = s / n + (i === j ? 0.1 : 0);
    }
  return a;
}

describe('choleskyLower', () => {
  for (const n of [1, 2, 9, 40]) {
    it(`L·Lᵀ = A with L lower triangular, positive diagonal; A unchanged (n = ${n})`, () => {
      const a = spd(n, n);
      const before = a.slice();
      const l = choleskyLower(a, n);
      assert.deepEqual(a, before);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        assert.ok(l[i * n + i] > 0);
        for (let j = 0; j < n; j++) {
          if (j > i) assert.equal(l[i * n + j], 0, `L[${i}, ${j}] above the diagonal`);
          let s = 0;
          for (let k = 0; k < n; k++) s += l[i * n + k] * l[j * n + k];
          worst = Math.max(worst, Math.abs(s - a[i * n + j]));
        }
      }
      assert.ok(worst < 1e-12, `max |L·Lᵀ − A| = ${worst}`);
    });
  }

  it('in place: the same L bit for bit in the lower triangle, the upper triangle untouched, the same buffer', () => {
    const n = 40;
    const a = spd(n, 7);
    const l = choleskyLower(a, n);
    const b = a.slice();
    assert.equal(choleskyLowerInPlace(b, n), b);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) assert.ok(Object.is(b[i * n + j], j <= i ? l[i * n + j] : a[i * n + j]), `[${i}, ${j}]`);
  });

  it('names the row where a pivot is not positive', () => {
    const n = 5;
    const a = spd(n, 3);
    for (let j = 0; j < n; j++) {
      a[3 * n + j] = a[2 * n + j];
      a[j * n + 3] = a[j * n + 2];
    }
    a[3 * n + 3] = a[2 * n + 2]; // rows 2 and 3 equal: singular at row 3
    for (const f of [choleskyLower, choleskyLowerInPlace])
      assert.throws(
        () => f(a.slice(), n),
        (err: unknown) => err instanceof NotPositiveDefinite && err.index === 3,
      );
  });
});
