import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/engine/index.js';
import { NotPositiveDefinite } from '../../src/math/index.js';
import { calibrationHessian, inverseHessianFactor, inverseHessianFactorInPlace } from '../../src/prune/hessian.js';

/** A dampened calibration Hessian of n random inputs of width d. */
function hessian(n: number, d: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: n * d }, () => rng.normal());
  const h = calibrationHessian(x, n, d);
  for (let j = 0; j < d; j++) h[j * d + j] += 0.01;
  return h;
}

describe('inverseHessianFactor', () => {
  for (const [n, d] of [
    [64, 1],
    [64, 7],
    [200, 33],
    [16, 40], // fewer samples than inputs: only the dampening keeps H positive definite
  ]) {
    it(`is the upper factor of the inverse: UᵀU·H = I, U upper with a positive diagonal (d = ${d}, n = ${n})`, () => {
      const h = hessian(n, d, d);
      const u = inverseHessianFactor(h, d);
      let worst = 0;
      for (let i = 0; i < d; i++) {
        assert.ok(u[i * d + i] > 0, `U[${i}, ${i}] > 0`);
        for (let j = 0; j < i; j++) assert.equal(u[i * d + j], 0, `U[${i}, ${j}] below the diagonal`);
        for (let j = 0; j < d; j++) {
          // (UᵀU·H)[i, j] = Σ_k Σ_m U[m, i]·U[m, k]·H[k, j]
          let s = 0;
          for (let k = 0; k < d; k++) {
            let utu = 0;
            for (let m = 0; m < d; m++) utu += u[m * d + i] * u[m * d + k];
            s += utu * h[k * d + j];
          }
          worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
        }
      }
      assert.ok(worst < 1e-8, `max |UᵀU·H − I| = ${worst}`);
    });
  }

  it('names the row of H where it is not positive definite', () => {
    const d = 4;
    const h = hessian(32, d, 1);
    // make row 2 a copy of row 1 (and column too): singular, fails in the reversed factorisation at original row 1 or 2
    for (let j = 0; j < d; j++) {
      h[2 * d + j] = h[1 * d + j];
      h[j * d + 2] = h[j * d + 1];
    }
    h[2 * d + 2] = h[1 * d + 1];
    assert.throws(
      () => inverseHessianFactor(h, d),
      (err: unknown) => err instanceof NotPositiveDefinite && (err.index === 1 || err.index === 2),
    );
  });

  it('in place: the same U bit for bit, written over h (no second matrix); the copying form leaves h unchanged', () => {
    for (const [n, d] of [
      [64, 1],
      [64, 2],
      [200, 33],
      [16, 40],
    ]) {
      const h = hessian(n, d, d + 1);
      const before = h.slice();
      const u = inverseHessianFactor(h, d);
      assert.deepEqual(h, before, 'inverseHessianFactor leaves h alone');
      assert.equal(inverseHessianFactorInPlace(h, d), h);
      for (let i = 0; i < d * d; i++) assert.ok(Object.is(h[i], u[i]), `d = ${d}: entry ${i}: ${h[i]} vs ${u[i]}`);
    }
  });

  it('in place, names the row of H where it is not positive definite', () => {
    const d = 5;
    const h = hessian(32, d, 2);
    for (let j = 0; j < d; j++) h[3 * d + j] = h[j * d + 3] = 0;
    assert.throws(
      () => inverseHessianFactorInPlace(h, d),
      (err: unknown) => err instanceof NotPositiveDefinite && err.index === 3,
    );
  });
});
