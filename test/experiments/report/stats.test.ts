import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { histogram, linearFit, meanCi, pairedDifference, sharedBinEdges } from '../../../src/experiments/report/stats.js';
import { regularizedBeta, studentTQuantile } from '../../../src/experiments/report/student-t.js';

// Fixtures written by scripts/fixtures/make_stats_fixture.py (SciPy 1.10). SciPy's own t.ppf is
// only good to ~5e-9 relative (cdflib), so the script also stores "t", the ppf polished by Newton
// steps on SciPy's t.sf / t.pdf (~1e-15); we match that to 1e-12 and the raw ppf to 1e-8.
function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../fixtures/stats-${name}.json`, import.meta.url), 'utf8')) as T;
}

function close(actual: number, expected: number, rel: number, what: string): void {
  const err = Math.abs(expected) < 1e-12 ? Math.abs(actual - expected) : Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(err <= rel, `${what}: got ${actual}, expected ${expected} (error ${err.toExponential(2)} > ${rel})`);
}

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

describe('histograms', () => {
  it('counts like numpy.histogram (last bin closed)', () => {
    for (const c of fixture<{ values: number[]; edges: number[]; counts: number[] }[]>('histogram')) {
      assert.deepEqual(histogram(c.values, c.edges), c.counts);
    }
  });

  it('shares equal-width edges across groups and covers every value', () => {
    const edges = sharedBinEdges(
      [
        [0, 1],
        [2, 4],
      ],
      4,
    );
    assert.deepEqual(edges, [0, 1, 2, 3, 4]);
    assert.deepEqual(histogram([0, 1], edges), [1, 1, 0, 0]);
    assert.deepEqual(histogram([2, 4], edges), [0, 0, 1, 1]);
    assert.deepEqual(sharedBinEdges([[3, 3]], 2), [2.5, 3, 3.5]);
    assert.deepEqual(sharedBinEdges([[]]), []);
  });
});
