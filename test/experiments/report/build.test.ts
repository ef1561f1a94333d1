import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildReport } from '../../../src/experiments/report/build-report.js';
import type { Report, Section } from '../../../src/experiments/report/report-types.js';
import type { TrialRecord } from '../../../src/experiments/trials/trial-record.js';
import { trial } from './helpers.js';

const T3 = 3.182446305284263; // scipy.stats.t.ppf(0.975, 3)

function close(actual: number | null | undefined, expected: number, what: string, tol = 1e-9): void {
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected}`);
}

function data<T>(s: Section<T>): T {
  assert.ok(s.available, `section "${s.title}" is absent: ${s.available ? '' : s.note}`);
  return s.data;
}

// Four seeds in the headline cell; accuracies picked so means and CIs are easy to check by hand.
function headlineRecords(): TrialRecord[] {
  const acc = { dense: [0.8, 0.82, 0.78, 0.8], 'fpe-random': [0.9, 0.91, 0.89, 0.9], 'fpe-clause': [0.95, 0.97, 0.95, 0.97] };
  return Object.entries(acc).flatMap(([method, values]) => values.map((accuracy, seed) => trial({ method, seed, accuracy })));
}

// Figure 3c cells: dense acc 0.8 (capacity 0.5, cosine 0.2) and one fpe-random trial per cell
// with relative gains 0.1, 0.2, 0.05; capacity fold = 1 + 2·gain exactly, cosine folds 0.9, 0.7, 0.95.
function foldRecords(): TrialRecord[] {
  const cells = [
    { m: 8, acc: 0.88, cap: 0.6, cos: 0.18 },
    { m: 16, acc: 0.96, cap: 0.7, cos: 0.14 },
    { m: 24, acc: 0.84, cap: 0.55, cos: 0.19 },
  ];
  return cells.flatMap((c) => [
    trial({ method: 'dense', seed: 0, m: c.m, accuracy: 0.8, metrics: { capacityMean: 0.5, cosineMean: 0.2 } }),
    trial({ method: 'fpe-random', seed: 0, m: c.m, accuracy: c.acc, metrics: { capacityMean: c.cap, cosineMean: c.cos } }),
  ]);
}

describe('buildReport: accuracy', () => {
  const report = buildReport(headlineRecords(), { generatedAt: 'now' });

  it('summarises every cell × method with mean and 95% CI over seeds', () => {
    assert.equal(report.cells.length, 3);
    const dense = report.cells.find((c) => c.method === 'dense')!;
    assert.deepEqual(
      { ...dense, mean: 0, lo: 0, hi: 0, sd: 0 },
      { mode: 'which-clause', n: 32, m: 16, k: 3, h: 8, alpha: 1, method: 'dense', seeds: 4, mean: 0, lo: 0, hi: 0, sd: 0 },
    );
    close(dense.mean, 0.8, 'dense mean');
    // percentile bootstrap of 0.8 + {0, 0.02, -0.02, 0}: a resample's mean is 0.8 + 0.02 (B − 4) / 4
    // with B ~ Binomial(8, 1/2); P(B <= 0) = 1/256 < 2.5% <= P(B <= 1) = 9/256, so lo = 0.785, hi = 0.815
    close(dense.lo, 0.785, 'dense lo');
    close(dense.hi, 0.815, 'dense hi');
    assert.deepEqual(
      report.cells.map((c) => c.method),
      ['dense', 'fpe-random', 'fpe-clause'],
    );
  });

  it('puts dense (recorded at α = 1) in the headline cell as the baseline', () => {
    const h = data(report.headline);
    assert.deepEqual(h.cell, report.headlineCell);
    assert.deepEqual(
      h.methods.map((m) => [m.method, m.n]),
      [
        ['dense', 4],
        ['fpe-random', 4],
        ['fpe-clause', 4],
      ],
    );
    close(h.methods[2].mean, 0.96, 'clause mean');
  });

  it('pairs clause − random over seeds in the headline cell', () => {
    const p = data(report.paired);
    assert.equal(p.rows.length, 1);
    const d = p.headline!.diff;
    close(d.mean, 0.06, 'paired mean');
    close(d.ci95, (T3 * Math.sqrt(0.0002 / 3)) / 2, 'paired ci95');
    assert.deepEqual(d.seeds, [0, 1, 2, 3]);
  });

  it('gives the gain over dense against load m/h, paired over seeds', () => {
    const g = data(report.gain).points;
    assert.deepEqual(
      g.map((p) => [p.method, p.load, p.pairs]),
      [
        ['fpe-random', 2, 4],
        ['fpe-clause', 2, 4],
      ],
    );
    close(g[0].gain, 0.1, 'random gain');
    close(g[1].gain, 0.16, 'clause gain');
    // clause − dense per seed: 0.15, 0.15, 0.17, 0.17 → sd = sqrt(0.0004 / 3)
    close(g[1].ci95, (T3 * Math.sqrt(0.0004 / 3)) / 2, 'clause gain ci95');
  });

  it('notes the missing m = 8 cell instead of comparing with the paper', () => {
    assert.equal(report.published.available, false);
    assert.match(report.published.available ? '' : report.published.note, /No trials in the m = 8 cell/);
  });
});

describe('buildReport: published comparison', () => {
  it('places our m = 8 cell beside the published figures and checks the ordering', () => {
    const records = headlineRecords().map((r) => ({ ...r, config: { ...r.config, m: 8 } }));
    const p = data(buildReport(records).published);
    assert.deepEqual(
      p.rows.map((r) => [r.method, r.published]),
      [
        ['dense', 0.787],
        ['fpe-random', 0.887],
        ['fpe-clause', 0.994],
      ],
    );
    assert.equal(p.sameOrdering, true);
  });
});

describe('buildReport: mechanisms', () => {
  it('fits capacity and cosine fold change against relative gain (Figure 3c)', () => {
    const f = data(buildReport(foldRecords()).fold);
    assert.equal(f.points.length, 3);
    close(f.points[0].relativeGain, 0.1, 'relative gain');
    close(f.capacityFit!.intercept, 1, 'capacity intercept');
    close(f.capacityFit!.slope, 2, 'capacity slope');
    close(f.capacityFit!.r2, 1, 'capacity R²');
    // cosine folds (0.9, 0.7, 0.95) at gains (0.1, 0.2, 0.05): Sxx = 0.035/3, Sxy = -0.02, Syy = 0.035
    close(f.cosineFit!.slope, -0.02 / (0.035 / 3), 'cosine slope');
    close(f.cosineFit!.intercept, 1.05, 'cosine intercept');
    close(f.cosineFit!.r2, 0.0004 / ((0.035 / 3) * 0.035), 'cosine R²');
  });

  it('tabulates collisions per unit by α with the prediction and α^−(2k−1)', () => {
    const records = [2, 4].flatMap((alpha) =>
      [0, 1, 2].map((seed) =>
        trial({
          method: 'fpe-random',
          seed,
          alpha,
          accuracy: 0.9,
          metrics: { collisionsPerUnitAfterSplit: alpha === 2 ? 1 + seed / 10 : 0.01, collisionsPredicted: alpha === 2 ? 1.06 : 0.0037 },
        }),
      ),
    );
    const c = data(buildReport(records).collisions);
    assert.equal(c.groups.length, 1);
    const rows = c.groups[0].rows;
    assert.deepEqual(
      rows.map((r) => [r.alpha, r.measured.n, r.predicted, r.asymptotic]),
      [
        [2, 3, 1.06, 2 ** -5],
        [4, 3, 0.0037, 4 ** -5],
      ],
    );
    close(rows[0].measured.mean, 1.1, 'measured mean');
    assert.equal(rows[1].measured.sd, 0);
  });

  it('histograms per-unit Wasserstein distances on shared bins, and averages curves per epoch', () => {
    const curve = (acc: number[], splitEpoch?: number) => ({ epoch: [1, 2, 3], testAccuracy: acc, splitEpoch });
    const records = [
      trial({ method: 'dense', seed: 0, accuracy: 0.8, metrics: { wasserstein: [0.3, 0.4] }, curves: curve([0.5, 0.6, 0.7]) }),
      trial({ method: 'dense', seed: 1, accuracy: 0.8, metrics: { wasserstein: [0.5, 0.4] }, curves: curve([0.7, 0.8, 0.9]) }),
      trial({
        method: 'fpe-clause',
        seed: 0,
        accuracy: 0.9,
        metrics: { wasserstein: [0.1, 0.2, 0.1, 0.2] },
        curves: curve([0.5, 0.7, 0.9], 2),
      }),
    ];
    const r = buildReport(records);
    const w = data(r.wasserstein);
    assert.equal(w.edges[0], 0.1);
    assert.equal(w.edges[w.edges.length - 1], 0.5);
    assert.deepEqual(
      w.groups.map((g) => [g.method, g.units, g.seeds, g.counts.reduce((s, c) => s + c, 0)]),
      [
        ['dense', 4, 2, 4],
        ['fpe-clause', 4, 1, 4],
      ],
    );
    close(w.groups[0].mean, 0.4, 'dense mean W1');
    const c = data(r.curves);
    assert.equal(c.splitEpoch, 2);
    assert.deepEqual(c.series[0].epoch, [1, 2, 3]);
    for (const [i, a] of c.series[0].accuracy.entries()) close(a, [0.6, 0.7, 0.8][i], `dense epoch ${i + 1}`);
  });
});

describe('buildReport: missing pieces', () => {
  const absent = (r: Report) =>
    (['headline', 'published', 'paired', 'gain', 'fold', 'collisions', 'wasserstein', 'curves'] as const).filter((k) => !r[k].available);

  it('a dense-only run keeps the headline table and notes every comparison', () => {
    const r = buildReport([trial({ method: 'dense', seed: 0, accuracy: 0.8 })]);
    assert.equal(r.headline.available, true);
    assert.deepEqual(absent(r), ['published', 'paired', 'gain', 'fold', 'collisions', 'wasserstein', 'curves']);
    for (const k of absent(r)) assert.ok(!r[k].available && r[k].note.length > 0);
  });

  it('an empty run gives notes everywhere and no cells', () => {
    const r = buildReport([]);
    assert.equal(r.cells.length, 0);
    assert.equal(absent(r).length, 8);
    assert.equal(r.title, 'widen report');
  });

  it('without the headline cell, single-cell sections show the fullest cell and say so', () => {
    const r = buildReport(headlineRecords().map((x) => ({ ...x, config: { ...x.config, h: 12 } })));
    const h = data(r.headline);
    assert.equal(h.cell.h, 12);
    assert.match(r.headline.note ?? '', /headline cell .* has no trials; showing .*h=12/);
  });

  it('skips non-finite metrics (NaN is stored as null in JSON)', () => {
    const r = buildReport([
      trial({ method: 'dense', seed: 0, accuracy: 0.8, metrics: { capacityMean: null as unknown as number } }),
      trial({ method: 'fpe-random', seed: 0, accuracy: Number.NaN }),
      trial({ method: 'fpe-random', seed: 1, accuracy: 0.9 }),
    ]);
    assert.deepEqual(
      r.cells.map((c) => [c.method, c.seeds]),
      [
        ['dense', 1],
        ['fpe-random', 1],
      ],
    );
    assert.equal(data(r.fold).points[0].capacityFold, null);
  });
});

describe('buildReport: bounded intervals', () => {
  it('never shows an accuracy interval past 100% (a t interval gave [97.7%, 100.3%] here)', () => {
    // 10 seeds near 100%: mean 0.993, t half-width 0.0132
    const values = [0.97, 1, 1, 1, 1, 0.96, 1, 1, 1, 1];
    const records = values.map((accuracy, seed) => trial({ method: 'dense', seed, accuracy }));
    const report = buildReport(records, { generatedAt: 'now' });
    const [cell] = report.cells;
    assert.ok(cell.lo !== null && cell.hi !== null && cell.lo >= 0.96 && cell.hi <= 1, `[${cell.lo}, ${cell.hi}]`);
    const [dense] = data(report.headline).methods;
    assert.ok(dense.hi !== null && dense.hi <= 1);
  });
});
