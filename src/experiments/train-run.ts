import { ConfigError, defaultEngine, type Engine } from '../engine/index.js';
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
} from '../nn/index.js';
import { makeBlobs } from '../tasks/blobs.js';
import { resolveTrainConfig, type TrainConfig } from './train-config.js';

/** Options of runTraining. */
export interface TrainRunOptions {
  engine?: Engine;
  /** Checkpoint written atomically after every epoch and at the end (none when omitted). */
  out?: string;
  /** Checkpoint to continue from; its stored config is the base, `config` may only raise `epochs`. */
  resume?: string;
  onEpoch?: (info: EpochInfo) => void;
  onStep?: (info: StepInfo) => void;
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
 * Trains an MLP as a TrainConfig describes: makes the task, builds the model, fits it, evaluates
 * it on the test set. Example: `runTraining(resolveTrainConfig({ epochs: 5 }), { out: 'm.safetensors' })`.
 */
export function runTraining(config: TrainConfig, options: TrainRunOptions = {}): TrainRunResult {
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
  const { train, test } = makeBlobs(config.task);
  const sizes = [config.task.features, ...config.model.hidden, config.task.classes];
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
    validation: test,
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
