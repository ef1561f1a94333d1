import type { LoadedDataset } from '../../data/index.js';
import { evaluate } from '../../nn/index.js';
import type { BooleanTask } from '../../tasks/boolean.js';
import type { BooleanTrialConfig, DatasetTrialConfig } from './experiment-grid.js';
import { SPLIT_STRATEGY, type TrialKind } from './run-trial.js';
import { booleanFinalMetrics, datasetFinalMetrics, splitMetrics, unitScores } from './trial-metrics.js';

/**
 * A Boolean trial's kind: the seeded task's train and test sets with its loss, width h, the four
 * splitting methods, clause coverage and collisions at the split, spec section 4's metrics at the end.
 */
export function booleanTrialKind(task: BooleanTask, c: BooleanTrialConfig): TrialKind {
  return {
    sizes: [c.n, c.h, task.outputs],
    train: task.train,
    test: task.test,
    loss: task.loss,
    strategies: SPLIT_STRATEGY.boolean,
    splitOptions: { clauses: task.clauses, overlapFactor: c.overlapFactor },
    atSplit: (parentMask, splitMask, wide, alpha) => splitMetrics(parentMask, splitMask, wide, task, alpha),
    unitScores: (model, layer, by) => unitScores(model, layer, by, task.train, task.clauses),
    atEnd: (model, split) => booleanFinalMetrics(model, task, split),
  };
}

/**
 * A real-data trial's kind: the loaded dataset's train split and its test split (`test`, checked
 * present by the caller), `depth` hidden layers of width h, cross-entropy, the random and gram
 * splits, the test accuracy at the split and datasetFinalMetrics at the end.
 */
export function datasetTrialKind(data: LoadedDataset, test: LoadedDataset['train'], c: DatasetTrialConfig): TrialKind {
  return {
    sizes: [data.features, ...Array<number>(c.depth).fill(c.h), data.classes],
    train: data.train,
    test,
    loss: 'cross-entropy',
    strategies: SPLIT_STRATEGY.dataset,
    splitOptions: {},
    atSplit: (_parent, _split, wide) => ({ accuracyAfterSplit: evaluate(wide, test, 'cross-entropy').accuracy }),
    unitScores: (model, layer, by) => unitScores(model, layer, by, data.train, []),
    atEnd: (model, split) => datasetFinalMetrics(model, test, split),
  };
}
