import {
  clauseCoverage,
  expectedCollisions,
  featureCapacity,
  hiddenPreActivations,
  mappingDifficulty,
  meanPairwiseCosine,
  modelOutputs,
  taskMetrics,
  unitWasserstein,
  weightedClauseCollisions,
} from '../../measure/index.js';
import { type Dataset, evaluate, type MLP } from '../../nn/index.js';
import type { BooleanTask } from '../../tasks/boolean.js';
import type { ClauseVars } from '../../tasks/index.js';
import type { UnitRanking } from './split-variants.js';
import type { TrialMetrics } from './trial-record.js';

/** What FPE trials measure at the split: the optional split fields of TrialMetrics. */
export type SplitMetrics = Required<
  Pick<TrialMetrics, 'coverageAfterSplit' | 'collisionsPerUnitAfterSplit' | 'collisionsPredicted' | 'accuracyAfterSplit'>
>;

/**
 * Clause coverage and collisions of the first layer right after the split, from the split mask
 * [alpha·h, n] (before the budget restore pruned anything), beside the exact random-split
 * prediction from the parent's mask [h, n]; and the test accuracy of the expanded network
 * before any further training.
 */
export function splitMetrics(parentMask: Uint8Array, splitMask: Uint8Array, wide: MLP, task: BooleanTask, alpha: number): SplitMetrics {
  const n = task.options.n;
  const h = parentMask.length / n;
  const split = clauseCoverage(splitMask, splitMask.length / n, n, task.clauses);
  return {
    coverageAfterSplit: split.coveredFraction,
    collisionsPerUnitAfterSplit: split.collisionsPerUnit,
    collisionsPredicted: expectedCollisions(parentMask, h, n, task.clauses, alpha).meanPerChild,
    accuracyAfterSplit: testAccuracy(wide, task),
  };
}

/**
 * The end-of-training metrics of spec section 4 on the Boolean test set. Mapping difficulty is the mean
 * over hidden units of Sawmya et al.'s per-neuron mapping difficulty of x -> the unit's
 * pre-activation (the values the Wasserstein distances use), over the units where it is defined.
 */
export function booleanFinalMetrics(model: MLP, task: BooleanTask, split: Partial<TrialMetrics> | undefined): TrialMetrics {
  const { test } = task;
  const n = task.options.n;
  const layer = model.layers[0];
  const width = layer.outFeatures;
  const w1 = layer.weight(); // [width, n], zeros where masked
  const tm = taskMetrics(task.options.mode, modelOutputs(model, test), test.y, task.outputs);
  const capacity = featureCapacity(w1, width, n);
  const coverage = clauseCoverage(layer.mask(), width, n, task.clauses);
  const pre = hiddenPreActivations(model, test); // [width, test.size]
  // NaN for a unit whose median output distance is 0 while some are not (e.g. a unit left with one
  // input by a sparse mask): such units are left out of the mean
  let [difficulty, defined] = [0, 0];
  for (let u = 0; u < width; u++) {
    const d = mappingDifficulty(test.x, pre.subarray(u * test.size, (u + 1) * test.size), test.size);
    if (Number.isFinite(d)) [difficulty, defined] = [difficulty + d, defined + 1];
  }
  return {
    accuracy: tm.accuracy,
    testLoss: evaluate(model, test, task.loss).loss,
    ...(tm.exactMatch === undefined ? {} : { exactMatch: tm.exactMatch, macroF1: tm.macroF1 }),
    nnz: model.nnz(),
    width,
    capacityMean: capacity.mean,
    capacitySum: capacity.sum,
    cosineMean: meanPairwiseCosine(w1, width, n),
    coverage: coverage.coveredFraction,
    collisionsPerUnit: coverage.collisionsPerUnit,
    ...split,
    wasserstein: Array.from(unitWasserstein(pre, width, test.size)),
    mappingDifficulty: defined === 0 ? Number.NaN : difficulty / defined,
    deadUnits: deadUnits(model, pre, test.size),
    weightNorms: weightNorms(model),
  };
}

/**
 * Selective split's ranking of the units of hidden layer `layer` on `data` (the training set):
 * 'wasserstein' the Wasserstein distance to a Gaussian of each unit's pre-activations,
 * 'collisions' the weighted clause collisions of its incoming weights (hidden layer 0 only:
 * clause variables index the inputs; deeper layers rank by Wasserstein distance).
 */
export function unitScores(model: MLP, layer: number, by: UnitRanking, data: Dataset, clauses: readonly ClauseVars[]): Float64Array {
  const l = model.layers[layer];
  if (by === 'collisions' && layer === 0) return weightedClauseCollisions(l.weight(), l.outFeatures, l.inFeatures, clauses);
  return unitWasserstein(hiddenPreActivations(model, data, layer), l.outFeatures, data.size);
}

/**
 * Fraction of the first hidden layer's units that are dead: no incoming or no outgoing weight,
 * or (ReLU) a pre-activation <= 0 on every sample of `pre` [width, size].
 */
export function deadUnits(model: MLP, pre: Float32Array, size: number): number {
  const [first, next] = [model.layers[0], model.layers[1]];
  const width = first.outFeatures;
  const [inMask, outMask] = [first.mask(), next.mask()];
  let dead = 0;
  for (let u = 0; u < width; u++) {
    const hasIn = inMask.subarray(u * first.inFeatures, (u + 1) * first.inFeatures).some((m) => m !== 0);
    let hasOut = false;
    for (let r = 0; r < next.outFeatures && !hasOut; r++) hasOut = outMask[r * width + u] !== 0;
    let fires = model.activation !== 'relu';
    for (let i = 0; i < size && !fires; i++) fires = pre[u * size + i] > 0;
    if (!hasIn || !hasOut || !fires) dead++;
  }
  return dead / width;
}

/** Frobenius norm of every weight matrix. */
export function weightNorms(model: MLP): number[] {
  return model.layers.map((l) => Math.sqrt(l.weight().reduce((s, w) => s + w * w, 0)));
}

/**
 * Test metrics at the end of a real-data trial. Capacity and cosine are of the first hidden
 * layer's weights; the Boolean-only metrics (clause coverage, collisions, Wasserstein, mapping
 * difficulty, the last two quadratic in the 10,000 test samples) are NaN or empty: real data has no clauses.
 */
export function datasetFinalMetrics(model: MLP, test: Dataset, split: Partial<TrialMetrics> | undefined): TrialMetrics {
  const first = model.layers[0];
  const [width, inputs] = [first.outFeatures, first.inFeatures];
  const w1 = first.weight(); // [width, inputs], zeros where masked
  const capacity = featureCapacity(w1, width, inputs);
  const end = evaluate(model, test, 'cross-entropy');
  return {
    accuracy: end.accuracy,
    testLoss: end.loss,
    nnz: model.nnz(),
    width,
    widths: model.layers.slice(0, -1).map((l) => l.outFeatures),
    capacityMean: capacity.mean,
    capacitySum: capacity.sum,
    cosineMean: meanPairwiseCosine(w1, width, inputs),
    coverage: Number.NaN,
    collisionsPerUnit: Number.NaN,
    ...split,
    wasserstein: [],
    mappingDifficulty: Number.NaN,
    deadUnits: deadUnits(model, hiddenPreActivations(model, test), test.size),
    weightNorms: weightNorms(model),
  };
}

/** The mode's main test accuracy (mean per-output accuracy for multi-label). */
function testAccuracy(model: MLP, task: BooleanTask): number {
  return taskMetrics(task.options.mode, modelOutputs(model, task.test), task.test.y, task.outputs).accuracy;
}
