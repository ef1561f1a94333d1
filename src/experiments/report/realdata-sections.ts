import { bootstrapMeanCi, type MeanCi, meanCi } from '../../math/index.js';
import type { TrialRecord } from '../trials/trial-record.js';
import { mean } from './accuracy-sections.js';
import { bySeed, compareMethods } from './cells.js';
import type { RealDataCell, RealDataCurve, RealDataData, RealDataGain, RealDataGroup, Section } from './report-types.js';

/** Title of the real-data section, shared by the renderers and the tests. */
export const REALDATA_TITLE = 'Real data: accuracy vs width at a fixed non-zero count';

const key = (r: TrialRecord): { dataset: string; hiddenLayers: number } => ({
  dataset: String(r.config.datasetName),
  hiddenLayers: Number(r.config.depth),
});

/** Whether a record is of a real-data trial (task kind 'dataset'). */
export function isDatasetRecord(r: TrialRecord): boolean {
  return r.config.task === 'dataset';
}

/** Groups real-data records by dataset, depth and then (h, α, method), in that order. */
function groupBy<T>(items: readonly T[], id: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of items) out.set(id(t), [...(out.get(id(t)) ?? []), t]);
  return out;
}

function cellOf(records: TrialRecord[]): RealDataCell | null {
  const r0 = records[0];
  const acc = [...bySeed(records, (r) => r.metrics.accuracy).values()];
  if (acc.length === 0) return null;
  const m: MeanCi = bootstrapMeanCi(acc);
  return {
    ...key(r0),
    h: r0.config.h,
    alpha: r0.config.alpha,
    method: r0.config.method,
    seeds: m.n,
    mean: m.mean,
    lo: m.lo,
    hi: m.hi,
    nnz: Math.round(mean(records.map((r) => r.metrics.nnz))),
    width: mean(records.map((r) => r.metrics.width)),
    seconds: mean(records.map((r) => r.timings.seconds)),
  };
}

function curveOf(method: string, records: readonly TrialRecord[]): RealDataCurve | null {
  const sums = new Map<number, { sum: number; count: number }>();
  for (const r of records) {
    r.curves.epoch.forEach((e, i) => {
      const a = r.curves.testAccuracy[i];
      if (!Number.isFinite(a)) return;
      const s = sums.get(e) ?? { sum: 0, count: 0 };
      sums.set(e, { sum: s.sum + a, count: s.count + 1 });
    });
  }
  const epoch = [...sums.keys()].sort((a, b) => a - b);
  if (epoch.length === 0) return null;
  const seeds = new Set(records.map((r) => r.config.seed)).size;
  return { method, seeds, epoch, accuracy: epoch.map((e) => sums.get(e)!.sum / sums.get(e)!.count) };
}

function groupOf(records: TrialRecord[]): RealDataGroup {
  const byCell = groupBy(records, (r) => `${r.config.h}|${r.config.alpha}|${r.config.method}`);
  const cells = [...byCell.values()]
    .flatMap((rs) => cellOf(rs) ?? [])
    .sort((a, b) => a.h - b.h || compareMethods(a.method, b.method) || a.alpha - b.alpha);
  const accuracy = (r: TrialRecord): number => r.metrics.accuracy;
  const gains: RealDataGain[] = [];
  for (const c of cells) {
    if (c.method === 'dense') continue;
    const dense = bySeed(byCell.get(`${c.h}|1|dense`) ?? [], accuracy);
    const own = bySeed(byCell.get(`${c.h}|${c.alpha}|${c.method}`) ?? [], accuracy);
    // relative gain per seed over the shared seeds, then its mean and CI
    const rel = new Map([...own].filter(([s]) => dense.has(s)).map(([s, a]) => [s, (a - dense.get(s)!) / dense.get(s)!]));
    if (rel.size === 0) continue;
    const g = meanCi([...rel.values()]);
    gains.push({ h: c.h, alpha: c.alpha, method: c.method, gain: g.mean, ci95: g.ci95, pairs: g.n });
  }
  const h = Math.min(...cells.map((c) => c.h));
  const alpha = Math.max(...cells.filter((c) => c.h === h).map((c) => c.alpha));
  const focus = records.filter((r) => r.config.h === h && (r.config.alpha === alpha || r.config.method === 'dense'));
  const series = [...groupBy(focus, (r) => r.config.method)]
    .sort((a, b) => compareMethods(a[0], b[0]))
    .flatMap(([m, rs]) => curveOf(m, rs) ?? []);
  const splits = focus.flatMap((r) => (r.curves.splitEpoch === undefined ? [] : [r.curves.splitEpoch])).sort((a, b) => a - b);
  const splitEpoch = splits.length === 0 ? null : splits[Math.floor((splits.length - 1) / 2)];
  return { ...key(records[0]), cells, gains, curves: { h, alpha, splitEpoch, series } };
}

/** The real-data section: per dataset and depth, accuracy per (h, α, method), relative gain over dense and curves. */
export function realDataSection(records: readonly TrialRecord[]): Section<RealDataData> {
  const own = records.filter(isDatasetRecord);
  if (own.length === 0) return { title: REALDATA_TITLE, available: false, note: 'No real-data trials.' };
  const groups = [...groupBy(own, (r) => `${key(r).dataset}|${key(r).hiddenLayers}`).values()]
    .map(groupOf)
    .sort((a, b) => (a.dataset < b.dataset ? -1 : a.dataset > b.dataset ? 1 : a.hiddenLayers - b.hiddenLayers));
  return { title: REALDATA_TITLE, available: true, data: { groups } };
}
