import { DataError } from '../engine/index.js';
import type { Dataset } from '../nn/index.js';

/** Standardisation modes: none, a z-score per feature, or one mean and std over all feature values. */
export const STANDARDIZE_MODES = ['none', 'per-feature', 'global'] as const;
/** One of STANDARDIZE_MODES. */
export type StandardizeMode = (typeof STANDARDIZE_MODES)[number];

/** Fitted standardisation: `x' = (x - mean) / std`, with one entry per feature ('per-feature'), one ('global') or none. */
export interface Standardizer {
  mode: StandardizeMode;
  mean: Float64Array;
  std: Float64Array;
}

/**
 * Divides 8-bit pixel values by 255, in place, so they lie in [0, 1]. A value outside [0, 255]
 * means the data is not 8-bit pixels (or was scaled already): DataError naming `source`.
 */
export function scalePixels(data: Required<Dataset<Int32Array>>, source: string): Required<Dataset<Int32Array>> {
  const { x } = data;
  for (let i = 0; i < x.length; i++) {
    if (x[i] < 0 || x[i] > 255)
      throw new DataError(
        `${source}: value ${x[i]} at sample ${Math.floor(i / data.features)} is not an 8-bit pixel; pixel scaling needs [0, 255]`,
        {
          where: source,
          got: x[i],
        },
      );
    x[i] /= 255;
  }
  return data;
}

/**
 * Fits standardisation statistics on `train` only (so nothing leaks from validation or test).
 * A feature with zero spread (e.g. an always-black border pixel) gets std 1: it is centred, not blown up.
 */
export function fitStandardizer(train: Required<Dataset<Int32Array>>, mode: StandardizeMode): Standardizer {
  if (mode === 'none') return { mode, mean: new Float64Array(0), std: new Float64Array(0) };
  const groups = mode === 'per-feature' ? train.features : 1;
  const mean = new Float64Array(groups);
  const sq = new Float64Array(groups);
  const { x } = train;
  // float64 sums: 60000 x 784 float32 additions would lose digits
  for (let i = 0; i < x.length; i++) mean[i % groups] += x[i];
  const perGroup = x.length / groups;
  for (let g = 0; g < groups; g++) mean[g] /= perGroup;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - mean[i % groups];
    sq[i % groups] += d * d;
  }
  const std = sq.map((s) => Math.sqrt(s / perGroup) || 1);
  return { mode, mean, std };
}

/** Applies fitted statistics to `data` in place and returns it; the feature count must match the fit. */
export function applyStandardizer(data: Required<Dataset<Int32Array>>, s: Standardizer): Required<Dataset<Int32Array>> {
  if (s.mode === 'none') return data;
  const groups = s.mean.length;
  if (s.mode === 'per-feature' && groups !== data.features)
    throw new DataError(`standardizer was fitted on ${groups} features but the data has ${data.features}`, {
      got: data.features,
      allowed: String(groups),
    });
  const { x } = data;
  for (let i = 0; i < x.length; i++) x[i] = (x[i] - s.mean[i % groups]) / s.std[i % groups];
  return data;
}
