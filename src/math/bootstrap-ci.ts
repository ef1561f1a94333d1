import { WidenError } from '../engine/errors.js';
import { Rng } from '../engine/rng.js';
import type { MeanCi } from './mean-ci.js';

/** Resamples and seed of bootstrapMeanCi: fixed, so that a report is the same on every run. */
export const BOOTSTRAP = { resamples: 10_000, seed: 0x5eed } as const;

/**
 * Mean of `values` with a seeded percentile-bootstrap 95% interval: the 2.5% and 97.5% quantiles
 * (linear interpolation, NumPy's default) of the means of `resamples` resamples with replacement.
 * Every resampled mean lies in [min, max] of the values, so the interval of accuracies never
 * leaves [0, 1], unlike mean ± t·sd/√n. `ci95` is null (the interval need not be symmetric); lo
 * and hi are null below 2 values. Deterministic for a given `seed`. Example: `bootstrapMeanCi([0.97, 1, 1])`.
 */
export function bootstrapMeanCi(values: readonly number[], options: { resamples?: number; seed?: number } = {}): MeanCi {
  const n = values.length;
  if (n === 0) throw new WidenError('usage', 'bootstrapMeanCi needs at least one value, got an empty sample', { where: 'bootstrapMeanCi' });
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n === 1) return { n, mean, sd: null, ci95: null, lo: null, hi: null };
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const resamples = options.resamples ?? BOOTSTRAP.resamples;
  const rng = new Rng(options.seed ?? BOOTSTRAP.seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[rng.int(n)];
    means[b] = s / n;
  }
  means.sort();
  // a resampled mean can pass the max (or min) by an ulp of rounding; the interval cannot
  const [min, max] = [Math.min(...values), Math.max(...values)];
  const clamp = (v: number) => Math.min(max, Math.max(min, v));
  return { n, mean, sd, ci95: null, lo: clamp(quantile(means, 0.025)), hi: clamp(quantile(means, 0.975)) };
}

// the q-quantile of sorted values, interpolating between the two nearest ranks (NumPy's "linear")
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const i = Math.floor(h);
  return i + 1 < sorted.length ? sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}
