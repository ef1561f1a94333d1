import { z } from 'zod';
import { DATASET_KINDS, parseDatasetSpec, type ResolvedDatasetSpec } from '../../data/index.js';
import { type Dataset, parseConfig } from '../../nn/index.js';

const posInt = z.number().int().positive();

/** The synthetic task of a training run: Gaussian blobs (makeBlobs). */
const BlobsTaskSchema = z
  .object({
    kind: z.literal('blobs'),
    classes: z.number().int().min(2).default(4),
    features: posInt.default(32),
    clustersPerClass: posInt.default(3),
    trainSize: posInt.default(4096),
    testSize: posInt.default(1024),
    noise: z.number().nonnegative().default(0.6),
    seed: z.number().int().nonnegative().default(0),
  })
  .strict();

/** A real dataset as loadDataset takes it (`data` is validated in full by parseDatasetSpec). */
const DatasetTaskSchema = z.strictObject({
  kind: z.literal('dataset'),
  data: z.looseObject({ kind: z.enum(DATASET_KINDS) }),
});

// the kind defaults to blobs, so `task: {}` and `task: { classes: 3 }` stay valid
const TaskSchema = z.preprocess(
  (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) && !('kind' in v) ? { ...v, kind: 'blobs' } : v),
  z.discriminatedUnion('kind', [BlobsTaskSchema, DatasetTaskSchema]),
);

const ModelSchema = z
  .object({
    hidden: z.array(posInt).min(1).default([64, 64]),
    activation: z.enum(['relu', 'gelu', 'sigmoid', 'identity']).default('relu'),
    // fraction of kept weights per weight matrix; one number for all, or one per matrix
    density: z.union([z.number().gt(0).lte(1), z.array(z.number().gt(0).lte(1)).min(1)]).default(0.25),
    path: z.enum(['auto', 'csr', 'dense']).default('auto'),
  })
  .strict();

const OptimizerSchema = z
  .object({
    kind: z.enum(['adam', 'adamw', 'sgd']).default('adam'),
    lr: z.number().positive().default(3e-3),
    weightDecay: z.number().nonnegative().default(0),
    momentum: z.number().min(0).lt(1).default(0.9),
    nesterov: z.boolean().default(false),
  })
  .strict();

const ScheduleSchema = z
  .object({
    kind: z.enum(['constant', 'cosine']).default('constant'),
    warmupSteps: z.number().int().nonnegative().default(0),
  })
  .strict();

/** Schema of a `widen train` run: task, model, optimizer, schedule and loop settings. */
export const TrainConfigSchema = z
  .object({
    task: TaskSchema.prefault({}),
    model: ModelSchema.prefault({}),
    optimizer: OptimizerSchema.prefault({}),
    schedule: ScheduleSchema.prefault({}),
    epochs: posInt.default(20),
    batchSize: posInt.default(64),
    seed: z.number().int().nonnegative().default(0),
  })
  .strict();

type ParsedTrainConfig = z.output<typeof TrainConfigSchema>;
/** The task of a resolved training config: blobs, or a dataset with its spec resolved. */
export type TrainTask = Extract<ParsedTrainConfig['task'], { kind: 'blobs' }> | { kind: 'dataset'; data: ResolvedDatasetSpec };
/** A fully resolved training configuration (every default filled in, a dataset spec's too). */
export type TrainConfig = Omit<ParsedTrainConfig, 'task'> & { task: TrainTask };

/**
 * Validates a (partial) training config and fills in the defaults; unknown keys are errors naming
 * their path. Example: `resolveTrainConfig({ task: { kind: 'dataset', data: { kind: 'fashion-mnist' } }, model: { hidden: [512, 512] } })`.
 */
export function resolveTrainConfig(value: unknown = {}): TrainConfig {
  const config = parseConfig(TrainConfigSchema, value, 'training config');
  if (config.task.kind === 'blobs') return config as TrainConfig;
  return { ...config, task: { kind: 'dataset', data: parseDatasetSpec(config.task.data, 'training config.task.data') } };
}

/** The data of a training task: train and test sets with their feature and class counts. */
export interface TrainTaskData {
  train: Required<Dataset<Int32Array>>;
  test: Required<Dataset<Int32Array>>;
  /** Held out of train by the dataset spec's `validation` fraction; per-epoch curves use it instead of test. */
  validation: Required<Dataset<Int32Array>> | null;
  features: number;
  classes: number;
}
