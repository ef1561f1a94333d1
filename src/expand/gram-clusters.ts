import type { Rng } from '../engine/index.js';
import { fitKMeans, normalise } from '../math/index.js';

/** How 'gram' compares two Gram rows: 1 − |cos| (a feature and its negation alike) or 1 − cos. */
export type GramDistance = 'abs-cosine' | 'cosine';

/** Settings of the 'gram' clustering. */
export interface GramSettings {
  /** Clusters: alpha. */
  k: number;
  distance: GramDistance;
  /** k-means runs from different k-means++ seeds; the lowest inertia wins. */
  restarts: number;
  /** At most this many iterations per run. */
  iterations: number;
  rng: Rng;
}

/**
 * Clusters the input features of a weight matrix W [out, in] by the rows of its Gram matrix
 * G = Wᵀ·W [in, in] (spec §3, 'gram'): spherical k-means on the L2-normalised rows, seeded
 * k-means++, inertia Σ distance. With 'abs-cosine' a row and its negation are the same point
 * (axial k-means: members are sign-aligned to their centre), so a clause's positive and negated
 * literals, whose Gram rows point opposite ways, still cluster together. Returns each input
 * feature's cluster, [in], numbered by first member.
 */
export function gramClusters(weight: Float32Array, out: number, inF: number, s: GramSettings): Int32Array {
  // G [in, in] in float64, then each row scaled to unit length (all-zero rows stay zero)
  const g = new Float64Array(inF * inF);
  for (let r = 0; r < out; r++) {
    const row = weight.subarray(r * inF, (r + 1) * inF);
    for (let a = 0; a < inF; a++) {
      if (row[a] === 0) continue;
      for (let b = 0; b < inF; b++) g[a * inF + b] += row[a] * row[b];
    }
  }
  for (let a = 0; a < inF; a++) normalise(g.subarray(a * inF, (a + 1) * inF));
  const metric = s.distance === 'abs-cosine' ? 'axial' : 'cosine';
  const fit = fitKMeans(g, inF, inF, { k: s.k, metric, restarts: s.restarts, iterations: s.iterations, rng: s.rng });
  return relabel(fit.labels, s.k);
}

/** Renumbers clusters by their lowest member, so equal partitions get equal labels. */
function relabel(assign: Int32Array, k: number): Int32Array {
  const map = new Int32Array(k).fill(-1);
  let next = 0;
  return assign.map((c) => (map[c] >= 0 ? map[c] : (map[c] = next++)));
}
