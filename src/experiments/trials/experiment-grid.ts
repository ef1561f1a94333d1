import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { ResolvedDatasetSpec } from '../../data/index.js';
import type { Activation } from '../../engine/index.js';
import { type ResolvedOptimizerConfig, resolveOptimizerConfig } from '../../nn/index.js';
import { datasetName } from './dataset-task.js';
import { type BooleanExperimentConfig, type DatasetExperimentConfig, type ExperimentConfig, gridPoints } from './experiment-config.js';
import { METHODS, type Method, type TrialConfigSummary } from './trial-record.js';

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

/**
 * One real-data trial. A dataset is not a Boolean task, so the summary's task coordinates hold
 * fixed values: mode 'which-clause' (single-label classification with softmax cross-entropy, as
 * that mode) and n = m = k = 0 (features and classes are the dataset's, known once it is loaded).
 */
export interface DatasetTrialConfig extends Omit<BooleanTrialConfig, 'task' | 'trainSize' | 'testSize' | 'overlapFactor'> {
  task: 'dataset';
  /** The resolved dataset spec, as loadDataset takes it. */
  dataset: ResolvedDatasetSpec;
  /** Short name of the dataset for reports (the image set, or the feature file's base name). */
  datasetName: string;
  /** Hidden layers, each of width h before expansion. */
  depth: number;
}

/** A trial config of either kind. */
export type TrialConfig = BooleanTrialConfig | DatasetTrialConfig;

/** Methods that train a dense warm-up and then split it. */
const SPLIT_METHODS: readonly Method[] = METHODS.filter((m) => m !== 'dense' && m !== 'sparse-init');

/** The real-data trial of `method` and `seed` at one resolved grid point. */
function datasetTrialConfig(point: DatasetExperimentConfig, method: Method, seed: number): DatasetTrialConfig {
  const { model } = point;
  const trial: DatasetTrialConfig = {
    task: 'dataset',
    method,
    dataset: point.task.data as ResolvedDatasetSpec,
    datasetName: datasetName(point.task.data as ResolvedDatasetSpec),
    mode: 'which-clause',
    n: 0,
    m: 0,
    k: 0,
    h: model.h,
    depth: model.depth ?? 1,
    activation: model.activation,
    ...loopFields(point, method, seed),
  };
  return trial;
}

/** The fields every trial kind shares: expansion, seed and training loop (resetOptimizer for split methods only). */
function loopFields(point: ExperimentConfig, method: Method, seed: number) {
  const { training } = point;
  return {
    alpha: method === 'dense' ? 1 : point.alpha,
    seed,
    warmupEpochs: training.warmupEpochs,
    afterSplitEpochs: training.afterSplitEpochs,
    optimizer: resolveOptimizerConfig(training.optimizer, 'experiment config.training.optimizer'),
    batchSize: training.batchSize,
    evalEvery: training.evalEvery,
    ...(SPLIT_METHODS.includes(method) ? { resetOptimizer: training.resetOptimizer } : {}),
  };
}

/** The trial of `method` and `seed` at one resolved grid point. */
function trialConfig(point: ExperimentConfig, method: Method, seed: number): TrialConfig {
  return point.task.kind === 'dataset'
    ? datasetTrialConfig(point as DatasetExperimentConfig, method, seed)
    : booleanTrialConfig(point as BooleanExperimentConfig, method, seed);
}

/** The Boolean trial of `method` and `seed` at one resolved grid point (unchanged fields keep existing ids). */
function booleanTrialConfig(point: BooleanExperimentConfig, method: Method, seed: number): BooleanTrialConfig {
  const { task, model } = point;
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
    ...loopFields(point, method, seed),
  };
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
  config: TrialConfig;
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
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(config)))).slice(0, 16);
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
