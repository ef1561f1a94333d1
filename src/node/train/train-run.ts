import { type DataEnvironment, loadDataset } from '../../data/index.js';
import { ConfigError, defaultEngine, type Engine } from '../../engine/index.js';
import { resolveTrainConfig, type TrainConfig, type TrainTask, type TrainTaskData } from '../../experiments/trials/train-config.js';
import {
  createOptimizer,
  type EpochInfo,
  type Evaluation,
  evaluate,
  fit,
  type History,
  loadCheckpoint,
  MLP,
  type Optimizer,
  type OptimizerConfig,
  restoreOptimizer,
  type StepInfo,
  saveCheckpoint,
} from '../../nn/index.js';
import { makeBlobs } from '../../tasks/blobs.js';

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

/** What a training run returns: the trained model, its curves and its test metrics. */
export interface TrainRunResult {
  config: TrainConfig;
  model: MLP;
  optimizer: Optimizer;
  history: History;
  test: Evaluation;
  /** Non-zero weights (biases excluded) and the count the same widths would have dense. */
  nnz: number;
  denseWeights: number;
  seconds: number;
}

/** The run config stored in a checkpoint's metadata, plus the epochs finished. */
interface StoredRun {
  config: TrainConfig;
  epochsDone: number;
}

/**
 * Trains an MLP as a TrainConfig describes: makes or loads the task, builds the model, fits it,
 * evaluates it on the test set. Example: `await runTraining(resolveTrainConfig({ epochs: 5 }), { out: 'm.safetensors' })`.
 */
export async function runTraining(config: TrainConfig, options: TrainRunOptions = {}): Promise<TrainRunResult> {
  const engine = options.engine ?? defaultEngine();
  const t0 = performance.now();
  let model: MLP;
  let optimizer: Optimizer | undefined;
  let initialEpoch = 0;
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
    model = ckpt.model;
    if (ckpt.optimizerState === undefined)
      throw new ConfigError(`--resume ${options.resume}: the checkpoint holds no optimizer state`, { where: 'resume' });
    optimizer = restoreOptimizer(model, ckpt.optimizerState);
    initialEpoch = stored.epochsDone;
  }
  const { train, test, validation, features, classes } = options.data ?? (await loadTrainTask(config.task));
  const sizes = [features, ...config.model.hidden, classes];
  model ??= MLP.create(
    { sizes, activation: config.model.activation, density: config.model.density, seed: config.seed, path: config.model.path },
    engine,
  );
  const opt = optimizer ?? createOptimizer(model, optimizerConfig(config), 'training config.optimizer');
  const stepsPerEpoch = Math.ceil(train.size / Math.min(config.batchSize, train.size));
  const schedule =
    config.schedule.kind === 'cosine'
      ? {
          kind: 'cosine' as const,
          warmupSteps: config.schedule.warmupSteps,
          totalSteps: Math.max(config.epochs * stepsPerEpoch, config.schedule.warmupSteps + 1),
        }
      : { kind: 'constant' as const, warmupSteps: config.schedule.warmupSteps };
  const history = fit(model, train, {
    epochs: config.epochs,
    batchSize: config.batchSize,
    optimizer: opt,
    loss: 'cross-entropy',
    schedule,
    seed: config.seed,
    validation: validation ?? test,
    initialEpoch,
    callbacks: {
      onStep: options.onStep,
      onEpoch: (info) => {
        if (options.out !== undefined) {
          const run: StoredRun = { config, epochsDone: info.epoch + 1 };
          saveCheckpoint(options.out, { model, optimizer: opt, config: run });
        }
        options.onEpoch?.(info);
      },
    },
  });
  return {
    config,
    model,
    optimizer: opt,
    history,
    test: evaluate(model, test, 'cross-entropy'),
    nnz: model.nnz(),
    denseWeights: sizes.slice(1).reduce((s, out, i) => s + out * sizes[i], 0),
    seconds: (performance.now() - t0) / 1000,
  };
}

function optimizerConfig(config: TrainConfig): OptimizerConfig {
  const o = config.optimizer;
  if (o.kind === 'sgd') return { kind: o.kind, lr: o.lr, weightDecay: o.weightDecay, momentum: o.momentum, nesterov: o.nesterov };
  return { kind: o.kind, lr: o.lr, weightDecay: o.weightDecay };
}
