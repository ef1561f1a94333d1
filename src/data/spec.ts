import { z } from 'zod';
import { parseConfig } from '../nn/index.js';
import { STANDARDIZE_MODES } from './preprocess.js';

/** Dataset kinds loadDataset knows: two built-in image sets and three kinds of user files. */
export const DATASET_KINDS = ['mnist', 'fashion-mnist', 'csv', 'npy', 'embeddings'] as const;
/** One of DATASET_KINDS. */
export type DatasetKind = (typeof DATASET_KINDS)[number];

const fraction = z.number().min(0).lt(1);
const path = z.string().min(1);
// class indices are stored as int32
const labelMap = z.union([z.literal('sorted'), z.record(z.string(), z.number().int().min(0).max(0x7fffffff))]);

// options every kind takes: how to carve validation from train, and how to standardise
const common = {
  /** Fraction of the train split held out as validation (0 = none). */
  validation: fraction.default(0),
  /** Hold out the same fraction of each class (true) or of the whole set (false). */
  stratify: z.boolean().default(true),
  /** Seed of every split, so the same spec gives the same samples in each part. */
  seed: z.number().int().default(0),
  standardize: z.enum(STANDARDIZE_MODES).default('none'),
};
const image = {
  ...common,
  /** Divide pixels by 255 so they lie in [0, 1]; on by default for image sets. */
  scale: z.boolean().default(true),
};
// user files have no official test split, so one may be held out, and are not pixels unless said so
const user = {
  ...common,
  test: fraction.default(0),
  scale: z.boolean().default(false),
  /** Class count; labels outside [0, classes) are errors. Default: largest label + 1. */
  classes: z.number().int().min(1).optional(),
};

const SCHEMAS = {
  mnist: z.strictObject({ kind: z.literal('mnist'), ...image }),
  'fashion-mnist': z.strictObject({
    kind: z.literal('fashion-mnist'),
    ...image,
    /** Download into ~/.cache/widen when no local copy exists (checksum-verified). */
    download: z.boolean().default(false),
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  }),
  csv: z.strictObject({
    kind: z.literal('csv'),
    path,
    label: z.union([z.string().min(1), z.number().int()]),
    labelMap: labelMap.optional(),
    ...user,
  }),
  npy: z.strictObject({ kind: z.literal('npy'), x: path, y: path, ...user }),
  embeddings: z.strictObject({
    kind: z.literal('embeddings'),
    path,
    tensor: z.string().min(1).optional(),
    labels: path,
    labelsTensor: z.string().min(1).optional(),
    labelMap: labelMap.optional(),
    ...user,
  }),
} as const;

/** A dataset spec as written by a user (defaults optional), e.g. `{ kind: 'mnist', validation: 0.1 }`. */
export type DatasetSpec = z.input<(typeof SCHEMAS)[DatasetKind]>;
/** A validated spec with every default filled in. */
export type ResolvedDatasetSpec = z.output<(typeof SCHEMAS)[DatasetKind]>;

/**
 * Validates a dataset spec and fills its defaults; a ConfigError names the key path under `where`
 * (unknown keys, a bad kind, a fraction outside [0, 1)). Example: `parseDatasetSpec({ kind: 'csv', path: 'iris.csv', label: -1 })`.
 */
export function parseDatasetSpec(spec: unknown, where = 'DatasetSpec'): ResolvedDatasetSpec {
  // the kind picks the schema first, so unknown-key errors list that kind's keys
  const { kind } = parseConfig(z.looseObject({ kind: z.enum(DATASET_KINDS) }), spec, where);
  return parseConfig(SCHEMAS[kind], spec, where);
}
