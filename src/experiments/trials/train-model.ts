import { defaultEngine, type Engine } from '../../engine/index.js';
import {
  createOptimizer,
  type EpochInfo,
  type Evaluation,
  evaluate,
  fit,
  type History,
  MLP,
  type Optimizer,
  type OptimizerConfig,
  type StepInfo,
} from '../../nn/index.js';
import type { TrainConfig, TrainTaskData } from './train-config.js';

/** A model to continue training: its optimizer and the epochs it has finished (widen/node's runTraining reads them from a checkpoint). */
export interface TrainStart {
  model: MLP;
  optimizer: Optimizer;
  epochsDone: number;
}

/** Options of trainModel. */
export interface TrainModelOptions {
  engine?: Engine;
  /** Continue from this model instead of making one from the config's seed. */
  start?: TrainStart;
  /** Called at the end of every epoch, before onEpoch, with the epochs finished (the shell writes its checkpoint here). */
  afterEpoch?: (model: MLP, optimizer: Optimizer, epochsDone: number) => void;
  onEpoch?: (info: EpochInfo) => void;
  onStep?: (info: StepInfo) => void;
  /** performance.now() when the run started (default: now); `seconds` counts from it. */
  startedAt?: number;
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

/**
 * Trains an MLP on `data` as a TrainConfig describes (platform-free; widen/node's runTraining adds
 * loading the data, checkpoints and resuming): builds the model, fits it, evaluates it on the test set.
 * Example: `trainModel(resolveTrainConfig({ epochs: 5 }), data)`.
 */
export function trainModel(config: TrainConfig, data: TrainTaskData, options: TrainModelOptions = {}): TrainRunResult {
  const engine = options.engine ?? defaultEngine();
  const t0 = options.startedAt ?? performance.now();
  const { train, test, validation, features, classes } = data;
  const sizes = [features, ...config.model.hidden, classes];
  const model =
    options.start?.model ??
    MLP.create(
      { sizes, activation: config.model.activation, density: config.model.density, seed: config.seed, path: config.model.path },
      engine,
    );
  const opt = options.start?.optimizer ?? createOptimizer(model, optimizerConfig(config), 'training config.optimizer');
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
    initialEpoch: options.start?.epochsDone ?? 0,
    callbacks: {
      onStep: options.onStep,
      onEpoch: (info) => {
        options.afterEpoch?.(model, opt, info.epoch + 1);
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
