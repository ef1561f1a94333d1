import { ConfigError, Rng } from '../engine/index.js';
import type { Dataset } from '../nn/index.js';

/** Options of makeBlobs: a Gaussian-mixture classification task. */
export interface BlobsOptions {
  /** Number of classes [4]. */
  classes?: number;
  /** Input dimension [32]. */
  features?: number;
  /** Gaussian clusters per class [3]; more clusters make the task less linear. */
  clustersPerClass?: number;
  /** Training samples [4096] and test samples [1024]. */
  trainSize?: number;
  testSize?: number;
  /** Standard deviation of each cluster around its centre (centres are N(0, 1) per coordinate) [0.6]. */
  noise?: number;
  seed?: number;
}

/** Most floats a blobs task may generate (samples and cluster centres, times features). */
export const MAX_BLOBS_FLOATS = 2 ** 28;

/** Train and test sets drawn from the same mixture, deterministic given the seed. */
export interface Blobs {
  train: Required<Dataset<Int32Array>>;
  test: Required<Dataset<Int32Array>>;
}

/**
 * A seeded Gaussian-mixture task: each class owns several random cluster centres; a sample is a
 * centre plus isotropic noise. Example: `const { train, test } = makeBlobs({ classes: 4, seed: 1 })`.
 */
export function makeBlobs(options: BlobsOptions = {}): Blobs {
  const o = {
    classes: 4,
    features: 32,
    clustersPerClass: 3,
    trainSize: 4096,
    testSize: 1024,
    noise: 0.6,
    seed: 0,
    ...options,
  };
  for (const key of ['classes', 'features', 'clustersPerClass', 'trainSize', 'testSize'] as const) {
    const v = o[key];
    if (!Number.isInteger(v) || v < (key === 'classes' ? 2 : 1)) {
      throw new ConfigError(`blobs option '${key}' must be an integer >= ${key === 'classes' ? 2 : 1}, got ${v}`, {
        where: `blobs.${key}`,
        got: v,
      });
    }
  }
  if (!(o.noise >= 0) || !Number.isFinite(o.noise)) {
    throw new ConfigError(`blobs option 'noise' must be a finite number >= 0, got ${o.noise}`, { where: 'blobs.noise', got: o.noise });
  }
  const floats = (o.trainSize + o.testSize + o.classes * o.clustersPerClass) * o.features;
  if (floats > MAX_BLOBS_FLOATS) {
    throw new ConfigError(
      `blobs task of ${o.trainSize} + ${o.testSize} samples × ${o.features} features needs ${floats} floats, above widen's limit of ${MAX_BLOBS_FLOATS} (2^28, 1 GiB); use fewer samples or features`,
      { where: 'blobs', got: floats, allowed: `at most ${MAX_BLOBS_FLOATS}` },
    );
  }
  const rng = new Rng(o.seed);
  const centres = new Float32Array(o.classes * o.clustersPerClass * o.features);
  for (let i = 0; i < centres.length; i++) centres[i] = rng.normal();
  const draw = (size: number, r: Rng): Required<Dataset<Int32Array>> => {
    const x = new Float32Array(size * o.features);
    const y = new Int32Array(size);
    for (let s = 0; s < size; s++) {
      const c = r.int(o.classes);
      const centre = (c * o.clustersPerClass + r.int(o.clustersPerClass)) * o.features;
      y[s] = c;
      for (let f = 0; f < o.features; f++) x[s * o.features + f] = centres[centre + f] + o.noise * r.normal();
    }
    return { x, y, size, features: o.features, classes: o.classes };
  };
  return { train: draw(o.trainSize, rng.fork(1)), test: draw(o.testSize, rng.fork(2)) };
}
