import { Rng } from '../engine/rng.js';

/**
 * How fitKMeans compares a point with a centre. 'euclidean' is scikit-learn's KMeans (squared
 * distance, mean centres); 'cosine' and 'axial' are spherical k-means on unit points (1 − cos,
 * and 1 − |cos| where a point and its negation are the same: members join their centre's mean
 * sign-aligned), as spec §3's 'gram' split defines them.
 */
export type KMeansMetric = 'euclidean' | 'cosine' | 'axial';

/**
 * Settings of fitKMeans: clusters k, metric ['euclidean'], k-means++ restarts [10], Lloyd
 * iterations per restart [300], and the random source: `rng`, which all restarts draw from in
 * turn, or else `seed` [0], where restart r draws from its own Rng(seed).fork(r).
 */
export interface KMeansOptions {
  k: number;
  metric?: KMeansMetric;
  restarts?: number;
  iterations?: number;
  seed?: number;
  rng?: Rng;
}

/** A k-means fit: centres [k, d] row-major, each point's centre, and the inertia. */
export interface KMeansFit {
  k: number;
  centroids: Float64Array;
  labels: Int32Array;
  /** Σ over points of their distance to their centre (squared for 'euclidean'). */
  inertia: number;
}

/**
 * One metric's rules. A score orders centres (lower is nearer); it is −cos rather than 1 − cos for
 * the spherical metrics, since negation is exact and so keeps every comparison and tie of cos.
 */
interface Metric {
  score(a: Float64Array, i: number, b: Float64Array, c: number, d: number): number;
  /** A point's contribution to the inertia, from its best score. */
  distance(score: number): number;
  /** k-means++ candidates per centre: 1 is plain k-means++; more is the greedy variant. */
  candidates(k: number): number;
  /** Centre c from the sum of its members (`sign` flips a member before it is added). */
  sign(points: Float64Array, p: number, centres: Float64Array, c: number, d: number): number;
  finish(sum: Float64Array, size: number): void;
  /** Labels and inertia from the final centres (true), or from the last assignment pass (false). */
  reassign: boolean;
}

const EUCLIDEAN: Metric = {
  score: sqDist,
  distance: (s) => s,
  // 2 + ⌊ln k⌋ candidates, the one lowering the potential most wins, as scikit-learn does
  candidates: (k) => 2 + Math.floor(Math.log(k)),
  sign: () => 1,
  finish(sum, size) {
    for (let j = 0; j < sum.length; j++) sum[j] /= size;
  },
  reassign: true,
};

const COSINE: Metric = {
  score: (a, i, b, c, d) => -dot(a, i, b, c, d),
  distance: (s) => 1 + s,
  candidates: () => 1,
  sign: () => 1,
  finish: (sum) => normalise(sum),
  reassign: false,
};

const AXIAL: Metric = {
  ...COSINE,
  score: (a, i, b, c, d) => -Math.abs(dot(a, i, b, c, d)),
  // a member pointing away from its centre joins the mean negated
  sign: (points, p, centres, c, d) => (dot(points, p, centres, c, d) < 0 ? -1 : 1),
};

const METRICS: Record<KMeansMetric, Metric> = { euclidean: EUCLIDEAN, cosine: COSINE, axial: AXIAL };

/**
 * k-means of points [n, d]: `restarts` runs, each from a k-means++ seeding, then Lloyd iterations
 * until no label changes; an emptied cluster restarts at the point farthest from its centre. The
 * run of lowest inertia wins (the first on a tie); nearest centres tie to the lower index.
 * 'euclidean' seeds greedily (2 + ⌊ln k⌋ draws ∝ squared distance per centre, the best kept) and
 * labels by the final centres, as scikit-learn does; 'cosine' and 'axial' expect unit points,
 * seed plainly (one draw ∝ 1 − cos per centre), renormalise each centre and keep the labels of
 * the last assignment pass. Needs 1 <= k <= n (checked by the caller).
 * Example: `fitKMeans(points, 500, 24, { k: 4 }).labels`.
 */
export function fitKMeans(points: Float64Array, n: number, d: number, options: KMeansOptions): KMeansFit {
  const { k, metric = 'euclidean', restarts = 10, iterations = 300, seed = 0, rng } = options;
  const m = METRICS[metric];
  const root = rng ?? new Rng(seed);
  let best: KMeansFit | null = null;
  for (let run = 0; run < restarts; run++) {
    const centres = seedPlusPlus(m, points, n, d, k, rng ?? root.fork(run));
    const fit = lloyd(m, points, n, d, centres, k, iterations);
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
  return best(EUCLIDEAN, points, i, centroids, k, d);
}

/** The centre of lowest score for point i, and that score (ties to the lower index). */
function best(m: Metric, points: Float64Array, i: number, centres: Float64Array, k: number, d: number): [number, number] {
  let [bestC, bestS] = [0, Number.POSITIVE_INFINITY];
  for (let c = 0; c < k; c++) {
    const s = m.score(points, i, centres, c, d);
    if (s < bestS) [bestC, bestS] = [c, s];
  }
  return [bestC, bestS];
}

function lloyd(m: Metric, points: Float64Array, n: number, d: number, centres: Float64Array, k: number, iterations: number): KMeansFit {
  const labels = new Int32Array(n).fill(-1);
  const scores = new Float64Array(n);
  let inertia = 0;
  for (let it = 0; it < iterations; it++) {
    let changed = false;
    inertia = 0;
    for (let i = 0; i < n; i++) {
      const [c, s] = best(m, points, i, centres, k, d);
      scores[i] = s;
      inertia += m.distance(s);
      if (labels[i] !== c) [labels[i], changed] = [c, true];
    }
    if (!changed) break;
    const sums = new Float64Array(k * d);
    const sizes = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      const sign = m.sign(points, i, centres, c, d);
      sizes[c]++;
      for (let j = 0; j < d; j++) sums[c * d + j] += sign * points[i * d + j];
    }
    for (let c = 0; c < k; c++) {
      const row = sums.subarray(c * d, (c + 1) * d);
      if (sizes[c] === 0) {
        // the farthest point (highest score, the first on a tie) not yet taken by an emptied cluster
        let far = 0;
        for (let i = 1; i < n; i++) if (scores[i] > scores[far]) far = i;
        scores[far] = Number.NEGATIVE_INFINITY;
        row.set(points.subarray(far * d, (far + 1) * d));
        if (!m.reassign) m.finish(row, 1);
      } else m.finish(row, sizes[c]);
    }
    centres.set(sums);
  }
  if (m.reassign) {
    inertia = 0;
    for (let i = 0; i < n; i++) {
      const [c, s] = best(m, points, i, centres, k, d);
      labels[i] = c;
      inertia += m.distance(s);
    }
  }
  return { k, centroids: centres, labels, inertia };
}

/** k-means++: the first centre uniform, each next one drawn ∝ distance to the nearest centre so far. */
function seedPlusPlus(m: Metric, points: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const centres = new Float64Array(k * d);
  const trials = m.candidates(k);
  // distance of point i to point p as k-means++ weighs it: never below 0 (rounding can make 1 − cos < 0)
  const weight = (i: number, p: number): number => Math.max(0, m.distance(m.score(points, i, points, p, d)));
  let pick = rng.int(n);
  centres.set(points.subarray(pick * d, (pick + 1) * d), 0);
  const closest = Float64Array.from({ length: n }, (_, i) => weight(i, pick));
  const candidate = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    const total = closest.reduce((s, v) => s + v, 0);
    if (trials === 1) {
      pick = total === 0 ? rng.int(n) : drawWeighted(closest, total, rng);
      for (let i = 0; i < n; i++) closest[i] = Math.min(closest[i], weight(i, pick));
    } else {
      let bestPot = Number.POSITIVE_INFINITY;
      let bestDist: Float64Array | null = null;
      for (let t = 0; t < trials; t++) {
        const draw = total === 0 ? rng.int(n) : drawWeighted(closest, total, rng);
        let pot = 0;
        for (let i = 0; i < n; i++) {
          candidate[i] = Math.min(closest[i], weight(i, draw));
          pot += candidate[i];
        }
        if (pot < bestPot) [bestPot, pick, bestDist] = [pot, draw, Float64Array.from(candidate)];
      }
      closest.set(bestDist as Float64Array);
    }
    centres.set(points.subarray(pick * d, (pick + 1) * d), c * d);
  }
  return centres;
}

function drawWeighted(weights: Float64Array, total: number, rng: Rng): number {
  let u = rng.float() * total;
  let i = 0;
  while (i < weights.length - 1 && (u -= weights[i]) >= 0) i++;
  return i;
}

function dot(a: Float64Array, i: number, b: Float64Array, c: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += a[i * d + j] * b[c * d + j];
  return s;
}

/** Scales `v` in place to unit L2 norm (a zero vector stays zero). */
export function normalise(v: Float64Array): void {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  if (s === 0) return;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i] *= inv;
}
