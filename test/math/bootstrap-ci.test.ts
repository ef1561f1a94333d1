import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bootstrapMeanCi } from '../../src/math/index.js';
import { fixture } from './helpers.js';

interface Case {
  values: number[];
  exact_lo: number;
  exact_hi: number;
  scipy_lo: number;
  scipy_hi: number;
}

describe('percentile-bootstrap 95% interval of a mean', () => {
  it('matches the exact bootstrap distribution (full enumeration) and SciPy within Monte Carlo error', () => {
    for (const c of fixture<Case[]>('bootstrap')) {
      const r = bootstrapMeanCi(c.values);
      // 10^4 resamples: the 2.5% and 97.5% quantiles move by well under 0.3 pp between seeds
      for (const [got, exact, scipy, what] of [
        [r.lo!, c.exact_lo, c.scipy_lo, 'lo'],
        [r.hi!, c.exact_hi, c.scipy_hi, 'hi'],
      ] as const) {
        assert.ok(Math.abs(got - exact) <= 3e-3, `${what} of [${c.values}]: ${got} vs exact ${exact}`);
        assert.ok(Math.abs(got - scipy) <= 3e-3, `${what} of [${c.values}]: ${got} vs SciPy ${scipy}`);
      }
    }
  });

  it('is exact where the answer is known by hand, deterministic, and null below two values', () => {
    // two values: resampled means are a, (a + b) / 2, b with probabilities 1/4, 1/2, 1/4
    const two = bootstrapMeanCi([0.96, 1]);
    assert.deepEqual([two.lo, two.hi, two.ci95], [0.96, 1, null]);
    assert.deepEqual(bootstrapMeanCi([1, 1, 1]), { n: 3, mean: 1, sd: 0, ci95: null, lo: 1, hi: 1 });
    assert.deepEqual(bootstrapMeanCi([0.7]), { n: 1, mean: 0.7, sd: null, ci95: null, lo: null, hi: null });
    const v = [0.97, 1, 0.99, 1, 0.985, 1, 0.995, 1, 1, 0.98];
    assert.deepEqual(bootstrapMeanCi(v), bootstrapMeanCi(v));
    assert.throws(() => bootstrapMeanCi([]), /at least one value/);
  });

  it('the Boolean report case: a t interval passes 100%, the bootstrap one does not', () => {
    const v = [0.97, 1, 1, 1, 1, 0.96, 1, 1, 1, 1];
    const r = bootstrapMeanCi(v);
    assert.ok(r.hi! <= 1 && r.lo! >= 0.96 && r.lo! < r.mean, `[${r.lo}, ${r.hi}]`);
  });

  it('stays inside [min, max] of the data, so inside [0, 1] for accuracies (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 20 }), fc.nat(), (values, seed) => {
        const r = bootstrapMeanCi(values, { resamples: 500, seed });
        const [min, max] = [Math.min(...values), Math.max(...values)];
        return r.lo! >= 0 && r.hi! <= 1 && min <= r.lo! && r.lo! <= r.hi! && r.hi! <= max;
      }),
      { numRuns: 300, seed: 6 },
    );
  });
});
