import { makeBooleanTask } from '../../tasks/boolean.js';
import type { BooleanTrialConfig } from './experiment-grid.js';
import { runTrial, type TrialOptions } from './run-trial.js';
import { booleanTrialKind } from './trial-kinds.js';
import type { TrialRecord } from './trial-record.js';

/** Options of runBooleanTrial. */
export type BooleanTrialOptions = TrialOptions;

/**
 * Runs one trial of the Boolean protocol (spec boolean-tasks.md §3): makes the seeded task, then
 * runTrial with the Boolean kind (booleanTrialKind):
 * - dense: width h for E1 + E2 epochs;
 * - sparse-init: width alpha·h with random masks at the dense nnz, E1 + E2 epochs;
 * - fpe-random / fpe-clause / fpe-gram / overlap: dense width h for E1 epochs, splitNeurons with
 *   the method's strategy (collisions measured on the split masks, before the budget restore),
 *   then E2 epochs of the expanded network.
 * Returns the TrialRecord with test metrics, curves (every `evalEvery` epochs, at the split and at
 * the end) and timings in seconds per phase: task, warmup and split (FPE only), train (all of a
 * dense or sparse-init run; after the split for FPE), metrics. Same config, same record
 * (timings and finishedAt aside).
 * Example: `runBooleanTrial(expandTrials(resolveExperimentConfig({ name: 'x' }))[0].config)`.
 */
export function runBooleanTrial(config: BooleanTrialConfig, options: BooleanTrialOptions = {}): TrialRecord {
  const c = config;
  const start = performance.now();
  const task = makeBooleanTask({ n: c.n, m: c.m, k: c.k, mode: c.mode, trainSize: c.trainSize, testSize: c.testSize, seed: c.seed });
  const timings: TrialRecord['timings'] = { seconds: 0, task: (performance.now() - start) / 1000 };
  return runTrial(c, booleanTrialKind(task, c), options, { start, timings });
}
