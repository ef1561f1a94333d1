import { symmetricEigen } from './symmetric-eigen.js';

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
 * eigendecomposition by Jacobi rotations, the `dim` leading eigenvectors. Each axis's sign is fixed
 * so its largest-|·| entry is positive (deterministic; scikit-learn's sign rule differs, the
 * subspace does not). Example: `fitPca(x, 512, 784, 24).components`.
 */
export function fitPca(x: Float32Array, size: number, d: number, dim: number): Pca {
  const mean = new Float64Array(d);
  for (let t = 0; t < size; t++) for (let j = 0; j < d; j++) mean[j] += x[t * d + j];
  for (let j = 0; j < d; j++) mean[j] /= size;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let t = 0; t < size; t++) {
    for (let j = 0; j < d; j++) row[j] = x[t * d + j] - mean[j];
    for (let i = 0; i < d; i++) {
      const ri = row[i];
      if (ri === 0) continue;
      for (let j = i; j < d; j++) cov[i * d + j] += ri * row[j];
    }
  }
  const scale = 1 / Math.max(1, size - 1);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      cov[i * d + j] *= scale;
      cov[j * d + i] = cov[i * d + j];
    }
  }
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
