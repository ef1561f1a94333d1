import { Rng } from '../../engine/index.js';

/** Settings of fitKMeans: clusters k, k-means++ restarts [10], Lloyd iterations per restart [300], seed [0]. */
export interface KMeansOptions {
  k: number;
  restarts?: number;
  iterations?: number;
  seed?: number;
}

/** A k-means fit: centroids [k, d] row-major, each point's nearest centroid, and the inertia. */
export interface KMeansFit {
  k: number;
  centroids: Float64Array;
  labels: Int32Array;
  /** Σ over points of the squared distance to their centroid. */
  inertia: number;
}

/**
 * Euclidean k-means of points [n, d]: `restarts` runs, each from a greedy k-means++ seeding
 * (2 + ⌊ln k⌋ candidates per centre, the one lowering the potential most wins, as scikit-learn
 * does), then Lloyd iterations until no label changes; an emptied cluster restarts at the point
 * farthest from its centroid. The run of lowest inertia wins; its labels are nearest centroids
 * of its final centroids (ties to the lower index). Needs 1 <= k <= n (checked by the caller).
 */
export function fitKMeans(points: Float64Array, n: number, d: number, options: KMeansOptions): KMeansFit {
  const { k, restarts = 10, iterations = 300, seed = 0 } = options;
  const rng = new Rng(seed);
  let best: KMeansFit | null = null;
  for (let run = 0; run < restarts; run++) {
    const fit = lloyd(points, n, d, seedPlusPlus(points, n, d, k, rng.fork(run)), k, iterations);
    if (best === null || fit.inertia < best.inertia) best = fit;
  }
  return best as KMeansFit;
}

/** Squared distance between point i of a and row c of b (both width d). */
export function sqDist(a: Float64Array, i: number, b: Float64Array, c: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const diff = a[i * d + j] - b[c * d + j];
    s += diff * diff;
  }
  return s;
}

/** Index of the nearest of k centroids to point i, and its squared distance (ties to the lower index). */
export function nearest(points: Float64Array, i: number, centroids: Float64Array, k: number, d: number): [number, number] {
  let [bestC, bestD] = [0, Number.POSITIVE_INFINITY];
  for (let c = 0; c < k; c++) {
    const dist = sqDist(points, i, centroids, c, d);
    if (dist < bestD) [bestC, bestD] = [c, dist];
  }
  return [bestC, bestD];
}

function lloyd(points: Float64Array, n: number, d: number, centroids: Float64Array, k: number, iterations: number): KMeansFit {
  const labels = new Int32Array(n).fill(-1);
  const dists = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      const [c, dist] = nearest(points, i, centroids, k, d);
      dists[i] = dist;
      if (labels[i] !== c) [labels[i], changed] = [c, true];
    }
    if (!changed) break;
    const sums = new Float64Array(k * d);
    const sizes = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      sizes[labels[i]]++;
      for (let j = 0; j < d; j++) sums[labels[i] * d + j] += points[i * d + j];
    }
    for (let c = 0; c < k; c++) {
      if (sizes[c] === 0) {
        let far = 0;
        for (let i = 1; i < n; i++) if (dists[i] > dists[far]) far = i;
        dists[far] = -1;
        centroids.set(points.subarray(far * d, (far + 1) * d), c * d);
      } else for (let j = 0; j < d; j++) centroids[c * d + j] = sums[c * d + j] / sizes[c];
    }
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const [c, dist] = nearest(points, i, centroids, k, d);
    labels[i] = c;
    inertia += dist;
  }
  return { k, centroids, labels, inertia };
}

/** Greedy k-means++: each new centre is the best of a few draws ∝ squared distance to the nearest centre. */
function seedPlusPlus(points: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const centroids = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  let pick = rng.int(n);
  centroids.set(points.subarray(pick * d, (pick + 1) * d), 0);
  const closest = Float64Array.from({ length: n }, (_, i) => sqDist(points, i, centroids, 0, d));
  const candidate = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    const total = closest.reduce((s, v) => s + v, 0);
    let bestPot = Number.POSITIVE_INFINITY;
    let bestDist: Float64Array | null = null;
    for (let t = 0; t < trials; t++) {
      const draw = total === 0 ? rng.int(n) : drawWeighted(closest, total, rng);
      let pot = 0;
      for (let i = 0; i < n; i++) {
        candidate[i] = Math.min(closest[i], sqDist(points, i, points, draw, d));
        pot += candidate[i];
      }
      if (pot < bestPot) [bestPot, pick, bestDist] = [pot, draw, Float64Array.from(candidate)];
    }
    centroids.set(points.subarray(pick * d, (pick + 1) * d), c * d);
    closest.set(bestDist as Float64Array);
  }
  return centroids;
}

function drawWeighted(weights: Float64Array, total: number, rng: Rng): number {
  let u = rng.float() * total;
  let i = 0;
  while (i < weights.length - 1 && (u -= weights[i]) >= 0) i++;
  return i;
}
