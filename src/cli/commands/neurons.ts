import {
  type ExpansionPruner,
  evaluate,
  expansionWassersteinShift,
  type ImportanceResult,
  importanceScores,
  importanceTest,
  sparseExpand,
  wassersteinNeurons,
} from '../../index.js';
import type { OptionValue } from '../read-options.js';
import { engineFrom, loadTrainedRun, pct, printJson, writeJsonReport } from './shared.js';

/** Units listed per layer in the ranking. */
const SHOWN = 5;

/**
 * `widen neurons CKPT`: per hidden layer of a `widen train` checkpoint, the units ranked by the
 * Wasserstein distance of their pre-activations (calibration samples from the run's training
 * set), mapping difficulty, the importance test, and the cluster-weighted WD after Sparse Expansion.
 */
export async function neurons(args: string[], options: Map<string, OptionValue>): Promise<void> {
  const [path] = args;
  const top = (options.get('top') as number | undefined) ?? 0.03;
  const draws = (options.get('draws') as number | undefined) ?? 5;
  const seed = (options.get('seed') as number | undefined) ?? 0;
  const sparsity = (options.get('sparsity') as number | undefined) ?? 0.9;
  const pruner = (options.get('pruner') as ExpansionPruner | undefined) ?? 'sparsegpt';
  const k = (options.get('k') as number | undefined) ?? 16;
  const engine = engineFrom(options);
  const { ckpt, train, test } = await loadTrainedRun(path, engine, 'use wassersteinNeurons from the library', options);
  const size = Math.min((options.get('calibration') as number | undefined) ?? 512, train.size);
  const calibration = { x: train.x.subarray(0, size * train.features), size };
  const model = ckpt.model;
  const layers = wassersteinNeurons(model, calibration, { seed });
  const importance = importanceTest(model, calibration, test, importanceScores(layers), { top, draws, seed, pruner, sparsity });
  const expanded = sparseExpand(model, calibration, { k: Math.min(k, size), sparsity, pruner, seed });
  const shifts = expansionWassersteinShift(expanded, calibration, layers, top).map((s) => ({ layer: s.layer, top: s.top, all: s.all }));
  expanded.dispose();
  const dense = evaluate(model, test, 'cross-entropy').accuracy;
  engine.dispose();
  const random = importance.filter((r) => r.selection === 'random').map((r) => r.accuracyDrop);
  const summary = {
    checkpoint: path,
    calibration: size,
    dense_accuracy: dense,
    layers: layers.map((l) => ({
      layer: l.layer,
      units: l.units,
      ranking: Array.from(l.ranking.subarray(0, SHOWN), (u) => ({ unit: u, wd: l.wd[u], difficulty: l.unitDifficulty[u] })),
      wd_median: median(l.wd),
      mapping_difficulty: l.difficulty,
      wd_difficulty_spearman: l.wdDifficultyCorrelation,
    })),
    importance: importance.map((r: ImportanceResult) => ({
      selection: r.selection,
      draw: r.draw,
      p: top,
      units: r.unitsPerLayer,
      accuracy: r.accuracy,
      accuracy_drop: r.accuracyDrop,
    })),
    random_drop: { draws: random.length, mean: mean(random), min: Math.min(...random), max: Math.max(...random) },
    expansion: { k: Math.min(k, size), pruner, sparsity, layers: shifts },
  };
  const out = options.get('out') as string | undefined;
  if (out !== undefined) writeJsonReport(out, summary);
  if (options.get('json') === true) return printJson(summary);
  console.log(`${path}: ${size} calibration samples, dense test accuracy ${pct(dense)}`);
  for (const l of summary.layers) {
    const shown = l.ranking.map((r) => `${r.unit} (${r.wd.toFixed(3)})`).join(', ');
    console.log(`layers.${l.layer}: ${l.units} units, median WD ${l.wd_median.toFixed(3)}, top by WD ${shown}`);
    console.log(
      `  mapping difficulty ${l.mapping_difficulty.toFixed(3)}; Spearman(WD, unit difficulty) ${l.wd_difficulty_spearman.toFixed(3)}`,
    );
  }
  console.log(`importance test: sparsify ${pct(top)} of units per hidden layer to ${pct(sparsity)} with ${pruner}; accuracy drop`);
  for (const r of importance.filter((x) => x.selection !== 'random')) console.log(`  ${r.selection.padEnd(10)} ${pct(r.accuracyDrop)}`);
  const spread = summary.random_drop;
  console.log(`  ${'random'.padEnd(10)} ${pct(spread.mean)} (mean of ${spread.draws} draws, ${pct(spread.min)} to ${pct(spread.max)})`);
  console.log(`Sparse Expansion k = ${summary.expansion.k}: cluster-weighted WD of the top-WD units vs their dense WD`);
  for (const s of shifts) {
    console.log(
      `  layers.${s.layer}: ${pct(s.top.fractionDropped)} of ${s.top.units} dropped, median change ${pct(s.top.medianChange)} (all units: ${pct(s.all.fractionDropped)}, ${pct(s.all.medianChange)})`,
    );
  }
}

function mean(v: number[]): number {
  return v.length === 0 ? Number.NaN : v.reduce((s, x) => s + x, 0) / v.length;
}

function median(v: Float64Array): number {
  const s = Float64Array.from(v).sort();
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
