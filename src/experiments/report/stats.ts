import { WidenError } from '../../engine/index.js';
import { studentTQuantile } from './student-t.js';

/** Mean of a sample with its Student-t confidence interval; `ci95` is the half-width (null below 2 values). */
export interface MeanCi {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 denominator); null for a single value. */
  sd: number | null;
  ci95: number | null;
  lo: number | null;
  hi: number | null;
}

/** Mean and two-sided 95% CI of `values` (Student t, n − 1 degrees of freedom); throws on an empty sample. */
export function meanCi(values: readonly number[]): MeanCi {
  const n = values.length;
  if (n === 0) throw new WidenError('usage', 'meanCi needs at least one value, got an empty sample', { where: 'meanCi' });
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n === 1) return { n, mean, sd: null, ci95: null, lo: null, hi: null };
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const ci95 = (studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, ci95, lo: mean - ci95, hi: mean + ci95 };
}

/** A paired difference a − b over the seeds both sides share, with its 95% CI. */
export interface PairedDifference extends MeanCi {
  /** The shared seeds, ascending. */
  seeds: number[];
}

/**
 * Mean of a[seed] − b[seed] over the seeds present in both maps, with the paired 95% CI; null
 * when they share no seed. Pairing removes the seed-to-seed spread both methods share (same data,
 * same warm-up), so the CI is usually much narrower than that of the difference of the means.
 */
export function pairedDifference(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): PairedDifference | null {
  const seeds = [...a.keys()].filter((s) => b.has(s)).sort((x, y) => x - y);
  if (seeds.length === 0) return null;
  return { ...meanCi(seeds.map((s) => a.get(s)! - b.get(s)!)), seeds };
}

/** Least-squares line y = intercept + slope·x and its coefficient of determination R². */
export interface LinearFit {
  n: number;
  intercept: number;
  slope: number;
  r2: number;
}

/** Ordinary least-squares fit of y on x; null with fewer than 2 points or when all x are equal. */
export function linearFit(x: readonly number[], y: readonly number[]): LinearFit | null {
  const n = Math.min(x.length, y.length);
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  // centred sums: stable when x or y sit far from 0
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
    syy += (y[i] - my) ** 2;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  // a flat y is fitted exactly by the flat line
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { n, intercept: my - slope * mx, slope, r2 };
}

/**
 * Equal-width bin edges spanning every value of every group, so the groups' histograms compare
 * bin by bin. The default count is Sturges' rule on the largest group, kept within 5..40.
 */
export function sharedBinEdges(groups: readonly (readonly number[])[], bins?: number): number[] {
  const all = groups.flat().filter(Number.isFinite);
  if (all.length === 0) return [];
  const largest = Math.max(...groups.map((g) => g.length));
  const count = bins ?? Math.min(40, Math.max(5, Math.ceil(Math.log2(largest) + 1)));
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  // a single repeated value still gets a bin of non-zero width around it
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  return Array.from({ length: count + 1 }, (_, i) => (i === count ? hi : lo + ((hi - lo) * i) / count));
}

/** Counts of `values` per bin of `edges` (NumPy's rule: bins are [a, b), the last is [a, b]); values outside are dropped. */
export function histogram(values: readonly number[], edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(Math.max(0, bins)).fill(0);
  for (const v of values) {
    if (!(v >= edges[0] && v <= edges[bins])) continue;
    // binary search for the last edge <= v
    let lo = 0;
    let hi = bins;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (edges[mid] <= v) lo = mid;
      else hi = mid;
    }
    counts[lo]++;
  }
  return counts;
}
