import { createHash } from 'node:crypto';
import type { Activation } from '../engine/index.js';
import { type ResolvedOptimizerConfig, resolveOptimizerConfig } from '../nn/index.js';
import { type ExperimentConfig, gridPoints } from './experiment-config.js';
import type { Method, TrialConfigSummary } from './trial-record.js';

/**
 * One fully resolved trial: flat, so that reports group by its fields directly. `alpha` is 1 for
 * dense (it has no expansion), so dense trials of grid points that differ only in alpha share an id.
 */
export interface BooleanTrialConfig extends TrialConfigSummary {
  task: 'boolean';
  trainSize: number;
  testSize: number;
  activation: Activation;
  /** E1 and E2; dense and sparse-init train their sum. */
  warmupEpochs: number;
  afterSplitEpochs: number;
  optimizer: ResolvedOptimizerConfig;
  batchSize: number;
  /** Methods that split only: fresh optimizer state after the split. */
  resetOptimizer?: boolean;
  /** 'overlap' only: each child keeps ceil(overlapFactor·r/alpha) of a row's r inputs. */
  overlapFactor?: number;
  evalEvery: number;
}

/** Methods that train a dense warm-up and then split it. */
const SPLIT_METHODS: readonly Method[] = ['fpe-random', 'fpe-clause', 'fpe-gram', 'overlap'];

/** The trial of `method` and `seed` at one resolved grid point. */
function trialConfig(point: ExperimentConfig, method: Method, seed: number): BooleanTrialConfig {
  const { task, model, training } = point;
  const trial: BooleanTrialConfig = {
    task: 'boolean',
    method,
    mode: task.mode,
    n: task.n,
    m: task.m,
    k: task.k,
    trainSize: task.trainSize,
    testSize: task.testSize,
    h: model.h,
    activation: model.activation,
    alpha: method === 'dense' ? 1 : point.alpha,
    seed,
    warmupEpochs: training.warmupEpochs,
    afterSplitEpochs: training.afterSplitEpochs,
    optimizer: resolveOptimizerConfig(training.optimizer, 'experiment config.training.optimizer'),
    batchSize: training.batchSize,
    evalEvery: training.evalEvery,
  };
  if (SPLIT_METHODS.includes(method)) trial.resetOptimizer = training.resetOptimizer;
  if (method === 'overlap') trial.overlapFactor = point.overlapFactor;
  return trial;
}

/** The seeds an experiment runs: 0..N-1 for a count N, else the list as given. */
function seedList(config: ExperimentConfig): number[] {
  return typeof config.seeds === 'number' ? Array.from({ length: config.seeds }, (_, i) => i) : config.seeds;
}

/** A trial config with its stable id. */
export interface PlannedTrial {
  id: string;
  config: BooleanTrialConfig;
}

/**
 * Expands an experiment into its trials: grid points × methods × seeds, in that nesting order,
 * each with its stable id; a trial that several grid points produce appears once.
 */
export function expandTrials(config: ExperimentConfig): PlannedTrial[] {
  const seen = new Set<string>();
  const out: PlannedTrial[] = [];
  for (const point of gridPoints(config)) {
    for (const method of point.methods) {
      for (const seed of seedList(point)) {
        const trial = trialConfig(point, method, seed);
        const id = trialId(trial);
        if (seen.has(id)) continue;
        seen.add(id);
        out.push({ id, config: trial });
      }
    }
  }
  return out;
}

/** Stable id of a trial: the first 16 hex digits of the SHA-256 of its canonical JSON. */
export function trialId(config: object): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 16);
}

/** JSON with object keys sorted at every level, so equal configs give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as object)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}
