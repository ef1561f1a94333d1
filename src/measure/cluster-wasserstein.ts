import { ShapeError } from '../engine/index.js';
import { checkMatrix } from './check.js';
import { wassersteinToNormal } from './wasserstein.js';

/**
 * Cluster-weighted WD of each unit: Σ_c (n_c / size) · WD(unit's values on the samples of cluster
 * c) for feature-major values pre [units, size] and a cluster label per sample (empty clusters
 * add nothing). After Sparse Expansion each expert sees one cluster, so this measures how
 * Gaussian each unit's output is within the experts. Example: `clusterWeightedWasserstein(z, 64, 512, labels)`.
 */
export function clusterWeightedWasserstein(pre: Float32Array, units: number, size: number, labels: Int32Array): Float64Array {
  checkMatrix(pre, units, size, 'clusterWeightedWasserstein pre');
  if (!(labels instanceof Int32Array) || labels.length !== size || labels.some((c) => c < 0)) {
    throw new ShapeError(`clusterWeightedWasserstein labels must be an Int32Array of ${size} cluster indices >= 0, got ${labels?.length}`, {
      where: 'clusterWeightedWasserstein labels',
      got: labels?.length,
      allowed: String(size),
    });
  }
  const clusters = labels.reduce((m, c) => Math.max(m, c + 1), 0);
  const members: number[][] = Array.from({ length: clusters }, () => []);
  for (let t = 0; t < size; t++) members[labels[t]].push(t);
  const out = new Float64Array(units);
  for (const idx of members) {
    if (idx.length === 0) continue;
    const values = new Float64Array(idx.length);
    for (let u = 0; u < units; u++) {
      for (let i = 0; i < idx.length; i++) values[i] = pre[u * size + idx[i]];
      out[u] += (idx.length / size) * wassersteinToNormal(values);
    }
  }
  return out;
}

/** How WD moved for a set of units: the fraction whose WD dropped and the median relative change (after − before)/before. */
export interface WassersteinShift {
  units: number;
  fractionDropped: number;
  medianChange: number;
}

/** The shift from `before` to `after` over the units listed in `units` (e.g. the top-WD ones). */
export function wassersteinShift(before: ArrayLike<number>, after: ArrayLike<number>, units: ArrayLike<number>): WassersteinShift {
  const changes = Float64Array.from(units, (u) => (after[u] - before[u]) / before[u]).sort();
  const n = changes.length;
  const dropped = changes.filter((c) => c < 0).length;
  const mid = n >> 1;
  const median = n === 0 ? Number.NaN : n % 2 === 1 ? changes[mid] : (changes[mid - 1] + changes[mid]) / 2;
  return { units: n, fractionDropped: n === 0 ? Number.NaN : dropped / n, medianChange: median };
}
