import type { Rng } from '../engine/index.js';

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
  let best: { assign: Int32Array; inertia: number } | null = null;
  for (let run = 0; run < s.restarts; run++) {
    const result = kmeans(new Space(g, inF, s.distance === 'abs-cosine'), s.k, s.iterations, s.rng);
    if (best === null || result.inertia < best.inertia) best = result;
  }
  return relabel((best as { assign: Int32Array }).assign, s.k);
}

/** n unit points of dimension n ([n, n]) and their similarity: cos, or |cos| when axial. */
class Space {
  constructor(
    readonly points: Float64Array,
    readonly n: number,
    readonly axial: boolean,
  ) {}

  /** Signed cosine of point p with the unit vector at centres[c·n ..]. */
  cos(p: number, centres: Float64Array, c: number): number {
    let dot = 0;
    for (let d = 0; d < this.n; d++) dot += this.points[p * this.n + d] * centres[c * this.n + d];
    return dot;
  }

  similarity(p: number, centres: Float64Array, c: number): number {
    const cos = this.cos(p, centres, c);
    return this.axial ? Math.abs(cos) : cos;
  }
}

/** One k-means run; an emptied cluster restarts at the point least similar to its own centre. */
function kmeans(space: Space, k: number, iterations: number, rng: Rng): { assign: Int32Array; inertia: number } {
  const { points, n } = space;
  const centres = seedPlusPlus(space, k, rng); // [k, n], unit rows
  const assign = new Int32Array(n).fill(-1);
  const sims = new Float64Array(n);
  let inertia = 0;
  for (let it = 0; it < iterations; it++) {
    let changed = false;
    inertia = 0;
    for (let p = 0; p < n; p++) {
      let [best, bestSim] = [0, -Infinity];
      for (let c = 0; c < k; c++) {
        const sim = space.similarity(p, centres, c);
        if (sim > bestSim) [best, bestSim] = [c, sim];
      }
      sims[p] = bestSim;
      inertia += 1 - bestSim;
      if (assign[p] !== best) [assign[p], changed] = [best, true];
    }
    if (!changed) break;
    const next = new Float64Array(k * n);
    const sizes = new Int32Array(k);
    for (let p = 0; p < n; p++) {
      const c = assign[p];
      // axial: a member pointing away from its centre joins the mean negated
      const sign = space.axial && space.cos(p, centres, c) < 0 ? -1 : 1;
      sizes[c]++;
      for (let d = 0; d < n; d++) next[c * n + d] += sign * points[p * n + d];
    }
    for (let c = 0; c < k; c++) {
      if (sizes[c] === 0) {
        const p = argMin(sims);
        sims[p] = Infinity;
        next.set(points.subarray(p * n, (p + 1) * n), c * n);
      }
      normalise(next.subarray(c * n, (c + 1) * n));
    }
    centres.set(next);
  }
  return { assign, inertia };
}

/** k-means++: the first centre uniform, then each drawn with probability ∝ distance to the nearest centre. */
function seedPlusPlus(space: Space, k: number, rng: Rng): Float64Array {
  const { points, n } = space;
  const centres = new Float64Array(k * n);
  const dist = new Float64Array(n).fill(Infinity);
  let pick = rng.int(n);
  for (let c = 0; c < k; c++) {
    centres.set(points.subarray(pick * n, (pick + 1) * n), c * n);
    if (c === k - 1) break;
    let total = 0;
    for (let p = 0; p < n; p++) {
      dist[p] = Math.min(dist[p], Math.max(0, 1 - space.similarity(p, centres, c)));
      total += dist[p];
    }
    // every point already sits on a centre (duplicated features): any point will do
    if (total === 0) pick = rng.int(n);
    else {
      let u = rng.float() * total;
      pick = 0;
      while (pick < n - 1 && (u -= dist[pick]) >= 0) pick++;
    }
  }
  return centres;
}

function argMin(a: Float64Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] < a[best]) best = i;
  return best;
}

/** Renumbers clusters by their lowest member, so equal partitions get equal labels. */
function relabel(assign: Int32Array, k: number): Int32Array {
  const map = new Int32Array(k).fill(-1);
  let next = 0;
  return assign.map((c) => (map[c] >= 0 ? map[c] : (map[c] = next++)));
}

function normalise(v: Float64Array): void {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  if (s === 0) return;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i] *= inv;
}
