import { resolve } from 'node:path';
import {
  asFeatures,
  asLabels,
  type DatasetSpec,
  type LoadedDataset,
  labeledData,
  parseDatasetSpec,
  prepareDataset,
  type RawDataset,
  type ResolvedDatasetSpec,
} from '../../data/index.js';
import { readEmbeddings } from './embeddings.js';
import { readCsv, readNpy } from './files.js';
import { type DataEnvironment, locateImageSet, readImageSet } from './image-sets.js';

/**
 * Loads a dataset by spec: finds and reads its files, scales pixels, splits (seeded; test then
 * validation) and standardises with train statistics only. Example:
 * `const { train, validation, test } = await loadDataset({ kind: 'fashion-mnist', validation: 0.1, standardize: 'per-feature' })`.
 * `where` redirects the lookup (WIDEN_DATA, home, Debian root, checksums); tests use it.
 */
export async function loadDataset(spec: DatasetSpec, where: DataEnvironment = {}): Promise<LoadedDataset> {
  const s = parseDatasetSpec(spec);
  const raw = await readRaw(s, where);
  return prepareDataset(s, raw);
}

async function readRaw(s: ResolvedDatasetSpec, where: DataEnvironment): Promise<RawDataset> {
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
