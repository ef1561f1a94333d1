import { cellLabel } from './cells.js';
import { num, pct, seedsText } from './format.js';
import { methodStyle, REFERENCE } from './method-style.js';
import type { CollisionGroup, CurvesData, FoldData, GainData, HeadlineData, WassersteinData } from './report-types.js';
import type { LegendItem } from './svg/legend.js';
import type { Mark } from './svg/marks.js';
import { plot } from './svg/plot.js';

/** A chart with the caption that says what it shows and over how many seeds. */
export interface Figure {
  svg: string;
  caption: string;
}

const dotLegend = (methods: string[]): LegendItem[] => methods.map((m) => ({ label: m, style: methodStyle(m), swatch: 'dot' }));
// Series sharing an x position are nudged apart by a few pixels so their error bars stay visible.
const dodge = (i: number, count: number): number => (i - (count - 1) / 2) * 7;
const FIT = { color: '#555555' };
// Exponents read better raised: -5 → ⁻⁵.
const superscript = (v: number): string => [...String(v)].map((c) => (c === '-' ? '⁻' : '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(c)])).join('');

/** Bars of mean accuracy per method with 95% CI error bars. */
export function headlineChart(d: HeadlineData): Figure {
  const methods = d.methods.map((m) => m.method);
  const withCi = d.methods.filter((m) => m.lo !== null);
  const svg = plot({
    title: 'Test accuracy by method',
    x: { type: 'band', label: 'method', domain: methods },
    y: { type: 'linear', label: 'test accuracy (%)', domain: [0, 100] },
    marks: [
      { type: 'bar', data: d.methods.map((m) => ({ x: m.method, y: m.mean * 100, style: methodStyle(m.method) })) },
      { type: 'errorbar', style: { color: '#000000' }, data: withCi.map((m) => ({ x: m.method, lo: m.lo! * 100, hi: m.hi! * 100 })) },
    ],
  });
  const seeds = d.methods.map((m) => `${m.method} ${m.n}`).join(', ');
  return {
    svg,
    caption: `Mean test accuracy over seeds, bars; whiskers: 95% CI (Student t). Cell ${cellLabel(d.cell)}. Seeds per method: ${seeds}.`,
  };
}

/** Gain over dense (percentage points, paired 95% CI) against load m/h, one series per method and α. */
export function gainChart(d: GainData): Figure {
  const alphas = [...new Set(d.points.map((p) => p.cell.alpha))].sort((a, b) => a - b);
  const series = [...new Set(d.points.map((p) => `${p.method}|${p.cell.alpha}`))];
  const label = (s: string): string => (alphas.length > 1 ? `${s.split('|')[0]}, α=${s.split('|')[1]}` : s.split('|')[0]);
  const styleOf = (s: string) => ({ ...methodStyle(s.split('|')[0]), hollow: Number(s.split('|')[1]) !== alphas[0] });
  const marks: Mark[] = [{ type: 'ruleY', y: 0, style: { color: '#000000' } }];
  series.forEach((s, i) => {
    const pts = d.points.filter((p) => `${p.method}|${p.cell.alpha}` === s);
    const dx = dodge(i, series.length);
    const style = styleOf(s);
    marks.push({
      type: 'errorbar',
      style,
      data: pts.filter((p) => p.ci95 !== null).map((p) => ({ x: p.load, dx, lo: (p.gain - p.ci95!) * 100, hi: (p.gain + p.ci95!) * 100 })),
    });
    marks.push({
      type: 'dot',
      style,
      data: pts.map((p) => ({ x: p.load, dx, y: p.gain * 100, title: `${label(s)}: ${cellLabel(p.cell)}` })),
    });
  });
  const svg = plot({
    title: 'Accuracy gain over dense vs load',
    x: { type: 'linear', label: 'polysemantic load m/h (clauses per neuron)', inset: 16 },
    y: { type: 'linear', label: 'gain over dense (percentage points)' },
    marks,
    legend: series.map((s) => ({ label: label(s), style: styleOf(s), swatch: 'dot' })),
  });
  const maxPairs = Math.max(...d.points.map((p) => p.pairs));
  return {
    svg,
    caption: `Accuracy of each method minus dense in the same cell, mean over paired seeds (up to ${seedsText(maxPairs)} per point), whiskers: paired 95% CI; ${d.points.length} cell × method points${alphas.length > 1 ? '; hollow markers: larger α' : ''}.`,
  };
}

/** Fold change (FPE / dense) of capacity or cosine against relative accuracy gain, with its least-squares line. */
export function foldChart(d: FoldData, key: 'capacityFold' | 'cosineFold'): Figure {
  const fit = key === 'capacityFold' ? d.capacityFit : d.cosineFit;
  const what = key === 'capacityFold' ? 'mean feature capacity' : 'mean pairwise cosine';
  const short = key === 'capacityFold' ? 'capacity' : 'cosine';
  const pts = d.points.filter((p) => p[key] !== null);
  const methods = [...new Set(pts.map((p) => p.method))];
  const marks: Mark[] = [{ type: 'ruleY', y: 1, style: { color: '#999999', dash: '2 3' } }];
  const legendItems = dotLegend(methods);
  if (fit) {
    const xs = pts.map((p) => p.relativeGain * 100);
    const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    // the fit is in fractions; x here is in percent
    const at = (x: number): number => fit.intercept + (fit.slope * x) / 100;
    marks.push({
      type: 'line',
      style: FIT,
      data: [
        { x: x0, y: at(x0) },
        { x: x1, y: at(x1) },
      ],
    });
    const sign = fit.slope < 0 ? '−' : '+';
    legendItems.push({
      label: `least squares: y = ${num(fit.intercept)} ${sign} ${num(Math.abs(fit.slope))}·x, R² = ${fit.r2.toFixed(3)}`,
      style: FIT,
      swatch: 'line',
    });
  }
  for (const m of methods)
    marks.push({
      type: 'dot',
      style: methodStyle(m),
      data: pts.filter((p) => p.method === m).map((p) => ({ x: p.relativeGain * 100, y: p[key]!, title: cellLabel(p.cell) })),
    });
  const svg = plot({
    title: `Fold change of ${what} vs relative accuracy gain`,
    x: { type: 'linear', label: 'relative accuracy gain over dense (%)', inset: 12 },
    y: { type: 'linear', label: `${short} fold change (FPE ÷ dense)` },
    marks,
    legend: legendItems,
  });
  const line = fit
    ? ` Grey line: least-squares fit y = a + b·x over the ${fit.n} points, x as a fraction (R² = ${fit.r2.toFixed(3)}).`
    : '';
  return {
    svg,
    caption: `One point per cell and FPE method: x = (acc_FPE − acc_dense)/acc_dense, y = ${what} of FPE ÷ that of dense, both from means over seeds.${line}`,
  };
}

/** Measured collisions per unit after the split vs α (log scale), beside the exact prediction and the α^−(2k−1) slope. */
export function collisionChart(g: CollisionGroup): Figure {
  const alphas = [...new Set(g.rows.map((r) => r.alpha))].sort((a, b) => a - b);
  const methods = [...new Set(g.rows.map((r) => r.method))];
  // room either side of the α range keeps the end markers and whiskers inside the frame
  const pad = Math.max(0.5, 0.1 * (alphas[alphas.length - 1] - alphas[0]));
  const marks: Mark[] = [];
  const legendItems: LegendItem[] = [];
  const predicted = alphas.flatMap((a) => {
    const p =
      g.rows.find((r) => r.alpha === a && r.predicted !== null && r.method === 'fpe-random') ??
      g.rows.find((r) => r.alpha === a && r.predicted !== null);
    return p ? [{ x: a, y: p.predicted! }] : [];
  });
  if (predicted.length > 0) {
    const anchor = predicted[0];
    // per unit: a parent's pair collides with probability ~α^−(2k−1), and its pairs are spread
    // over α children (collisionsPredicted is the per-child mean), hence the extra 1/α
    const asym = alphas.map((a) => ({ x: a, y: anchor.y * (a / anchor.x) ** -(2 * g.base.k - 1) * (anchor.x / a) }));
    marks.push({ type: 'line', style: { color: '#999999', dash: '2 3' }, data: asym });
    marks.push({ type: 'line', style: REFERENCE, data: predicted }, { type: 'dot', style: REFERENCE, data: predicted });
    legendItems.push({ label: 'exact prediction (random split)', style: REFERENCE, swatch: 'both' });
    legendItems.push({
      label: `α${superscript(-(2 * g.base.k - 1))} per pair ÷ α children`,
      style: { color: '#999999', dash: '2 3' },
      swatch: 'line',
    });
  }
  methods.forEach((m, i) => {
    const rows = g.rows.filter((r) => r.method === m);
    const dx = dodge(i, methods.length);
    const style = methodStyle(m);
    marks.push({ type: 'line', style, data: rows.map((r) => ({ x: r.alpha, dx, y: r.measured.mean })) });
    marks.push({
      type: 'errorbar',
      style,
      data: rows.filter((r) => r.measured.lo !== null).map((r) => ({ x: r.alpha, dx, lo: r.measured.lo!, hi: r.measured.hi! })),
    });
    marks.push({
      type: 'dot',
      style,
      data: rows.map((r) => ({ x: r.alpha, dx, y: r.measured.mean, title: `${m}, α=${r.alpha}: ${num(r.measured.mean)}` })),
    });
    legendItems.push({ label: `${m} (measured)`, style, swatch: 'both' });
  });
  const svg = plot({
    title: `Collisions after the split, m=${g.base.m}, h=${g.base.h}, k=${g.base.k}`,
    x: { type: 'linear', label: 'expansion factor α', ticks: alphas, domain: [alphas[0] - pad, alphas[alphas.length - 1] + pad] },
    y: { type: 'log', label: 'colliding clause pairs per unit (log)' },
    marks,
    legend: legendItems,
  });
  const seeds = Math.max(...g.rows.map((r) => r.measured.n));
  return {
    svg,
    caption: `Colliding clause pairs per unit right after the split (before the budget restore), mean over seeds (up to ${seedsText(seeds)}), whiskers: 95% CI; values ≤ 0 sit on the bottom axis (see the table). Grey: the exact random-split prediction; dotted: the asymptotic rate α^−(2k−1) at which a parent’s pair of disjoint clauses collides (large rows), divided by the α children that share the parent’s pairs, scaled to meet the prediction at α=${alphas[0]} (compare slopes, not heights). ${g.base.mode}, n=${g.base.n}.`,
  };
}

/** Overlaid histograms (share of units per bin) of per-unit Wasserstein distances, on shared bins. */
export function wassersteinChart(d: WassersteinData): Figure {
  const marks: Mark[] = d.groups.map((g) => ({
    type: 'histogram',
    style: methodStyle(g.method),
    edges: d.edges,
    heights: g.counts.map((c) => (100 * c) / g.units),
  }));
  const svg = plot({
    title: 'Per-unit Wasserstein distance to a Gaussian',
    x: { type: 'linear', label: 'W1 distance of z-scored pre-activations to N(0, 1)', domain: [d.edges[0], d.edges[d.edges.length - 1]] },
    y: { type: 'linear', label: 'share of hidden units (%)' },
    marks,
    legend: d.groups.map((g) => ({ label: g.method, style: methodStyle(g.method), swatch: 'line' })),
  });
  const counts = d.groups.map((g) => `${g.method} ${g.units} units / ${g.seeds} seeds (mean ${num(g.mean)})`).join('; ');
  return {
    svg,
    caption: `Hidden units of the first layer pooled over seeds, in ${d.edges.length - 1} shared bins; heights are shares of each group's units. ${counts}. Cell ${cellLabel(d.cell)}.`,
  };
}

// A curve of thousands of epochs needs no more points than the chart has pixels.
function thin<T>(xs: T[], max = 400): T[] {
  if (xs.length <= max) return xs;
  const stride = Math.ceil(xs.length / max);
  return xs.filter((_, i) => i % stride === 0 || i === xs.length - 1);
}

/** Mean test accuracy per epoch per method, with the split epoch marked. */
export function curvesChart(d: CurvesData): Figure {
  const marks: Mark[] = d.series.map((s) => ({
    type: 'line',
    style: methodStyle(s.method),
    data: thin(s.epoch.map((e, i) => ({ x: e, y: s.accuracy[i] * 100 }))),
  }));
  if (d.splitEpoch !== null)
    marks.push({ type: 'ruleX', x: d.splitEpoch, style: { color: '#555555', dash: '4 3' }, label: `split (epoch ${d.splitEpoch})` });
  const svg = plot({
    title: 'Test accuracy during training',
    x: { type: 'linear', label: 'epoch' },
    y: { type: 'linear', label: 'test accuracy (%)' },
    marks,
    legend: d.series.map((s) => ({ label: s.method, style: methodStyle(s.method), swatch: 'line' })),
  });
  const seeds = d.series.map((s) => `${s.method} ${s.seeds}`).join(', ');
  return {
    svg,
    caption: `Mean test accuracy per epoch over seeds (${seeds} seeds). Cell ${cellLabel(d.cell)}; the dashed line marks the split epoch. Accuracy at the end: ${d.series.map((s) => `${s.method} ${pct(s.accuracy[s.accuracy.length - 1])}`).join(', ')}.`,
  };
}
