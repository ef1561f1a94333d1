import { erfc } from '../../math/normal.js';

/** Exact GELU: x·Φ(x), with Φ(x) = erfc(-x/√2)/2 so that the negative tail does not cancel. */
export function gelu(x: number): number {
  return 0.5 * x * erfc(-x / Math.SQRT2);
}

/** d/dx of the exact GELU: Φ(x) + x·φ(x). */
export function geluGrad(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
}

/** Logistic sigmoid, computed without overflow for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + exp(x)) without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
