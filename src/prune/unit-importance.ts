import { z } from 'zod';
import { ConfigError, Rng } from '../engine/index.js';
import { type Dataset, evaluate, type LayerWeights, layerInputs, MLP } from '../nn/index.js';
import { PRUNER_NAMES, PRUNERS, type PrunerName } from './pruners.js';
import { type Calibration, checkCalibration, nameOption, parseOptions, resolveTarget } from './target.js';

/** Options of sparsifyUnits: the pruner ['sparsegpt'] and the fraction of each selected unit's weights it removes [0.9]. */
export interface SparsifyUnitsOptions {
  pruner?: PrunerName;
  sparsity?: number;
}

/**
 * A copy of `model` in which the incoming weights of the selected units (`units[l]`: unit indices
 * of model.layers[l]; layers without an entry stay whole) are pruned to `sparsity` by the pruner,
 * using each layer's inputs from the dense model on the calibration set; other rows are untouched.
 * Example: `sparsifyUnits(model, cal, [Int32Array.of(3, 17)], { sparsity: 0.95 })`.
 */
export function sparsifyUnits(model: MLP, calibration: Calibration, units: readonly Int32Array[], options: SparsifyUnitsOptions = {}): MLP {
  parseOptions(z.object({ pruner: nameOption('pruner', PRUNER_NAMES).optional() }), options, 'sparsifyUnits');
  const { pruner = 'sparsegpt', sparsity = 0.9 } = options;
  resolveTarget({ sparsity }, 1, 'sparsifyUnits');
  checkCalibration(calibration, model.inFeatures, 'sparsifyUnits');
  const inputs = layerInputs(model, calibration);
  const layers: LayerWeights[] = model.layers.map((l, i) => {
    const weight = l.weight();
    const mask = l.mask();
    const chosen = units[i] ?? new Int32Array(0);
    const inF = l.inFeatures;
    if (chosen.length > 0) {
      // the selected rows as one small layer; every pruner treats rows independently given the inputs
      const sub = {
        weight: new Float32Array(chosen.length * inF),
        mask: new Uint8Array(chosen.length * inF),
        inFeatures: inF,
        outFeatures: chosen.length,
      };
      chosen.forEach((u, r) => {
        sub.weight.set(weight.subarray(u * inF, (u + 1) * inF), r * inF);
        sub.mask.set(mask.subarray(u * inF, (u + 1) * inF), r * inF);
      });
      const cal = { x: inputs[i], size: calibration.size };
      const name = `layers.${i} selected units`;
      const pruned = PRUNERS[pruner].prune(sub, cal, { sparsity, name }, {});
      chosen.forEach((u, r) => {
        weight.set(pruned.weight.subarray(r * inF, (r + 1) * inF), u * inF);
        mask.set(pruned.mask.subarray(r * inF, (r + 1) * inF), u * inF);
      });
    }
    return { weight, mask, bias: l.bias(), inFeatures: inF, outFeatures: l.outFeatures };
  });
  return MLP.fromWeights(layers, { activation: model.activation }, model.engine);
}

/** Options of importanceTest: fraction `top` of units per scored layer [0.03], random `draws` [5] and their `seed` [0], plus sparsifyUnits'. */
export interface ImportanceTestOptions extends SparsifyUnitsOptions {
  top?: number;
  draws?: number;
  seed?: number;
}

/** One sparsified selection: its name ('random' once per draw), the units per layer, and test accuracy/loss after. */
export interface ImportanceResult {
  selection: string;
  draw: number | null;
  unitsPerLayer: number[];
  accuracy: number;
  loss: number;
  accuracyDrop: number;
}

/**
 * The importance test (Sawmya et al., Fig. 3): for each named score (per layer, e.g. 'top-wd' ->
 * WD, 'mean', 'variance', 'magnitude'), sparsify the max(1, round(top·units)) highest-scored
 * units of each scored layer, and the same number of random units `draws` times; returns the
 * test accuracy and its drop from the dense model for each. `scores[name][l]` scores the units of
 * model.layers[l]. Example: `importanceTest(model, cal, test, { 'top-wd': wds }, { top: 0.03 })`.
 */
export function importanceTest(
  model: MLP,
  calibration: Calibration,
  test: Dataset,
  scores: Record<string, readonly Float64Array[]>,
  options: ImportanceTestOptions = {},
): ImportanceResult[] {
  const { top = 0.03, draws = 5, seed = 0, ...sparsify } = options;
  if (!(top > 0 && top <= 1)) {
    throw new ConfigError(`importanceTest: top must be a fraction in (0, 1] of each layer's units, got ${top}`, {
      where: 'importanceTest.top',
      got: top,
      allowed: '(0, 1]',
    });
  }
  if (!Number.isInteger(draws) || draws < 0) {
    throw new ConfigError(`importanceTest: draws must be an integer >= 0, got ${draws}`, { where: 'importanceTest.draws', got: draws });
  }
  const names = Object.keys(scores);
  const scored = names.length > 0 ? scores[names[0]].map((s, l) => (s.length > 0 ? l : -1)).filter((l) => l >= 0) : [];
  const counts = model.layers.map((l, i) => (scored.includes(i) ? Math.max(1, Math.round(top * l.outFeatures)) : 0));
  // a layer already at the target keeps its selected rows as they are: a 0% drop that measured nothing
  const target = sparsify.sparsity ?? 0.9;
  const current = scored.map((l) => 1 - model.layers[l].nnz / (model.layers[l].inFeatures * model.layers[l].outFeatures));
  if (scored.length > 0 && current.every((c) => c >= target)) {
    const now = current.map((c) => `${(100 * c).toFixed(1)}%`).join(', ');
    throw new ConfigError(
      `importanceTest: the scored layers are already ${now} sparse, at or above the asked sparsity ${target}; sparsifying the selected units would change nothing, so there is no drop to measure; ask for a higher sparsity (e.g. --sparsity ${Math.min(0.99, Math.max(...current) + (1 - Math.max(...current)) / 2).toFixed(2)})`,
      { where: 'importanceTest.sparsity', got: target, allowed: `above ${Math.max(...current).toFixed(4)}` },
    );
  }
  const base = evaluate(model, test, 'cross-entropy').accuracy;
  const run = (selection: string, draw: number | null, units: Int32Array[]): ImportanceResult => {
    const sparse = sparsifyUnits(model, calibration, units, sparsify);
    const e = evaluate(sparse, test, 'cross-entropy');
    sparse.dispose();
    return {
      selection,
      draw,
      unitsPerLayer: units.map((u) => u.length),
      accuracy: e.accuracy,
      loss: e.loss,
      accuracyDrop: base - e.accuracy,
    };
  };
  const results = names.map((name) =>
    run(
      name,
      null,
      counts.map((n, l) => (n === 0 ? new Int32Array(0) : highest(scores[name][l], n))),
    ),
  );
  const rng = new Rng(seed);
  for (let d = 0; d < draws; d++) {
    results.push(
      run(
        'random',
        d,
        counts.map((n, l) => Int32Array.from(rng.shuffle(Array.from({ length: model.layers[l].outFeatures }, (_, i) => i)).slice(0, n))),
      ),
    );
  }
  return results;
}

/** The n indices of highest score, ties to the lower index. */
function highest(scores: Float64Array, n: number): Int32Array {
  return Int32Array.from({ length: scores.length }, (_, i) => i)
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, n);
}
