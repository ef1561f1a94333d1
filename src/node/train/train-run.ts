import { ConfigError, defaultEngine, type Engine } from '../../engine/index.js';
import { resolveTrainConfig, type TrainConfig, type TrainTask, type TrainTaskData } from '../../experiments/trials/train-config.js';
import { type TrainRunResult, type TrainStart, trainModel } from '../../experiments/trials/train-model.js';
import { type EpochInfo, restoreOptimizer, type StepInfo } from '../../nn/index.js';
import { makeBlobs } from '../../tasks/blobs.js';
import type { DataEnvironment } from '../data/image-sets.js';
import { loadDataset } from '../data/registry.js';
import { loadCheckpoint, saveCheckpoint } from '../files.js';

/**
 * Makes (blobs) or loads (dataset) the data of a training task; a dataset's test set is its
 * official test split or its held-out `test` fraction. `where` redirects the image-set lookup
 * as in loadDataset. Example: `const { train, test } = await loadTrainTask(config.task)`.
 */
export async function loadTrainTask(task: TrainTask, where: DataEnvironment = {}): Promise<TrainTaskData> {
  if (task.kind === 'blobs') return { ...makeBlobs(task), validation: null, features: task.features, classes: task.classes };
  const data = await loadDataset(task.data, where);
  if (data.test === null) {
    throw new ConfigError(
      `training config.task.data.test must be a fraction in (0, 1) for a ${data.spec.kind} set (it has no official test split), got 0; e.g. test: 0.2`,
      { where: 'training config.task.data.test', got: 0, allowed: '(0, 1)' },
    );
  }
  return { train: data.train, test: data.test, validation: data.validation, features: data.features, classes: data.classes };
}

/** Options of runTraining. */
export interface TrainRunOptions {
  engine?: Engine;
  /** Checkpoint written atomically after every epoch and at the end (none when omitted). */
  out?: string;
  /** Checkpoint to continue from; its stored config is the base, `config` may only raise `epochs`. */
  resume?: string;
  onEpoch?: (info: EpochInfo) => void;
  onStep?: (info: StepInfo) => void;
  /** The task's data when already loaded (loadTrainTask); loaded from `config.task` otherwise. */
  data?: TrainTaskData;
}

/** The run config stored in a checkpoint's metadata, plus the epochs finished. */
interface StoredRun {
  config: TrainConfig;
  epochsDone: number;
}

/**
 * Trains an MLP as a TrainConfig describes: makes or loads the task, builds the model (or resumes
 * a checkpoint), fits it (trainModel), evaluates it on the test set, writing the checkpoint after
 * every epoch when `out` is given. Example: `await runTraining(resolveTrainConfig({ epochs: 5 }), { out: 'm.safetensors' })`.
 */
export async function runTraining(config: TrainConfig, options: TrainRunOptions = {}): Promise<TrainRunResult> {
  const engine = options.engine ?? defaultEngine();
  const t0 = performance.now();
  let start: TrainStart | undefined;
  if (options.resume !== undefined) {
    const ckpt = loadCheckpoint(options.resume, engine);
    const stored = ckpt.config as StoredRun;
    const base = resolveTrainConfig(stored?.config);
    if (JSON.stringify({ ...base, epochs: 0 }) !== JSON.stringify({ ...config, epochs: 0 })) {
      throw new ConfigError(
        `--resume ${options.resume}: only epochs may change when resuming; the checkpoint's config is ${JSON.stringify(base)}`,
        { where: 'resume', got: config },
      );
    }
    if (ckpt.optimizerState === undefined)
      throw new ConfigError(`--resume ${options.resume}: the checkpoint holds no optimizer state`, { where: 'resume' });
    start = { model: ckpt.model, optimizer: restoreOptimizer(ckpt.model, ckpt.optimizerState), epochsDone: stored.epochsDone };
  }
  const data = options.data ?? (await loadTrainTask(config.task));
  const out = options.out;
  return trainModel(config, data, {
    engine,
    start,
    startedAt: t0,
    onStep: options.onStep,
    onEpoch: options.onEpoch,
    afterEpoch:
      out === undefined
        ? undefined
        : (model, optimizer, epochsDone) => {
            const run: StoredRun = { config, epochsDone };
            saveCheckpoint(out, { model, optimizer, config: run });
          },
  });
}
