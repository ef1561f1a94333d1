import { z } from 'zod';
import { DATASET_KINDS, parseDatasetSpec, type ResolvedDatasetSpec } from '../../data/index.js';
import { ConfigError } from '../../engine/index.js';
import type { Method } from './trial-record.js';

/** The real-data task of an experiment: a dataset spec as loadDataset takes it (validated in full by parseDatasetSpec). */
export const DatasetTaskSchema = z.strictObject({
  kind: z.literal('dataset'),
  data: z.looseObject({ kind: z.enum(DATASET_KINDS) }),
});

/** Methods a real-data experiment can run: the clause split needs clauses and 'overlap' is a Boolean-only control. */
export const DATASET_METHODS: readonly Method[] = ['dense', 'sparse-init', 'fpe-random', 'fpe-gram'];
/** Every method a real-data experiment may list: DATASET_METHODS (the default) and the variants that need no clauses. */
export const DATASET_ALLOWED: readonly Method[] = [
  ...DATASET_METHODS,
  'fpe-partition',
  'fpe-partition-scaled',
  'fpe-layer-restore',
  'fpe-selective-wd',
  'fpe-schedule',
];

/**
 * Training defaults of the dataset kind, chosen for the dense baseline and not tuned for FPE:
 * Adam at lr 1e-3 with minibatches of 128 is the common MLP setting for (Fashion-)MNIST (the
 * Keras and PyTorch examples), E1 = E2 = 25 is the 50-epoch protocol, and curves get a
 * point every epoch (a test pass costs about a sixth of a training epoch).
 */
export const DATASET_TRAINING = {
  warmupEpochs: 25,
  afterSplitEpochs: 25,
  batchSize: 128,
  evalEvery: 1,
  optimizer: { kind: 'adam', lr: 1e-3 },
} as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A raw experiment config with the dataset kind's defaults (DATASET_METHODS, DATASET_TRAINING)
 * filled in where the user set nothing (the Boolean kind keeps the schema's); values given win.
 */
export function withDatasetDefaults(value: unknown): unknown {
  if (!isObject(value) || !isObject(value.task) || value.task.kind !== 'dataset') return value;
  const training = isObject(value.training) ? value.training : {};
  const optimizer = isObject(training.optimizer) ? training.optimizer : {};
  const sameKind = optimizer.kind === undefined || optimizer.kind === DATASET_TRAINING.optimizer.kind;
  return {
    methods: [...DATASET_METHODS],
    ...value,
    training: { ...DATASET_TRAINING, ...training, optimizer: sameKind ? { ...DATASET_TRAINING.optimizer, ...optimizer } : optimizer },
  };
}

/** The validated dataset spec of a task (defaults filled in); ConfigError names `task.data.<key>`. */
export function resolveTaskData(data: unknown, where: string): ResolvedDatasetSpec {
  return parseDatasetSpec(data, `${where}.task.data`);
}

/** Cross-field rules of a dataset experiment: its methods, and a held-out test split for user files. */
export function datasetRules(methods: readonly Method[], data: ResolvedDatasetSpec, where: string): void {
  if ('test' in data && data.test === 0)
    throw new ConfigError(
      `invalid ${where}: ${where}.task.data.test must be a fraction in (0, 1) for a ${data.kind} set (it has no official test split), got 0; e.g. test: 0.2`,
      { where: `${where}.task.data.test`, got: 0, allowed: '(0, 1)' },
    );
  const bad = methods.find((m) => !DATASET_ALLOWED.includes(m));
  if (bad !== undefined)
    throw new ConfigError(`invalid ${where}: ${where}.methods: '${bad}' is not available on real data; use ${DATASET_ALLOWED.join(', ')}`, {
      where: `${where}.methods`,
      got: bad,
      allowed: DATASET_ALLOWED.join(', '),
    });
}

/** The last segment of a '/'-separated path, as POSIX node:path basename gives it (it feeds trial ids). */
function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** A short name of a dataset for reports: the image set's name, or the feature file's base name. */
export function datasetName(spec: ResolvedDatasetSpec): string {
  switch (spec.kind) {
    case 'mnist':
    case 'fashion-mnist':
      return spec.kind;
    case 'csv':
    case 'embeddings':
      return basename(spec.path);
    case 'npy':
      return basename(spec.x);
  }
}
