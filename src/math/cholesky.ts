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
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j];
    for (let k = 0; k < j; k++) d -= l[rj + k] * l[rj + k];
    if (!(d > 1e-12 * Math.abs(a[rj + j]))) throw new NotPositiveDefinite(j);
    const ljj = Math.sqrt(d);
    l[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= l[ri + k] * l[rj + k];
      l[ri + j] = s / ljj;
    }
  }
  return l;
}
