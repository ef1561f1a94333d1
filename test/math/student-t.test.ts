import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { regularizedBeta, studentTQuantile } from '../../src/math/student-t.js';
import { close, fixture } from './helpers.js';

describe('Student t quantile', () => {
  const cases = fixture<{ p: number; df: number; ppf: number; t: number }[]>('t');

  it('matches scipy.stats.t.ppf(0.975, df) for df 1..60', () => {
    const ours = cases.filter((c) => c.p === 0.975);
    assert.equal(ours.length, 60);
    for (const c of ours) {
      close(studentTQuantile(c.p, c.df), c.t, 1e-12, `df=${c.df}`);
      close(studentTQuantile(c.p, c.df), c.ppf, 1e-8, `raw ppf df=${c.df}`);
    }
  });

  it('matches SciPy at other levels and large df, and is odd around p = 0.5', () => {
    for (const c of cases) close(studentTQuantile(c.p, c.df), c.t, 1e-12, `p=${c.p} df=${c.df}`);
    assert.equal(studentTQuantile(0.5, 4), 0);
    assert.equal(studentTQuantile(0.025, 9), -studentTQuantile(0.975, 9));
  });

  it('has the closed forms at df = 1 and df = 2', () => {
    close(studentTQuantile(0.9, 1), Math.tan(Math.PI * 0.4), 1e-13, 'Cauchy');
    const p = 0.95;
    close(studentTQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 1e-13, 'df=2');
  });

  it('rejects p outside (0, 1) with the bad value in the message', () => {
    assert.throws(() => studentTQuantile(1, 3), /0 < p < 1, got 1/);
    assert.throws(() => studentTQuantile(0.9, 0), /df > 0, got 0/);
  });

  it('regularized incomplete beta: symmetric cases and ends', () => {
    close(regularizedBeta(0.5, 3, 3), 0.5, 1e-14, 'I_0.5(3,3)');
    assert.equal(regularizedBeta(0, 2, 2), 0);
    assert.equal(regularizedBeta(1, 2, 2), 1);
    // I_x(1, 1) = x
    close(regularizedBeta(0.3, 1, 1), 0.3, 1e-14, 'I_x(1,1)');
  });
});
