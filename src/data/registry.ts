import { resolve } from 'node:path';
import { Rng } from '../engine/index.js';
import type { Dataset } from '../nn/index.js';
import { readCsv } from './csv.js';
import { readEmbeddings } from './embeddings.js';
import { type DataEnvironment, locateImageSet, readImageSet } from './image-sets.js';
import { labeledData } from './labeled.js';
import { asFeatures, asLabels } from './ndarray.js';
import { readNpy } from './npy.js';
import { applyStandardizer, fitStandardizer, type Standardizer, scalePixels } from './preprocess.js';
import { type DatasetSpec, parseDatasetSpec, type ResolvedDatasetSpec } from './spec.js';
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

interface Raw {
  all: Required<Dataset<Int32Array>>;
  test: Required<Dataset<Int32Array>> | null;
  classNames: string[] | null;
  imageShape: number[] | null;
  files: string[];
}

/**
 * Loads a dataset by spec: finds and reads its files, scales pixels, splits (seeded; test then
 * validation) and standardises with train statistics only. Example:
 * `const { train, validation, test } = await loadDataset({ kind: 'fashion-mnist', validation: 0.1, standardize: 'per-feature' })`.
 * `where` redirects the lookup (WIDEN_DATA, home, Debian root, checksums); tests use it.
 */
export async function loadDataset(spec: DatasetSpec, where: DataEnvironment = {}): Promise<LoadedDataset> {
  const s = parseDatasetSpec(spec);
  const raw = await readRaw(s, where);
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

async function readRaw(s: ResolvedDatasetSpec, where: DataEnvironment): Promise<Raw> {
  switch (s.kind) {
    case 'mnist':
    case 'fashion-mnist': {
      const options = s.kind === 'fashion-mnist' ? { download: s.download, baseUrl: s.baseUrl } : {};
      const set = readImageSet(s.kind, await locateImageSet(s.kind, where, options));
      return { all: set.train, test: set.test, classNames: null, imageShape: set.imageShape, files: set.files };
    }
    case 'csv': {
      const path = resolve(s.path);
      const { classNames, ...all } = readCsv(path, { label: s.label, labelMap: s.labelMap, classes: s.classes });
      return { all, test: null, classNames, imageShape: null, files: [path] };
    }
    case 'npy': {
      const [xPath, yPath] = [resolve(s.x), resolve(s.y)];
      const { x, features } = asFeatures(readNpy(xPath), xPath);
      const all = labeledData(x, asLabels(readNpy(yPath), yPath), features, `${xPath} + ${yPath}`, s.classes);
      return { all, test: null, classNames: null, imageShape: null, files: [xPath, yPath] };
    }
    case 'embeddings': {
      const [path, labels] = [resolve(s.path), resolve(s.labels)];
      const { classNames, ...all } = readEmbeddings({ ...s, path, labels });
      return { all, test: null, classNames, imageShape: null, files: [path, labels] };
    }
  }
}
