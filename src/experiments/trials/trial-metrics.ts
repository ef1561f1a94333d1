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
} from '../../measure/index.js';
import { type Dataset, evaluate, type MLP } from '../../nn/index.js';
import type { BooleanTask } from '../../tasks/boolean.js';
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
  };
}

/**
 * Test metrics at the end of a real-data trial. Capacity and cosine are of the first hidden
 * layer's weights; the Boolean-only metrics (clause coverage, collisions, Wasserstein, mapping
 * difficulty, the last two quadratic in the 10,000 test samples) are NaN or empty: real data has no clauses.
 */
export function datasetFinalMetrics(model: MLP, test: Dataset, accuracyAfterSplit: number | undefined): TrialMetrics {
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
    ...(accuracyAfterSplit === undefined ? {} : { accuracyAfterSplit }),
    wasserstein: [],
    mappingDifficulty: Number.NaN,
  };
}

/** The mode's main test accuracy (mean per-output accuracy for multi-label). */
function testAccuracy(model: MLP, task: BooleanTask): number {
  return taskMetrics(task.options.mode, modelOutputs(model, task.test), task.test.y, task.outputs).accuracy;
}
