import type { Block } from './block.js';
import type { Figure } from './charts.js';
import { pct, seedsText } from './format.js';
import { methodStyle } from './method-style.js';
import type { RealDataData, RealDataGroup, Section } from './report-types.js';
import type { Mark } from './svg/marks.js';
import { plot } from './svg/plot.js';
import type { Table } from './tables.js';

const seriesName = (method: string, alpha: number): string => (method === 'dense' ? 'dense' : `${method}, α=${alpha}`);
// α = 2 hollow, the largest α filled, so the two expansions of one method share a colour
const styleOf = (method: string, alpha: number, alphas: number[]) => ({
  ...methodStyle(method),
  hollow: alpha !== alphas[alphas.length - 1] && method !== 'dense',
});
const dodge = (i: number, count: number): number => (i - (count - 1) / 2) * 6;

function series(points: { method: string; alpha: number }[]): Array<{ method: string; alpha: number }> {
  const seen = new Map(points.map((p) => [seriesName(p.method, p.alpha), { method: p.method, alpha: p.alpha }]));
  return [...seen.values()];
}

function accuracyChart(g: RealDataGroup): Figure {
  const alphas = [...new Set(g.cells.filter((c) => c.method !== 'dense').map((c) => c.alpha))].sort((a, b) => a - b);
  const all = series(g.cells);
  const marks: Mark[] = all.flatMap((s, i): Mark[] => {
    const pts = g.cells.filter((c) => c.method === s.method && c.alpha === s.alpha);
    const style = styleOf(s.method, s.alpha, alphas);
    const dx = dodge(i, all.length);
    return [
      {
        type: 'errorbar',
        style,
        data: pts
          .filter((c) => c.ci95 !== null)
          .map((c) => ({ x: String(c.h), dx, lo: (c.mean - c.ci95!) * 100, hi: (c.mean + c.ci95!) * 100 })),
      },
      {
        type: 'dot',
        style,
        data: pts.map((c) => ({
          x: String(c.h),
          dx,
          y: c.mean * 100,
          title: `${seriesName(s.method, s.alpha)}, h=${c.h}: ${pct(c.mean)}`,
        })),
      },
    ];
  });
  const hs = [...new Set(g.cells.map((c) => c.h))].sort((a, b) => a - b);
  const svg = plot({
    title: `${g.dataset}, ${g.hiddenLayers} hidden layer${g.hiddenLayers === 1 ? '' : 's'}: test accuracy vs width`,
    x: { type: 'band', label: 'dense width h (every method at the dense non-zero count)', domain: hs.map(String) },
    y: { type: 'linear', label: 'test accuracy (%)' },
    marks,
    legend: all.map((s) => ({ label: seriesName(s.method, s.alpha), style: styleOf(s.method, s.alpha, alphas), swatch: 'dot' })),
  });
  const seeds = Math.max(...g.cells.map((c) => c.seeds));
  return {
    svg,
    caption: `Mean test accuracy over up to ${seedsText(seeds)}; whiskers: 95% CI (Student t). At each h all methods hold the dense network's non-zero weights.`,
  };
}

function gainChart(g: RealDataGroup): Figure {
  const alphas = [...new Set(g.gains.map((p) => p.alpha))].sort((a, b) => a - b);
  const all = series(g.gains);
  const marks: Mark[] = [{ type: 'ruleY', y: 0, style: { color: '#000000' } }];
  all.forEach((s, i) => {
    const pts = g.gains.filter((p) => p.method === s.method && p.alpha === s.alpha);
    const style = styleOf(s.method, s.alpha, alphas);
    const dx = dodge(i, all.length);
    marks.push({
      type: 'errorbar',
      style,
      data: pts
        .filter((p) => p.ci95 !== null)
        .map((p) => ({ x: String(p.h), dx, lo: (p.gain - p.ci95!) * 100, hi: (p.gain + p.ci95!) * 100 })),
    });
    marks.push({ type: 'dot', style, data: pts.map((p) => ({ x: String(p.h), dx, y: p.gain * 100 })) });
  });
  const hs = [...new Set(g.gains.map((p) => p.h))].sort((a, b) => a - b);
  const svg = plot({
    title: `${g.dataset}, ${g.hiddenLayers} hidden layer${g.hiddenLayers === 1 ? '' : 's'}: relative gain over dense`,
    x: { type: 'band', label: 'dense width h', domain: hs.map(String) },
    y: { type: 'linear', label: '(acc − acc dense) / acc dense (%)' },
    marks,
    legend: all.map((s) => ({ label: seriesName(s.method, s.alpha), style: styleOf(s.method, s.alpha, alphas), swatch: 'dot' })),
  });
  return {
    svg,
    caption:
      'Relative accuracy gain over the dense network of the same width and non-zero count, mean over paired seeds; whiskers: paired 95% CI.',
  };
}

function curvesChart(g: RealDataGroup): Figure {
  const { h, alpha, splitEpoch } = g.curves;
  const marks: Mark[] = g.curves.series.map((s) => ({
    type: 'line',
    style: methodStyle(s.method),
    data: s.epoch.map((e, i) => ({ x: e, y: s.accuracy[i] * 100 })),
  }));
  if (splitEpoch !== null)
    marks.push({ type: 'ruleX', x: splitEpoch, style: { color: '#555555', dash: '4 3' }, label: `split (epoch ${splitEpoch})` });
  const svg = plot({
    title: `${g.dataset}: test accuracy during training, h=${h}, α=${alpha}`,
    x: { type: 'linear', label: 'epoch' },
    y: { type: 'linear', label: 'test accuracy (%)' },
    marks,
    legend: g.curves.series.map((s) => ({ label: s.method, style: methodStyle(s.method), swatch: 'line' })),
  });
  const seeds = g.curves.series.map((s) => `${s.method} ${s.seeds}`).join(', ');
  return { svg, caption: `Mean test accuracy per epoch over seeds (${seeds}); the dashed line marks the FPE split.` };
}

function cellsTable(g: RealDataGroup): Table {
  return {
    head: ['h', 'α', 'method', 'width', 'nnz', 'seeds', 'mean accuracy', '95% CI half-width', 's / trial'],
    rows: g.cells.map((c) => [
      String(c.h),
      String(c.alpha),
      c.method,
      String(Math.round(c.width)),
      String(Math.round(c.nnz)),
      String(c.seeds),
      pct(c.mean, 2),
      c.ci95 === null ? '–' : pct(c.ci95, 2),
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
    title: `${s.title}: ${g.dataset}, ${g.hiddenLayers} hidden layer${g.hiddenLayers === 1 ? '' : 's'}`,
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
