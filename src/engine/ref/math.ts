/** erf(x) in double precision: Taylor series near 0, 1 - erfc(x) in the tails. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax >= 2.5) return x < 0 ? erfc(ax) - 1 : 1 - erfc(ax);
  // erf(x) = 2/√π Σ (-1)^k x^(2k+1) / (k! (2k+1))
  let term = ax;
  let sum = ax;
  const x2 = ax * ax;
  for (let k = 1; k < 100; k++) {
    term *= -x2 / k;
    const add = term / (2 * k + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  const r = (2 / Math.sqrt(Math.PI)) * sum;
  return x < 0 ? -r : r;
}

/** erfc(x) = 1 - erf(x) without cancellation for large x: a continued fraction for x >= 2.5. */
export function erfc(x: number): number {
  if (x < 2.5) return 1 - erf(x);
  if (x > 27) return 0; // below the smallest double
  // erfc(x) = exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) by modified Lentz
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

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
