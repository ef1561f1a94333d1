import type { LoadedDataset } from '../../data/index.js';
import { DataError } from '../../engine/index.js';
import type { DatasetTrialConfig } from './experiment-grid.js';
import { runTrial, type TrialOptions } from './run-trial.js';
import { datasetTrialKind } from './trial-kinds.js';
import type { TrialRecord } from './trial-record.js';

/** Options of runDatasetTrial. */
export type DatasetTrialOptions = TrialOptions;

/**
 * Runs one real-data trial on a loaded dataset (its train split to train, its test split to
 * measure), with `depth` hidden layers of width h: runTrial with the dataset kind (datasetTrialKind):
 * - dense: E1 + E2 epochs;
 * - sparse-init: every hidden layer alpha·h wide with random masks at the dense nnz, E1 + E2 epochs;
 * - fpe-random / fpe-gram: dense for E1 epochs, every hidden layer split into alpha children
 *   (the budget restore keeps the dense nnz), then E2 epochs.
 * Curves get a test evaluation every `evalEvery` epochs and at the split and the end. Timings in
 * seconds per phase: warmup and split (FPE only), train, metrics. Same config and data, same
 * record (timings and finishedAt aside).
 * Example: `runDatasetTrial(trial, await loadDataset(trial.dataset))`.
 */
export function runDatasetTrial(config: DatasetTrialConfig, data: LoadedDataset, options: DatasetTrialOptions = {}): TrialRecord {
  const test = data.test;
  if (test === null)
    throw new DataError(`dataset ${config.datasetName} has no test split; set task.data.test to a fraction such as 0.2`, {
      where: config.datasetName,
    });
  return runTrial(config, datasetTrialKind(data, test, config), options);
}
