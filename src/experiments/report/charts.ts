import { cellLabel } from './cells.js';
import { dots, line, ruleAtX, ruleAtY, type Series, seriesScales, plotSpec as spec, steps, whiskers } from './figure-marks.js';
import type { Figure, MarkSpec } from './figure-spec.js';
import { num, pct, seedsText } from './format.js';
import { methodStyle, REFERENCE } from './method-style.js';
import type { CollisionGroup, CurvesData, FoldData, GainData, HeadlineData, WassersteinData } from './report-types.js';

// Series sharing an x position are nudged apart by a few pixels so their error bars stay visible.
const dodge = (i: number, count: number): number => (i - (count - 1) / 2) * 7;
const FIT = '#555555';
// Exponents read better raised: -5 → ⁻⁵.
const superscript = (v: number): string => [...String(v)].map((c) => (c === '-' ? '⁻' : '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(c)])).join('');
// Powers of ten from lo to hi (both powers of ten), and 2 and 5 between them over a short span.
function decades(lo: number, hi: number): number[] {
  const [e0, e1] = [Math.round(Math.log10(lo)), Math.round(Math.log10(hi))];
  const steps = e1 - e0 <= 2 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let e = e0; e <= e1; e++) for (const m of steps) if (e < e1 || m === 1) ticks.push(Number((m * 10 ** e).toPrecision(12)));
  return ticks;
}
const method = (m: string): Series => ({ name: m, style: methodStyle(m) });

/** Bars of mean accuracy per method with 95% CI error bars. */
export function headlineChart(d: HeadlineData): Figure {
  const methods = d.methods.map((m) => method(m.method));
  const marks: MarkSpec[] = [
    {
      type: 'barY',
      data: d.methods.map((m) => ({ series: m.method, accuracy: m.mean * 100, tip: `${m.method}: ${pct(m.mean)}` })),
      x: 'series',
      y: 'accuracy',
      fill: 'series',
      fillOpacity: 0.85,
      title: 'tip',
    },
    {
      type: 'ruleX',
      data: d.methods.filter((m) => m.lo !== null).map((m) => ({ series: m.method, lo: m.lo! * 100, hi: m.hi! * 100 })),
      x: 'series',
      y1: 'lo',
      y2: 'hi',
      stroke: '#000000',
      strokeWidth: 1.5,
    },
  ];
  const seeds = d.methods.map((m) => `${m.method} ${m.n}`).join(', ');
  return {
    spec: spec({
      title: 'Test accuracy by method',
      x: { type: 'band', label: 'method', domain: methods.map((m) => m.name) },
      y: { type: 'linear', label: 'test accuracy (%)', domain: [0, 100] },
      ...seriesScales(methods, false, false),
      marks,
    }),
    caption: `Mean test accuracy over seeds, bars; whiskers: 95% CI (seeded percentile bootstrap over seeds, inside [0%, 100%]). Cell ${cellLabel(d.cell)}. Seeds per method: ${seeds}.`,
  };
}

/** Gain over dense (percentage points, paired 95% CI) against load m/h, one series per method and α. */
export function gainChart(d: GainData): Figure {
  const alphas = [...new Set(d.points.map((p) => p.cell.alpha))].sort((a, b) => a - b);
  const keys = [...new Set(d.points.map((p) => `${p.method}|${p.cell.alpha}`))];
  const series = keys.map((k): Series => {
    const [m, a] = k.split('|');
    return { name: alphas.length > 1 ? `${m}, α=${a}` : m, style: { ...methodStyle(m), hollow: Number(a) !== alphas[0] } };
  });
  const marks: MarkSpec[] = [ruleAtY(0, '#000000')];
  keys.forEach((k, i) => {
    const s = series[i];
    const pts = d.points.filter((p) => `${p.method}|${p.cell.alpha}` === k);
    const dx = dodge(i, keys.length);
    const ci = pts
      .filter((p) => p.ci95 !== null)
      .map((p) => ({ load: p.load, lo: (p.gain - p.ci95!) * 100, hi: (p.gain + p.ci95!) * 100 }));
    marks.push(whiskers(s, ci, { x: 'load', y1: 'lo', y2: 'hi', dx }));
    const rows = pts.map((p) => ({ load: p.load, gain: p.gain * 100, tip: `${s.name}: ${cellLabel(p.cell)}` }));
    marks.push(dots(s, rows, { x: 'load', y: 'gain', dx, title: 'tip' }));
  });
  const maxPairs = Math.max(...d.points.map((p) => p.pairs));
  return {
    spec: spec({
      title: 'Accuracy gain over dense vs load',
      x: { type: 'linear', label: 'polysemantic load m/h (clauses per neuron)', inset: 16 },
      y: { type: 'linear', label: 'gain over dense (percentage points)' },
      ...seriesScales(series, true),
      marks,
    }),
    caption: `Accuracy of each method minus dense in the same cell, mean over paired seeds (up to ${seedsText(maxPairs)} per point), whiskers: paired 95% CI; ${d.points.length} cell × method points${alphas.length > 1 ? '; hollow markers: larger α' : ''}.`,
  };
}

/** Fold change (FPE / dense) of capacity or cosine against relative accuracy gain, with its least-squares line. */
export function foldChart(d: FoldData, key: 'capacityFold' | 'cosineFold'): Figure {
  const fit = key === 'capacityFold' ? d.capacityFit : d.cosineFit;
  const what = key === 'capacityFold' ? 'mean feature capacity' : 'mean pairwise cosine';
  const short = key === 'capacityFold' ? 'capacity' : 'cosine';
  const pts = d.points.filter((p) => p[key] !== null);
  const methods = [...new Set(pts.map((p) => p.method))].map(method);
  const marks: MarkSpec[] = [ruleAtY(1, '#999999', '2 3')];
  if (fit) {
    const xs = pts.map((p) => p.relativeGain * 100);
    const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    // the fit is in fractions; x here is in percent
    const at = (x: number): number => fit.intercept + (fit.slope * x) / 100;
    const ends = [
      { gain: x0, fold: at(x0) },
      { gain: x1, fold: at(x1) },
    ];
    marks.push({ type: 'line', data: ends, x: 'gain', y: 'fold', stroke: FIT, strokeWidth: 2 });
    const sign = fit.slope < 0 ? '−' : '+';
    const label = `least squares: y = ${num(fit.intercept)} ${sign} ${num(Math.abs(fit.slope))}·x, R² = ${fit.r2.toFixed(3)}`;
    marks.push({ type: 'text', data: [{ ...ends[1], label }], x: 'gain', y: 'fold', text: 'label', fill: FIT, textAnchor: 'end', dy: -10 });
  }
  for (const m of methods) {
    const rows = pts.filter((p) => p.method === m.name).map((p) => ({ gain: p.relativeGain * 100, fold: p[key]!, tip: cellLabel(p.cell) }));
    marks.push(dots(m, rows, { x: 'gain', y: 'fold', title: 'tip' }));
  }
  const line = fit
    ? ` Grey line: least-squares fit y = a + b·x over the ${fit.n} points, x as a fraction (R² = ${fit.r2.toFixed(3)}).`
    : '';
  return {
    spec: spec({
      title: `Fold change of ${what} vs relative accuracy gain`,
      x: { type: 'linear', label: 'relative accuracy gain over dense (%)', inset: 12 },
      y: { type: 'linear', label: `${short} fold change (FPE ÷ dense)` },
      ...seriesScales(methods, true),
      marks,
    }),
    caption: `One point per cell and FPE method: x = (acc_FPE − acc_dense)/acc_dense, y = ${what} of FPE ÷ that of dense, both from means over seeds.${line}`,
  };
}

/** Measured collisions per unit after the split vs α (log scale), beside the exact prediction and the α^−(2k−1) slope. */
export function collisionChart(g: CollisionGroup): Figure {
  const alphas = [...new Set(g.rows.map((r) => r.alpha))].sort((a, b) => a - b);
  const methods = [...new Set(g.rows.map((r) => r.method))];
  // room either side of the α range keeps the end markers and whiskers inside the frame
  const pad = Math.max(0.5, 0.1 * (alphas[alphas.length - 1] - alphas[0]));
  const marks: MarkSpec[] = [];
  const series: Series[] = [];
  const predicted = alphas.flatMap((a) => {
    const p =
      g.rows.find((r) => r.alpha === a && r.predicted !== null && r.method === 'fpe-random') ??
      g.rows.find((r) => r.alpha === a && r.predicted !== null);
    return p ? [{ alpha: a, collisions: p.predicted! }] : [];
  });
  if (predicted.length > 0) {
    const anchor = predicted[0];
    // per unit: a parent's pair collides with probability ~α^−(2k−1), and its pairs are spread
    // over α children (collisionsPredicted is the per-child mean), hence the extra 1/α
    const slope = -(2 * g.base.k - 1);
    const asym = alphas.map((a) => ({ alpha: a, collisions: anchor.collisions * (a / anchor.alpha) ** slope * (anchor.alpha / a) }));
    marks.push({ type: 'line', data: asym, x: 'alpha', y: 'collisions', stroke: '#999999', dash: '2 3', strokeWidth: 2 });
    const end = { ...asym[asym.length - 1], label: `α${superscript(slope)} per pair ÷ α children` };
    marks.push({ type: 'text', data: [end], x: 'alpha', y: 'collisions', text: 'label', fill: '#777777', textAnchor: 'end', dy: 12 });
    const reference: Series = { name: 'exact prediction (random split)', style: REFERENCE };
    series.push(reference);
    marks.push(line(reference, predicted, { x: 'alpha', y: 'collisions' }), dots(reference, predicted, { x: 'alpha', y: 'collisions' }));
  }
  methods.forEach((m, i) => {
    const s: Series = { name: `${m} (measured)`, style: methodStyle(m) };
    series.push(s);
    const rows = g.rows.filter((r) => r.method === m);
    const dx = dodge(i, methods.length);
    const means = rows.map((r) => ({ alpha: r.alpha, collisions: r.measured.mean, tip: `${m}, α=${r.alpha}: ${num(r.measured.mean)}` }));
    const ci = rows.filter((r) => r.measured.lo !== null).map((r) => ({ alpha: r.alpha, lo: r.measured.lo!, hi: r.measured.hi! }));
    marks.push(
      line(s, means, { x: 'alpha', y: 'collisions', dx }),
      whiskers(s, ci, { x: 'alpha', y1: 'lo', y2: 'hi', dx }),
      dots(s, means, { x: 'alpha', y: 'collisions', dx, title: 'tip' }),
    );
  });
  // decades around the positive values; zeros (log −∞) are clamped onto the floor
  const positive = marks
    .flatMap((m) => m.data.flatMap((r) => [r.collisions, r.lo, r.hi]))
    .filter((v): v is number => typeof v === 'number' && v > 0);
  const lo = positive.length ? 10 ** Math.floor(Math.log10(Math.min(...positive))) : 0.1;
  const hi = positive.length ? 10 ** Math.ceil(Math.log10(Math.max(...positive))) : 1;
  const top = hi === lo ? lo * 10 : hi;
  const seeds = Math.max(...g.rows.map((r) => r.measured.n));
  return {
    spec: spec({
      title: `Collisions after the split, m=${g.base.m}, h=${g.base.h}, k=${g.base.k}`,
      x: { type: 'linear', label: 'expansion factor α', ticks: alphas, domain: [alphas[0] - pad, alphas[alphas.length - 1] + pad] },
      y: { type: 'log', label: 'colliding clause pairs per unit (log)', domain: [lo, top], ticks: decades(lo, top), clamp: true },
      ...seriesScales(series, true),
      marks,
    }),
    caption: `Colliding clause pairs per unit right after the split (before the budget restore), mean over seeds (up to ${seedsText(seeds)}), whiskers: 95% CI; values ≤ 0 sit on the bottom axis (see the table). Grey: the exact random-split prediction; dotted: the asymptotic rate α^−(2k−1) at which a parent’s pair of disjoint clauses collides (large rows), divided by the α children that share the parent’s pairs, scaled to meet the prediction at α=${alphas[0]} (compare slopes, not heights). ${g.base.mode}, n=${g.base.n}.`,
  };
}

/** Overlaid histograms (share of units per bin) of per-unit Wasserstein distances, on shared bins. */
export function wassersteinChart(d: WassersteinData): Figure {
  const groups = d.groups.map((g) => method(g.method));
  const marks = d.groups.flatMap((g, i) =>
    steps(
      groups[i],
      d.edges,
      g.counts.map((c) => (100 * c) / g.units),
    ),
  );
  const counts = d.groups.map((g) => `${g.method} ${g.units} units / ${g.seeds} seeds (mean ${num(g.mean)})`).join('; ');
  return {
    spec: spec({
      title: 'Per-unit Wasserstein distance to a Gaussian',
      x: { type: 'linear', label: 'W1 distance of z-scored pre-activations to N(0, 1)', domain: [d.edges[0], d.edges[d.edges.length - 1]] },
      y: { type: 'linear', label: 'share of hidden units (%)' },
      ...seriesScales(groups, false),
      marks,
    }),
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
  const series = d.series.map((s) => method(s.method));
  const marks = d.series.map((s, i) =>
    line(series[i], thin(s.epoch.map((e, j) => ({ epoch: e, accuracy: s.accuracy[j] * 100 }))), { x: 'epoch', y: 'accuracy' }),
  );
  if (d.splitEpoch !== null) marks.push(...ruleAtX(d.splitEpoch, `split (epoch ${d.splitEpoch})`, '#555555', '4 3'));
  const seeds = d.series.map((s) => `${s.method} ${s.seeds}`).join(', ');
  return {
    spec: spec({
      title: 'Test accuracy during training',
      x: { type: 'linear', label: 'epoch' },
      y: { type: 'linear', label: 'test accuracy (%)' },
      ...seriesScales(series, false),
      marks,
    }),
    caption: `Mean test accuracy per epoch over seeds (${seeds} seeds). Cell ${cellLabel(d.cell)}; the dashed line marks the split epoch. Accuracy at the end: ${d.series.map((s) => `${s.method} ${pct(s.accuracy[s.accuracy.length - 1])}`).join(', ')}.`,
  };
}
