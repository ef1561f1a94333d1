import { cellLabel } from './cells.js';
import { num, pct, pctCi, pctInterval, pp } from './format.js';
import type {
  CellSummary,
  CollisionData,
  CurvesData,
  FoldData,
  GainData,
  HeadlineData,
  PairedData,
  PublishedData,
  WassersteinData,
} from './report-types.js';

/** A table as plain text cells; the HTML and Markdown renderers escape and lay it out. */
export interface Table {
  head: string[];
  rows: string[][];
  /** Index of a row to emphasise (the headline cell), if any. */
  highlight?: number;
}

const ci = (lo: number | null, hi: number | null): string => pctInterval(lo, hi);

/** Accuracy per method in the headline cell, with the gap to dense. */
export function headlineTable(d: HeadlineData): Table {
  const dense = d.methods.find((m) => m.method === 'dense');
  return {
    head: ['method', 'seeds', 'mean accuracy', '95% CI', 'vs dense'],
    rows: d.methods.map((m) => [
      m.method,
      String(m.n),
      pct(m.mean),
      ci(m.lo, m.hi),
      dense && m.method !== 'dense' ? pp(m.mean - dense.mean) : '–',
    ]),
  };
}

/** Ours beside the published m = 8 figures, gaps to dense on both sides. */
export function publishedTable(d: PublishedData): Table {
  const ours = d.rows.find((r) => r.method === 'dense')?.ours?.mean ?? null;
  const theirs = d.rows.find((r) => r.method === 'dense')?.published ?? null;
  const gap = (v: number | null | undefined, base: number | null): string =>
    v === null || v === undefined || base === null ? '–' : pp(v - base);
  return {
    head: ['method', 'ours (mean [95% CI])', 'seeds', 'published', 'ours − dense', 'published − dense'],
    rows: d.rows.map((r) => [
      r.method,
      r.ours ? pctCi(r.ours.mean, r.ours.lo, r.ours.hi) : '–',
      r.ours ? String(r.ours.n) : '0',
      pct(r.published),
      r.method === 'dense' ? '–' : gap(r.ours?.mean, ours),
      r.method === 'dense' ? '–' : gap(r.published, theirs),
    ]),
  };
}

/** The paired a − b difference per cell. */
export function pairedTable(d: PairedData): Table {
  return {
    head: ['cell', 'paired seeds', `${d.a} − ${d.b}`, '95% CI'],
    rows: d.rows.map((r) => [
      cellLabel(r.cell),
      String(r.diff.n),
      pp(r.diff.mean),
      r.diff.lo === null ? '–' : `[${pp(r.diff.lo)}, ${pp(r.diff.hi)}]`,
    ]),
    highlight: d.headline ? d.rows.indexOf(d.headline) : undefined,
  };
}

/** Every gain-over-dense point. */
export function gainTable(d: GainData): Table {
  return {
    head: ['cell', 'load m/h', 'method', 'paired seeds', 'gain over dense', '95% CI half-width'],
    rows: d.points.map((p) => [
      cellLabel(p.cell),
      num(p.load),
      p.method,
      String(p.pairs),
      pp(p.gain),
      p.ci95 === null ? '–' : `±${(p.ci95 * 100).toFixed(1)} pp`,
    ]),
  };
}

/** The two least-squares fits of Figure 3c. */
export function foldFitTable(d: FoldData): Table {
  const row = (name: string, f: FoldData['capacityFit']): string[] =>
    f ? [name, String(f.n), num(f.intercept, 4), num(f.slope, 4), f.r2.toFixed(3)] : [name, '–', '–', '–', '–'];
  return {
    head: ['fold change of', 'points', 'intercept a', 'slope b', 'R²'],
    rows: [row('mean feature capacity', d.capacityFit), row('mean pairwise cosine', d.cosineFit)],
  };
}

/** Every fold-change point. */
export function foldPointsTable(d: FoldData): Table {
  return {
    head: ['cell', 'method', 'relative gain', 'capacity fold', 'cosine fold'],
    rows: d.points.map((p) => [cellLabel(p.cell), p.method, pct(p.relativeGain), num(p.capacityFold), num(p.cosineFold)]),
  };
}

/** Measured and predicted collisions per unit, per group, method and α. */
export function collisionTable(d: CollisionData): Table {
  return {
    head: ['m', 'h', 'k', 'α', 'method', 'seeds', 'measured per unit (± 95% CI)', 'exact prediction', 'α^−(2k−1) per pair'],
    rows: d.groups.flatMap((g) =>
      g.rows.map((r) => [
        String(g.base.m),
        String(g.base.h),
        String(g.base.k),
        String(r.alpha),
        r.method,
        String(r.measured.n),
        r.measured.ci95 === null ? num(r.measured.mean) : `${num(r.measured.mean)} ± ${num(r.measured.ci95, 2)}`,
        num(r.predicted),
        num(r.asymptotic),
      ]),
    ),
  };
}

/** Summary of each Wasserstein group. */
export function wassersteinTable(d: WassersteinData): Table {
  return {
    head: ['method', 'seeds', 'units', 'mean distance'],
    rows: d.groups.map((g) => [g.method, String(g.seeds), String(g.units), num(g.mean)]),
  };
}

/** Accuracy at the split and at the end of each curve. */
export function curvesTable(d: CurvesData): Table {
  const at = (s: CurvesData['series'][number], epoch: number | null): string => {
    if (epoch === null) return '–';
    const i = s.epoch.indexOf(epoch);
    return i < 0 ? '–' : pct(s.accuracy[i]);
  };
  return {
    head: ['method', 'seeds', 'epochs', 'at the split', 'at the end'],
    rows: d.series.map((s) => [
      s.method,
      String(s.seeds),
      String(s.epoch.length),
      at(s, d.splitEpoch),
      pct(s.accuracy[s.accuracy.length - 1]),
    ]),
  };
}

/** One row per cell × method. */
export function cellsTable(cells: readonly CellSummary[]): Table {
  return {
    head: ['mode', 'n', 'm', 'k', 'h', 'α', 'method', 'seeds', 'mean accuracy', '95% CI'],
    rows: cells.map((c) => [c.mode, c.n, c.m, c.k, c.h, c.alpha, c.method, c.seeds, pct(c.mean), ci(c.lo, c.hi)].map(String)),
  };
}
