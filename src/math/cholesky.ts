import { NumericError } from '../engine/errors.js';

/** Thrown by choleskyLower when a pivot is not clearly positive; `index` is the failing row. */
export class NotPositiveDefinite extends NumericError {
  readonly index: number;
  constructor(index: number) {
    super(`matrix is not positive definite at row ${index}`, { where: 'choleskyLower', got: index });
    this.name = 'NotPositiveDefinite';
    this.index = index;
  }
}

/**
 * The lower Cholesky factor L of a symmetric positive definite a [n, n] (a = L·Lᵀ), zeros above the
 * diagonal. A pivot below 1e-12 of its diagonal entry counts as a failure: the matrix is singular
 * to working precision and its inverse would be noise.
 */
export function choleskyLower(a: Float64Array, n: number): Float64Array {
  const l = choleskyLowerInPlace(Float64Array.from(a), n);
  for (let i = 0; i < n; i++) l.fill(0, i * n + i + 1, (i + 1) * n);
  return l;
}

/**
 * choleskyLower without a second matrix: overwrites the lower triangle and diagonal of a [n, n]
 * with L (the same values, bit for bit) and returns a; the part above the diagonal is left as it
 * was (a's upper triangle). It reads only a's lower triangle. On NotPositiveDefinite a is partly
 * overwritten.
 */
export function choleskyLowerInPlace(a: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    const ajj = a[rj + j];
    let d = ajj;
    for (let k = 0; k < j; k++) d -= a[rj + k] * a[rj + k];
    if (!(d > 1e-12 * Math.abs(ajj))) throw new NotPositiveDefinite(j);
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
      a[ri + j] = s / ljj;
    }
  }
  return a;
}
