import type { Block } from './block.js';
import { dots, line, plotSpec, ruleAtX, ruleAtY, type Series, seriesScales, whiskers } from './figure-marks.js';
import type { Figure, MarkSpec } from './figure-spec.js';
import { pct, pctInterval, seedsText } from './format.js';
import { methodStyle } from './method-style.js';
import type { RealDataData, RealDataGroup, Section } from './report-types.js';
import type { Table } from './tables.js';

const seriesName = (method: string, alpha: number): string => (method === 'dense' ? 'dense' : `${method}, α=${alpha}`);
const dodge = (i: number, count: number): number => (i - (count - 1) / 2) * 6;
const layers = (g: RealDataGroup): string => `${g.hiddenLayers} hidden layer${g.hiddenLayers === 1 ? '' : 's'}`;

// One series per (method, α); α = 2 hollow, the largest α filled, so the two expansions of one method share a colour.
function series(points: { method: string; alpha: number }[]): Array<Series & { method: string; alpha: number }> {
  const alphas = [...new Set(points.filter((p) => p.method !== 'dense').map((p) => p.alpha))].sort((a, b) => a - b);
  const seen = new Map(points.map((p) => [seriesName(p.method, p.alpha), { method: p.method, alpha: p.alpha }]));
  return [...seen].map(([name, s]) => ({
    ...s,
    name,
    style: { ...methodStyle(s.method), hollow: s.alpha !== alphas[alphas.length - 1] && s.method !== 'dense' },
  }));
}

/** Markers with whiskers per series at band positions h (the 95% interval [lo, hi], in percent). */
function pointsWithCi<P extends { method: string; alpha: number; h: number }>(
  points: P[],
  value: (p: P) => number,
  interval: (p: P) => [number, number] | null,
  tip: boolean,
): MarkSpec[] {
  const all = series(points);
  return all.flatMap((s, i) => {
    const pts = points.filter((p) => p.method === s.method && p.alpha === s.alpha);
    const dx = dodge(i, all.length);
    const ci = pts.flatMap((p) => {
      const at = interval(p);
      return at === null ? [] : [{ h: String(p.h), lo: at[0] * 100, hi: at[1] * 100 }];
    });
    const rows = pts.map((p) => ({ h: String(p.h), y: value(p) * 100, ...(tip ? { tip: `${s.name}, h=${p.h}: ${pct(value(p))}` } : {}) }));
    return [whiskers(s, ci, { x: 'h', y1: 'lo', y2: 'hi', dx }), dots(s, rows, { x: 'h', y: 'y', dx, ...(tip ? { title: 'tip' } : {}) })];
  });
}

const widths = (points: { h: number }[]): string[] => [...new Set(points.map((p) => p.h))].sort((a, b) => a - b).map(String);

function accuracyChart(g: RealDataGroup): Figure {
  const seeds = Math.max(...g.cells.map((c) => c.seeds));
  return {
    spec: plotSpec({
      title: `${g.dataset}, ${layers(g)}: test accuracy vs width`,
      x: { type: 'band', label: 'dense width h (every method at the dense non-zero count)', domain: widths(g.cells) },
      y: { type: 'linear', label: 'test accuracy (%)' },
      ...seriesScales(series(g.cells), true),
      marks: pointsWithCi(
        g.cells,
        (c) => c.mean,
        (c) => (c.lo === null || c.hi === null ? null : [c.lo, c.hi]),
        true,
      ),
    }),
    caption: `Mean test accuracy over up to ${seedsText(seeds)}; whiskers: 95% CI (seeded percentile bootstrap over seeds, so it stays inside [0%, 100%]). At each h all methods hold the dense network's non-zero weights.`,
  };
}

function gainChart(g: RealDataGroup): Figure {
  return {
    spec: plotSpec({
      title: `${g.dataset}, ${layers(g)}: relative gain over dense`,
      x: { type: 'band', label: 'dense width h', domain: widths(g.gains) },
      y: { type: 'linear', label: '(acc − acc dense) / acc dense (%)' },
      ...seriesScales(series(g.gains), true),
      marks: [
        ruleAtY(0, '#000000'),
        ...pointsWithCi(
          g.gains,
          (p) => p.gain,
          (p) => (p.ci95 === null ? null : [p.gain - p.ci95, p.gain + p.ci95]),
          false,
        ),
      ],
    }),
    caption:
      'Relative accuracy gain over the dense network of the same width and non-zero count, mean over paired seeds; whiskers: paired 95% CI.',
  };
}

function curvesChart(g: RealDataGroup): Figure {
  const { h, alpha, splitEpoch } = g.curves;
  const all = g.curves.series.map((s): Series => ({ name: s.method, style: methodStyle(s.method) }));
  const marks = g.curves.series.map((s, i) =>
    line(
      all[i],
      s.epoch.map((e, j) => ({ epoch: e, accuracy: s.accuracy[j] * 100 })),
      { x: 'epoch', y: 'accuracy' },
    ),
  );
  if (splitEpoch !== null) marks.push(...ruleAtX(splitEpoch, `split (epoch ${splitEpoch})`, '#555555', '4 3'));
  const seeds = g.curves.series.map((s) => `${s.method} ${s.seeds}`).join(', ');
  return {
    spec: plotSpec({
      title: `${g.dataset}: test accuracy during training, h=${h}, α=${alpha}`,
      x: { type: 'linear', label: 'epoch' },
      y: { type: 'linear', label: 'test accuracy (%)' },
      ...seriesScales(all, false),
      marks,
    }),
    caption: `Mean test accuracy per epoch over seeds (${seeds}); the dashed line marks the FPE split.`,
  };
}

function cellsTable(g: RealDataGroup): Table {
  return {
    head: ['h', 'α', 'method', 'width', 'nnz', 'seeds', 'mean accuracy', '95% CI', 's / trial'],
    rows: g.cells.map((c) => [
      String(c.h),
      String(c.alpha),
      c.method,
      String(Math.round(c.width)),
      String(Math.round(c.nnz)),
      String(c.seeds),
      pct(c.mean, 2),
      pctInterval(c.lo, c.hi, 2),
      c.seconds.toFixed(1),
    ]),
  };
}

function gainTable(g: RealDataGroup): Table {
  return {
    head: ['h', 'α', 'method', 'paired seeds', 'relative gain', '95% CI half-width'],
    rows: g.gains.map((p) => [
      String(p.h),
      String(p.alpha),
      p.method,
      String(p.pairs),
      pct(p.gain, 2),
      p.ci95 === null ? '–' : pct(p.ci95, 2),
    ]),
  };
}

/** One report block per (dataset, depth) of the real-data section, or a single note block when it is absent. */
export function realDataBlocks(s: Section<RealDataData>): Block[] {
  if (!s.available) return [{ id: 'realdata', title: s.title, note: s.note, paragraphs: [], figures: () => [], tables: [] }];
  return s.data.groups.map((g) => ({
    id: `realdata-${g.dataset}-${g.hiddenLayers}`.replace(/[^A-Za-z0-9_-]/g, '-'),
    title: `${s.title}: ${g.dataset}, ${layers(g)}`,
    paragraphs: [
      'Dense trains E1 + E2 epochs at width h; FPE trains E1 dense epochs, splits every hidden layer into α children and trains E2 more; sparse-init trains a network α times wider with random masks from the start. All at the dense network’s non-zero count.',
    ],
    figures: () => [accuracyChart(g), gainChart(g), curvesChart(g)],
    tables: [
      { title: 'Accuracy per width, α and method', table: cellsTable(g) },
      { title: 'Relative gain over dense', table: gainTable(g) },
    ],
  }));
}
