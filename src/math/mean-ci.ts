import { WidenError } from '../engine/errors.js';
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
