import { symmetricEigen } from './symmetric-eigen.js';

/** Samples per block of the covariance sum: a block's centred features, CHUNK float64s each, stay in cache. */
const CHUNK = 256;

/** A fitted PCA: project x to (x − mean)·componentsᵀ. */
export interface Pca {
  /** Input width d. */
  inFeatures: number;
  /** Components kept, k <= d. */
  dim: number;
  /** [d] feature means of the fitted samples. */
  mean: Float64Array;
  /** [k, d] row-major unit principal axes, by decreasing variance. */
  components: Float64Array;
  /** [k] variance along each axis (ddof 1, scikit-learn's explained_variance_). */
  explainedVariance: Float64Array;
}

/**
 * PCA of x [size, d] to `dim` components: the sample covariance in float64 (ddof 1), its
 * eigendecomposition (symmetricEigen), the `dim` leading eigenvectors. Each axis's sign is fixed
 * so its largest-|·| entry is positive (deterministic; scikit-learn's sign rule differs, the
 * subspace does not). Example: `fitPca(x, 512, 784, 24).components`.
 */
export function fitPca(x: Float32Array, size: number, d: number, dim: number): Pca {
  const mean = new Float64Array(d);
  for (let t = 0; t < size; t++) for (let j = 0; j < d; j++) mean[j] += x[t * d + j];
  for (let j = 0; j < d; j++) mean[j] /= size;
  const cov = covariance(x, size, d, mean);
  const { values, vectors } = symmetricEigen(cov, d);
  const components = vectors.slice(0, dim * d);
  for (let c = 0; c < dim; c++) {
    const axis = components.subarray(c * d, (c + 1) * d);
    let big = 0;
    for (let j = 1; j < d; j++) if (Math.abs(axis[j]) > Math.abs(axis[big])) big = j;
    if (axis[big] < 0) for (let j = 0; j < d; j++) axis[j] = -axis[j];
  }
  // rounding can leave a null direction slightly negative; a variance is never below 0
  const explainedVariance = Float64Array.from(values.subarray(0, dim), (v) => Math.max(0, v));
  return { inFeatures: d, dim, mean, components, explainedVariance };
}

/**
 * The sample covariance (x − mean)ᵀ(x − mean) / (size − 1) [d, d] in float64. Blocks of CHUNK
 * samples are centred and transposed to feature rows xt [dp, CHUNK] (zero rows pad d to dp, a
 * multiple of 4), and each 2×4 tile of the lower triangle sums 8 dot products over the block in one
 * pass: 6 loads per 8 multiply-adds, with 8 independent sums.
 */
function covariance(x: Float32Array, size: number, d: number, mean: Float64Array): Float64Array {
  const dp = Math.ceil(d / 4) * 4;
  const sums = new Float64Array(dp * dp);
  const xt = new Float64Array(dp * CHUNK);
  for (let t0 = 0; t0 < size; t0 += CHUNK) {
    const len = Math.min(CHUNK, size - t0);
    for (let t = 0; t < len; t++) {
      const src = (t0 + t) * d;
      for (let j = 0; j < d; j++) xt[j * CHUNK + t] = x[src + j] - mean[j];
    }
    for (let i = 0; i < dp; i += 2) {
      const a0 = i * CHUNK;
      const a1 = a0 + CHUNK;
      // tiles with j <= i + 1 cover the lower triangle; their entries above the diagonal are ignored
      for (let j = 0; j <= i + 1; j += 4) {
        const b0 = j * CHUNK;
        const b1 = b0 + CHUNK;
        const b2 = b1 + CHUNK;
        const b3 = b2 + CHUNK;
        let s00 = 0;
        let s01 = 0;
        let s02 = 0;
        let s03 = 0;
        let s10 = 0;
        let s11 = 0;
        let s12 = 0;
        let s13 = 0;
        for (let t = 0; t < len; t++) {
          const x0 = xt[a0 + t];
          const x1 = xt[a1 + t];
          const y0 = xt[b0 + t];
          const y1 = xt[b1 + t];
          const y2 = xt[b2 + t];
          const y3 = xt[b3 + t];
          s00 += x0 * y0;
          s01 += x0 * y1;
          s02 += x0 * y2;
          s03 += x0 * y3;
          s10 += x1 * y0;
          s11 += x1 * y1;
          s12 += x1 * y2;
          s13 += x1 * y3;
        }
        const r0 = i * dp + j;
        const r1 = r0 + dp;
        sums[r0] += s00;
        sums[r0 + 1] += s01;
        sums[r0 + 2] += s02;
        sums[r0 + 3] += s03;
        sums[r1] += s10;
        sums[r1 + 1] += s11;
        sums[r1 + 2] += s12;
        sums[r1 + 3] += s13;
      }
    }
  }
  const scale = 1 / Math.max(1, size - 1);
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) cov[i * d + j] = cov[j * d + i] = sums[i * dp + j] * scale;
  }
  return cov;
}
