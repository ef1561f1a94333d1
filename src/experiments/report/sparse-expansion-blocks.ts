import { histogram, sharedBinEdges } from '../../math/index.js';
import type { StudyResults, StudyWdLayer } from '../studies/sparse-expansion/study-results.js';
import {
  type AblationRow,
  ablationRows,
  acceptanceRows,
  type ExpansionRow,
  expansionRows,
  importanceRows,
} from '../studies/sparse-expansion/summarise.js';
import type { Block } from './block.js';
import { dots, line, plotSpec, ruleAtY, type Series, seriesScales, steps, whiskers } from './figure-marks.js';
import type { Figure, MarkSpec } from './figure-spec.js';
import { num, pct, pp } from './format.js';
import { methodStyle } from './method-style.js';

const pctOf = (s: number): string => `${Math.round(s * 100)}%`;
const range = (lo: number, hi: number): string => `${pct(lo)}–${pct(hi)}`;
// a relative change with its sign, e.g. -0.42 -> "−42.0%"
const change = (v: number): string => pp(v).replace(' pp', '%');
const dodge = (i: number, count: number): number => (i - (count - 1) / 2) * 8;

const named = (name: string): Series => ({ name, style: methodStyle(name) });

/** Accuracy vs K at one sparsity: one series per pruner (mean over draws, whiskers min–max), dense as a rule. */
function accuracyVsK(rows: ExpansionRow[], sparsity: number, dense: number | null): Figure {
  const pruners = [...new Set(rows.map((r) => r.pruner))].map(named);
  const marks: MarkSpec[] = [];
  if (dense !== null) marks.push(ruleAtY(dense * 100, '#000000', '4 3'));
  pruners.forEach((p, i) => {
    const pts = rows.filter((r) => r.pruner === p.name && r.sparsity === sparsity);
    const dx = dodge(i, pruners.length);
    const means = pts.map((r) => ({ k: r.k, accuracy: r.accuracy.mean * 100, tip: `${p.name} K=${r.k}` }));
    const spread = pts.map((r) => ({ k: r.k, lo: r.accuracy.min * 100, hi: r.accuracy.max * 100 }));
    marks.push(
      line(p, means, { x: 'k', y: 'accuracy', dx }),
      whiskers(p, spread, { x: 'k', y1: 'lo', y2: 'hi', dx }),
      dots(p, means, { x: 'k', y: 'accuracy', dx, title: 'tip' }),
    );
  });
  const ks = [...new Set(rows.map((r) => r.k))].sort((a, b) => a - b);
  const draws = Math.max(...rows.map((r) => r.accuracy.n));
  return {
    spec: plotSpec({
      title: `Test accuracy vs experts K at ${pctOf(sparsity)} sparsity per expert`,
      x: { type: 'log', label: 'experts per layer K', domain: [ks[0], ks[ks.length - 1]], ticks: ks, inset: 14 },
      y: { type: 'linear', label: 'test accuracy (%)' },
      ...seriesScales(pruners, true),
      marks,
    }),
    caption: `Mean test accuracy over ${draws} calibration draws (whiskers: min to max). K = 1 is the pruner alone; the dashed line is the dense model${dense === null ? '' : ` (${pct(dense)})`}.`,
  };
}

/** Histograms of per-unit WD of every hidden layer on shared bins. */
function wdHistogram(layers: StudyWdLayer[]): Figure {
  const edges = sharedBinEdges(layers.map((l) => l.wd));
  const names = layers.map((l) => named(`layers.${l.layer}`));
  return {
    spec: plotSpec({
      title: 'Per-unit Wasserstein distance to a Gaussian (dense model)',
      x: { type: 'linear', label: 'W1 distance of z-scored pre-activations to N(0, 1)', domain: [edges[0], edges[edges.length - 1]] },
      y: { type: 'linear', label: 'share of the layer’s units (%)' },
      ...seriesScales(names, false),
      marks: layers.flatMap((l, i) =>
        steps(
          names[i],
          edges,
          histogram(l.wd, edges).map((c) => (100 * c) / l.units),
        ),
      ),
    }),
    caption: `Hidden units of each layer, ${edges.length - 1} shared bins; WD measured on the first calibration draw.`,
  };
}

/** Dense WD against cluster-weighted WD after Sparse Expansion, one dot per unit, with the no-change diagonal. */
function wdBeforeAfter(layers: StudyWdLayer[], label: string): Figure {
  const all = layers.flatMap((l) => [...l.wd, ...l.after]);
  const hi = Math.max(...all);
  const names = layers.map((l) => named(`layers.${l.layer}`));
  const diagonal = [
    { before: 0, after: 0 },
    { before: hi, after: hi },
  ];
  const marks: MarkSpec[] = [{ type: 'line', data: diagonal, x: 'before', y: 'after', stroke: '#777777', dash: '5 4', strokeWidth: 2 }];
  layers.forEach((l, i) => {
    const hollow = { ...names[i], style: { ...names[i].style, hollow: true } };
    marks.push(
      dots(
        hollow,
        l.wd.map((w, u) => ({ before: w, after: l.after[u] })),
        { x: 'before', y: 'after' },
      ),
    );
  });
  return {
    spec: plotSpec({
      title: 'WD before and after Sparse Expansion',
      x: { type: 'linear', label: 'WD of the dense unit' },
      y: { type: 'linear', label: 'cluster-weighted WD after expansion' },
      ...seriesScales(names, true),
      marks,
    }),
    caption: `One dot per hidden unit; below the diagonal its WD dropped. Expansion: ${label}.`,
  };
}

/** Accuracy drop per selection (random: mean with min–max whiskers). */
function importanceChart(r: StudyResults): Figure {
  const rows = importanceRows(r);
  const random = rows.find((x) => x.selection === 'random');
  return {
    spec: plotSpec({
      title: 'Importance test: accuracy drop after sparsifying the selected units',
      x: { type: 'band', label: 'selection', domain: rows.map((x) => x.selection) },
      y: { type: 'linear', label: 'test accuracy drop (points)' },
      ...seriesScales(
        rows.map((x) => named(x.selection)),
        false,
        false,
      ),
      marks: [
        {
          type: 'barY',
          data: rows.map((x) => ({ series: x.selection, drop: x.drop.mean * 100, tip: `${x.selection}: ${pp(x.drop.mean)}` })),
          x: 'series',
          y: 'drop',
          fill: 'series',
          fillOpacity: 0.85,
          title: 'tip',
        },
        {
          type: 'ruleX',
          data: rows.filter((x) => x.drop.n > 1).map((x) => ({ series: x.selection, lo: x.drop.min * 100, hi: x.drop.max * 100 })),
          x: 'series',
          y1: 'lo',
          y2: 'hi',
          stroke: '#000000',
          strokeWidth: 1.5,
        },
      ],
    }),
    caption: `Top ${pctOf(r.settings.importance.top)} of units per hidden layer by each score, pruned to ${pctOf(r.settings.importance.sparsity)} with ${r.settings.importance.pruner}. Random: mean of ${random?.drop.n ?? 0} draws, whiskers min to max.`,
  };
}

/** Per-class accuracy change of each ablation selection at fraction p. */
function perClassChart(rows: AblationRow[], p: number): Figure {
  const of = rows.filter((x) => x.p === p && x.selection !== 'none');
  const classes = of[0]?.perClassChange.length ?? 0;
  const selections = of.map((x) => named(x.selection));
  return {
    spec: plotSpec({
      title: `Per-class accuracy change when clamping negative pre-activations (p = ${pctOf(p)})`,
      x: { type: 'band', label: 'class', domain: Array.from({ length: classes }, (_, c) => String(c)) },
      y: { type: 'linear', label: 'accuracy change (points)' },
      ...seriesScales(selections, true),
      marks: [
        ruleAtY(0, '#000000'),
        ...of.map((x, i) =>
          dots(
            selections[i],
            x.perClassChange.map((v, c) => ({ class: String(c), change: v * 100 })),
            { x: 'class', y: 'change', dx: dodge(i, of.length) },
          ),
        ),
      ],
    }),
    caption: 'Change of each class’s test accuracy from the unclamped model (random: mean over draws).',
  };
}

/** The matched control's outcome: reached, not reached with every unit, or nothing to match. */
function matchedText(x: AblationRow): string {
  if (x.matched === undefined) return '';
  if (x.matchTarget !== undefined && x.matchTarget <= 0) return `nothing to match: top-WD Δloss ${num(x.matchTarget, 2)}`;
  return x.matched ? `yes, Δloss ≥ ${num(x.matchTarget, 2)}` : 'no (all units)';
}

/** The report sections of the Sparse Expansion study. */
export function sparseExpansionBlocks(r: StudyResults): Block[] {
  const s = r.settings;
  const rows = expansionRows(r);
  const dense = r.model?.accuracy ?? null;
  const blocks: Block[] = [];
  blocks.push({
    id: 'setup',
    title: 'Setup',
    paragraphs: [
      r.model
        ? `Dense ${s.activation.toUpperCase()} MLP ${r.model.sizes.join('-')} trained ${s.epochs} epochs (Adam lr ${s.lr}, batch ${s.batchSize}, seed ${s.seed}): test accuracy ${pct(r.model.accuracy)}, loss ${num(r.model.loss, 4)}, ${r.model.nnz.toLocaleString('en-US')} weights, ${r.model.seconds.toFixed(0)} s.`
        : 'The dense model has not been trained yet.',
      `Sparse Expansion: per layer PCA to d/${s.reduce}, k-means with ${s.restarts} restarts, one expert per cluster pruned on its cluster's calibration inputs; ${s.draws} calibration draws of ${s.calibration} training samples each (the draw changes the samples and the k-means seeds).`,
      `Time: training ${r.seconds.training.toFixed(0)} s, expansion grid ${r.seconds.expansion.toFixed(0)} s, unit analyses ${r.seconds.analysis.toFixed(0)} s.`,
    ],
    figures: () => [],
    tables: [],
  });
  const accept = acceptanceRows(r);
  blocks.push({
    id: 'expansion',
    title: 'Accuracy vs number of experts',
    paragraphs: accept.map(
      (a) =>
        `${a.pruner} at ${pctOf(a.sparsity)}: K=${a.kHigh} ${pct(a.high.mean)} (${range(a.high.min, a.high.max)}) vs K=${a.kLow} ${pct(a.low.mean)} (${range(a.low.min, a.low.max)}); K=${a.kHigh} better in ${a.wins} of ${a.draws} draws: ${a.pass ? 'acceptance met' : 'acceptance NOT met'}.`,
    ),
    figures: () => s.sparsities.filter((sp) => rows.some((x) => x.sparsity === sp)).map((sp) => accuracyVsK(rows, sp, dense)),
    tables: [
      {
        title: 'Every grid point (means over draws)',
        table: {
          head: ['pruner', 'sparsity', 'K', 'accuracy', 'min–max', 'loss', 'nnz stored', 'nnz / input', 'routing flops / input'],
          rows: rows.map((x) => [
            x.pruner,
            pctOf(x.sparsity),
            String(x.k),
            pct(x.accuracy.mean),
            range(x.accuracy.min, x.accuracy.max),
            num(x.loss, 4),
            Math.round(x.nnzStored).toLocaleString('en-US'),
            Math.round(x.nnzPerInput).toLocaleString('en-US'),
            Math.round(x.routingFlops).toLocaleString('en-US'),
          ]),
        },
      },
    ],
  });
  if (r.wd !== null) {
    const wd = r.wd;
    blocks.push({
      id: 'wasserstein',
      title: 'Wasserstein neurons',
      paragraphs: wd.map(
        (l) =>
          `layers.${l.layer}: mapping difficulty ${num(l.difficulty)}; Spearman(WD, unit difficulty) ${num(l.wdDifficultySpearman)}. After expansion (${s.shift.pruner}, K=${s.shift.k}, ${pctOf(s.shift.sparsity)}): WD dropped for ${pct(l.top.fractionDropped)} of the top ${l.top.units} units (median change ${change(l.top.medianChange)}), ${pct(l.all.fractionDropped)} of all ${l.all.units} (median ${change(l.all.medianChange)}). Paper 2 (Pythia 1.4B): 98%, median −42%.`,
      ),
      figures: () => [wdHistogram(wd), wdBeforeAfter(wd, `${s.shift.pruner}, K=${s.shift.k}, ${pctOf(s.shift.sparsity)}`)],
      tables: [],
    });
  }
  if (r.importance !== null) {
    blocks.push({
      id: 'importance',
      title: 'Importance test',
      paragraphs: [
        'A finding, not a target: the paper’s claim (top-WD units matter most) comes from language models. The random row shows the spread of equally many random units; a selection outside that spread is distinguishable from chance at this many draws.',
      ],
      figures: () => [importanceChart(r)],
      tables: [
        {
          title: 'Accuracy drop per selection',
          table: {
            head: ['selection', 'units per layer', 'accuracy drop', 'draws', 'min–max', '95% CI'],
            rows: importanceRows(r).map((x) => [
              x.selection,
              x.units.filter((u) => u > 0).join(', '),
              pp(x.drop.mean),
              String(x.drop.n),
              x.drop.n > 1 ? `${pp(x.drop.min)} to ${pp(x.drop.max)}` : '–',
              x.drop.ci95 === null ? '–' : `± ${(x.drop.ci95 * 100).toFixed(1)} pp`,
            ]),
          },
        },
      ],
    });
  }
  if (r.ablation !== null && r.ablation.length > 0) {
    const ab = ablationRows(r);
    blocks.push({
      id: 'ablation',
      title: 'Negative pre-activation ablation',
      paragraphs: [
        'Clamp max(z, 0) on the selected units’ pre-activations before the activation, at inference. Controls: as many random units (several draws), and bottom-WD units grown until the test loss rises as much as with the top-WD units. A finding, not a target: paper 3 measured syntax in language models.',
      ],
      figures: () => s.ablation.tops.map((p) => perClassChart(ab, p)),
      tables: [
        {
          title: 'Accuracy and loss per selection',
          table: {
            head: ['p', 'selection', 'units per layer', 'accuracy', 'loss', 'draws', 'accuracy min–max', 'matched'],
            rows: ab.map((x) => [
              pctOf(x.p),
              x.selection,
              x.units.join(', '),
              pct(x.accuracy.mean),
              num(x.loss.mean, 4),
              String(x.accuracy.n),
              x.accuracy.n > 1 ? range(x.accuracy.min, x.accuracy.max) : '–',
              matchedText(x),
            ]),
          },
        },
      ],
    });
  }
  return blocks;
}
