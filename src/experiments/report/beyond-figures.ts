import type { BeyondCell } from '../studies/beyond.js';
import { dots, plotSpec, ruleAtY, type Series, seriesScales, whiskers } from './figure-marks.js';
import type { Figure } from './figure-spec.js';
import { pct, seedsText } from './format.js';
import { methodStyle } from './method-style.js';

const seriesOf = (methods: readonly string[]): Series[] => methods.map((m) => ({ name: m, style: methodStyle(m) }));
const where = (c: BeyondCell): string =>
  c.task === 'boolean' ? `Boolean m=${c.m}, h=${c.h}, α=${c.alpha}` : `${c.task} h=${c.h}, α=${c.alpha}`;

/** Test accuracy of every method of one cell group with its 95% CI, FPE random and sparse-init as reference lines. */
export function accuracyFigure(group: readonly BeyondCell[]): Figure {
  const methods = group.map((c) => c.method);
  const series = seriesOf(methods);
  const ref = (m: string) => group.find((c) => c.method === m);
  const marks = series.flatMap((s, i) => {
    const c = group[i];
    return [
      ...(c.ci95 === null
        ? []
        : [whiskers(s, [{ method: c.method, lo: c.ci95[0] * 100, hi: c.ci95[1] * 100 }], { x: 'method', y1: 'lo', y2: 'hi' })]),
      dots(s, [{ method: c.method, y: c.mean * 100, tip: `${c.method}: ${pct(c.mean)} (${seedsText(c.seeds)})` }], {
        x: 'method',
        y: 'y',
        title: 'tip',
      }),
    ];
  });
  const random = ref('fpe-random');
  const sparse = ref('sparse-init');
  return {
    spec: plotSpec({
      title: `${where(group[0])}: test accuracy`,
      x: { type: 'band', label: 'method (all at the dense network’s non-zero count)', domain: methods, tickRotate: -30 },
      y: { type: 'linear', label: 'test accuracy (%)' },
      ...seriesScales(series, true, false),
      marks: [
        ...(random ? [ruleAtY(random.mean * 100, methodStyle('fpe-random').color, '8 4')] : []),
        ...(sparse ? [ruleAtY(sparse.mean * 100, methodStyle('sparse-init').color, '2 3')] : []),
        ...marks,
      ],
    }),
    caption: `Mean test accuracy over up to ${seedsText(Math.max(...group.map((c) => c.seeds)))}; whiskers: percentile-bootstrap 95% CI. Dashed lines: FPE random (blue) and sparse-init (orange) means.`,
  };
}

/** Paired difference of every method against FPE random (and sparse-init), in points, with the paired 95% CI. */
export function pairedFigure(group: readonly BeyondCell[], against: 'fpe-random' | 'sparse-init'): Figure {
  const key = against === 'fpe-random' ? 'paired_vs_fpe_random' : 'paired_vs_sparse_init';
  const cells = group.filter((c) => c[key] !== null);
  const series = seriesOf(cells.map((c) => c.method));
  const marks = series.flatMap((s, i) => {
    const p = cells[i][key]!;
    return [
      ...(p.lo === null || p.hi === null
        ? []
        : [whiskers(s, [{ method: s.name, lo: p.lo * 100, hi: p.hi * 100 }], { x: 'method', y1: 'lo', y2: 'hi' })]),
      dots(s, [{ method: s.name, y: p.mean * 100 }], { x: 'method', y: 'y' }),
    ];
  });
  return {
    spec: plotSpec({
      title: `${where(group[0])}: paired difference to ${against}`,
      x: { type: 'band', label: 'method', domain: cells.map((c) => c.method), tickRotate: -30 },
      y: { type: 'linear', label: `accuracy − accuracy of ${against} (points)` },
      ...seriesScales(series, true, false),
      marks: [ruleAtY(0, '#000000'), ...marks],
    }),
    caption: `Mean over the seeds both ran of the per-seed difference (same task, initialisation and warm-up); whiskers: paired Student-t 95% CI. Above 0: better than ${against}.`,
  };
}

/**
 * The mechanism: per method and α = 4 Boolean cell, the fraction of the input layer's weights the
 * budget restore removed right after the split against the final accuracy.
 */
export function restoreFigure(cells: readonly BeyondCell[]): Figure | null {
  const points = cells.filter((c) => c.task === 'boolean' && c.alpha === 4 && c.mechanism.restoreInputFraction !== null);
  if (points.length === 0) return null;
  const methods = [...new Set(points.map((c) => c.method))];
  const series = seriesOf(methods);
  return {
    spec: plotSpec({
      title: 'Boolean, α = 4: input weights removed by the restore vs accuracy',
      x: { type: 'linear', label: 'input-layer weights removed by the budget restore (% of those right after the split)', inset: 10 },
      y: { type: 'linear', label: 'test accuracy (%)' },
      ...seriesScales(series, true),
      marks: series.map((s) =>
        dots(
          s,
          points
            .filter((c) => c.method === s.name)
            .map((c) => ({
              x: (c.mechanism.restoreInputFraction as number) * 100,
              y: c.mean * 100,
              tip: `${c.method}, m=${c.m}: ${pct(c.mean)}`,
            })),
          { x: 'x', y: 'y', title: 'tip' },
        ),
      ),
    }),
    caption:
      'One point per method and clause count m (h = 8, mean over seeds). The paper’s global magnitude restore prunes the smallest weights of the whole network; after a warm-up the copied outgoing weights are the larger ones, so most of what it removes are input weights, the ones the split had just divided.',
  };
}
