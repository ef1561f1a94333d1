import { choleskyLowerInPlace, NotPositiveDefinite } from '../math/index.js';

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
 * inverse Hessian diagonal of column j given the columns before it. h is left unchanged (it is
 * copied; inverseHessianFactorInPlace needs no second matrix).
 */
export function inverseHessianFactor(h: Float64Array, n: number): Float64Array {
  return inverseHessianFactorInPlace(Float64Array.from(h), n);
}

/**
 * inverseHessianFactor in the one [n, n] buffer h: overwrites h with U (zeros below the diagonal)
 * and returns it, so SparseGPT holds a single n² float64 matrix (0.97 GB at n = 11008) instead of
 * five. On NotPositiveDefinite h is partly overwritten.
 *
 * One factorisation and one triangular inverse (about n³/2 multiply-adds, half of inverting H and
 * factoring the inverse): with J the index reversal, J·H·J = L·Lᵀ gives H = R·Rᵀ with R = J·L·J
 * upper triangular, so H⁻¹ = R⁻ᵀ·R⁻¹ and U = R⁻¹ (upper, positive diagonal: the unique factor).
 * In place: J·H·J is h rotated by 180° (entry k swaps with n² − 1 − k); L and then M = L⁻¹
 * overwrite its lower triangle (row i of M needs row i of L and the rows of M above it only); a
 * second rotation moves J·M·J to the upper triangle. A NotPositiveDefinite index names the row of
 * h, not of the reversed matrix.
 */
export function inverseHessianFactorInPlace(h: Float64Array, n: number): Float64Array {
  rotateHalfTurn(h, n);
  try {
    choleskyLowerInPlace(h, n);
  } catch (err) {
    if (err instanceof NotPositiveDefinite) throw new NotPositiveDefinite(n - 1 - err.index);
    throw err;
  }
  // M = L⁻¹ (lower triangular) row by row over L: M[i, c] = −Σ_{c<=k<i} L[i, k]·M[k, c] / L[i, i]
  const acc = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    acc.fill(0, 0, i);
    for (let k = 0; k < i; k++) {
      const lik = h[ri + k];
      if (lik === 0) continue;
      const rk = k * n;
      for (let c = 0; c <= k; c++) acc[c] += lik * h[rk + c];
    }
    const lii = h[ri + i];
    for (let c = 0; c < i; c++) h[ri + c] = -acc[c] / lii;
    h[ri + i] = 1 / lii;
  }
  // U = R⁻¹ = J·M·J: M's lower triangle rotates onto the upper one; clear what lands below it
  rotateHalfTurn(h, n);
  for (let i = 1; i < n; i++) h.fill(0, i * n, i * n + i);
  return h;
}

/** a [n, n] ← J·a·J in place (a[i, j] ↔ a[n−1−i, n−1−j]: the flat array reversed). */
function rotateHalfTurn(a: Float64Array, n: number): void {
  const last = n * n - 1;
  for (let k = 0, m = last; k < m; k++, m--) {
    const t = a[k];
    a[k] = a[m];
    a[m] = t;
  }
}
