import { Rng } from '../engine/index.js';
import type { Dataset } from '../nn/index.js';
import { applyStandardizer, fitStandardizer, type Standardizer, scalePixels } from './preprocess.js';
import type { ResolvedDatasetSpec } from './spec.js';
import { holdOut } from './split.js';

/** A dataset ready to train on: its splits, shape facts, the standardisation applied and where it came from. */
export interface LoadedDataset {
  /** The validated spec, defaults filled in: store it with results. */
  spec: ResolvedDatasetSpec;
  train: Required<Dataset<Int32Array>>;
  /** Carved from train by `spec.validation`; null when that is 0. */
  validation: Required<Dataset<Int32Array>> | null;
  /** The official test split of an image set, or `spec.test` of a user set held out (null when 0). */
  test: Required<Dataset<Int32Array>> | null;
  features: number;
  classes: number;
  /** Class names when text labels were mapped, else null. */
  classNames: string[] | null;
  /** [height, width] of an image set, else null. */
  imageShape: number[] | null;
  /** Statistics fitted on `train` and applied to every split. */
  standardizer: Standardizer;
  /** The files read, absolute. */
  files: string[];
}

/** A dataset as read from its files, before scaling, splitting and standardising (prepareDataset). */
export interface RawDataset {
  all: Required<Dataset<Int32Array>>;
  test: Required<Dataset<Int32Array>> | null;
  classNames: string[] | null;
  imageShape: number[] | null;
  files: string[];
}

/**
 * Makes a read dataset ready to train on: scales pixels, splits (seeded; test then validation)
 * and standardises with train statistics only. Scaling and standardising work in place on `raw`.
 */
export function prepareDataset(s: ResolvedDatasetSpec, raw: RawDataset): LoadedDataset {
  const label = s.kind === 'mnist' || s.kind === 'fashion-mnist' ? s.kind : raw.files.join(' + ');
  if (s.scale) {
    scalePixels(raw.all, label);
    if (raw.test !== null) scalePixels(raw.test, label);
  }
  const rng = new Rng(s.seed);
  // forks in a fixed order: the test split does not shift when only the validation fraction changes
  const testRng = rng.fork(1);
  const validationRng = rng.fork(2);
  let test = raw.test;
  let rest = raw.all;
  if ('test' in s && test === null) ({ kept: rest, held: test } = holdOut(raw.all, s.test, testRng, s.stratify, 'test'));
  const { kept: train, held: validation } = holdOut(rest, s.validation, validationRng, s.stratify, 'validation');
  const standardizer = fitStandardizer(train, s.standardize);
  for (const part of [train, validation, test]) if (part !== null) applyStandardizer(part, standardizer);
  return {
    spec: s,
    train,
    validation,
    test,
    features: train.features,
    classes: raw.all.classes,
    classNames: raw.classNames,
    imageShape: raw.imageShape,
    standardizer,
    files: raw.files,
  };
}
