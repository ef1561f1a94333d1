import { NumericError, ShapeError } from '../engine/index.js';
import { inverseNormalCdf } from '../math/index.js';
import { checkCount, checkMatrix } from './check.js';

/** Φ⁻¹((i − 0.5)/N) for i = 1..N, ascending: the equal-count sample a standard normal is compared with. */
export function normalQuantiles(count: number): Float64Array {
  checkCount(count, 1, 'normalQuantiles count');
  const q = new Float64Array(count);
  for (let i = 0; i < count; i++) q[i] = inverseNormalCdf((i + 0.5) / count);
  return q;
}

/**
 * The values z-scored in float64 with the population standard deviation (ddof 0). Values that are
 * all equal have no shape: their z-scores are defined as all 0.
 */
export function zScores(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const z = Float64Array.from(values);
  let mean = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(z[i]))
      throw new NumericError(`value ${i} is ${z[i]}; z-scores need finite values`, { where: 'zScores', got: z[i] });
    mean += z[i];
    if (z[i] < min) min = z[i];
    if (z[i] > max) max = z[i];
  }
  if (min === max) return z.fill(0);
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (z[i] - mean) ** 2;
  const std = Math.sqrt(ss / n);
  for (let i = 0; i < n; i++) z[i] = (z[i] - mean) / std;
  return z;
}

/**
 * The 1-D Wasserstein-1 distance between the z-scored `values` and a standard normal, in the
 * equal-count sorted-sample form (1/N) Σ_i |z_(i) − Φ⁻¹((i − 0.5)/N)|; this equals
 * scipy.stats.wasserstein_distance(z, norm.ppf((i − 0.5)/N)). Constant values (all z = 0) give
 * the mean |quantile|, about √(2/π) ≈ 0.798 for large N. Pass `quantiles` (normalQuantiles(N)) to
 * reuse them over many units. Example: `wassersteinToNormal(activationsOfOneUnit)`.
 */
export function wassersteinToNormal(values: ArrayLike<number>, quantiles?: Float64Array): number {
  const n = values.length;
  checkCount(n, 1, 'wassersteinToNormal values.length');
  const q = quantiles ?? normalQuantiles(n);
  if (q.length !== n) {
    throw new ShapeError(`wassersteinToNormal got ${q.length} quantiles for ${n} values; pass normalQuantiles(${n})`, {
      where: 'wassersteinToNormal quantiles',
      got: q.length,
      allowed: String(n),
    });
  }
  const z = zScores(values).sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(z[i] - q[i]);
  return sum / n;
}

/** wassersteinToNormal of each unit of feature-major pre-activations `pre` [units, size] (row u = unit u over the set). */
export function unitWasserstein(pre: Float32Array, units: number, size: number): Float64Array {
  checkMatrix(pre, units, size, 'unitWasserstein pre');
  const q = normalQuantiles(size);
  const out = new Float64Array(units);
  for (let u = 0; u < units; u++) out[u] = wassersteinToNormal(pre.subarray(u * size, (u + 1) * size), q);
  return out;
}
