import { choleskyLower, NotPositiveDefinite } from '../math/index.js';

/**
 * H = 2·XᵀX/n [in, in] in float64 from calibration inputs x [n, in]: the Hessian of the layer-wise
 * squared error ||WX − ŴX||²/n with respect to each row of Ŵ (SparseGPT's convention).
 */
export function calibrationHessian(x: Float32Array, n: number, inF: number): Float64Array {
  const h = new Float64Array(inF * inF);
  const row = new Float64Array(inF);
  for (let t = 0; t < n; t++) {
    for (let j = 0; j < inF; j++) row[j] = x[t * inF + j];
    // upper triangle only; ReLU inputs are often 0, so skip those rows of the outer product
    for (let i = 0; i < inF; i++) {
      const xi = row[i];
      if (xi === 0) continue;
      const base = i * inF;
      for (let j = i; j < inF; j++) h[base + j] += xi * row[j];
    }
  }
  const scale = 2 / n;
  for (let i = 0; i < inF; i++) {
    for (let j = i; j < inF; j++) {
      const v = h[i * inF + j] * scale;
      h[i * inF + j] = v;
      h[j * inF + i] = v;
    }
  }
  return h;
}

/**
 * The upper Cholesky factor U of H⁻¹ (H⁻¹ = UᵀU) for a symmetric positive definite h [n, n]:
 * row j of U holds the OBS update of the later columns when column j is fixed, and U_jj² is the
 * inverse Hessian diagonal of column j given the columns before it.
 *
 * One factorisation and one triangular inverse (about n³/2 multiply-adds, half of inverting H and
 * factoring the inverse): with J the index reversal, J·H·J = L·Lᵀ gives H = R·Rᵀ with R = J·L·J
 * upper triangular, so H⁻¹ = R⁻ᵀ·R⁻¹ and U = R⁻¹ (upper, positive diagonal: the unique factor).
 * A NotPositiveDefinite index names the row of h, not of the reversed matrix.
 */
export function inverseHessianFactor(h: Float64Array, n: number): Float64Array {
  const reversed = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) reversed[i * n + j] = h[(n - 1 - i) * n + (n - 1 - j)];
  let l: Float64Array;
  try {
    l = choleskyLower(reversed, n);
  } catch (err) {
    if (err instanceof NotPositiveDefinite) throw new NotPositiveDefinite(n - 1 - err.index);
    throw err;
  }
  // M = L⁻¹ (lower triangular) row by row: M[i, c] = −Σ_{c<=k<i} L[i, k]·M[k, c] / L[i, i]
  const m = new Float64Array(n * n);
  const acc = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    acc.fill(0, 0, i);
    for (let k = 0; k < i; k++) {
      const lik = l[i * n + k];
      if (lik === 0) continue;
      const rk = k * n;
      for (let c = 0; c <= k; c++) acc[c] += lik * m[rk + c];
    }
    const lii = l[i * n + i];
    for (let c = 0; c < i; c++) m[i * n + c] = -acc[c] / lii;
    m[i * n + i] = 1 / lii;
  }
  // U = R⁻¹ = J·M·J
  const u = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) u[i * n + j] = m[(n - 1 - i) * n + (n - 1 - j)];
  return u;
}
