import { ConfigError } from '../engine/errors.js';

// Lanczos approximation of Γ with g = 7 and 9 terms: ~1e-15 relative on x >= 0.5, which is all
// the t distribution needs (its shape parameters are df/2 >= 0.5 and 1/2).
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

// ln Γ(x) for x >= 0.5.
function logGamma(x: number): number {
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

// Continued fraction of the incomplete beta function, evaluated with the modified Lentz method;
// it converges fast for x < (a + 1) / (a + b + 2), and the caller uses the symmetry otherwise.
function betaFraction(a: number, b: number, x: number): number {
  const TINY = 1e-300;
  const clamp = (v: number): number => (Math.abs(v) < TINY ? TINY : v);
  let c = 1;
  let d = 1 / clamp(1 - ((a + b) * x) / (a + 1));
  let h = d;
  for (let m = 1; m <= 1000; m++) {
    // even step: d_{2m} = m (b − m) x / ((a + 2m − 1)(a + 2m))
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 / clamp(1 + even * d);
    c = clamp(1 + even / c);
    h *= d * c;
    // odd step: d_{2m+1} = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1))
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 / clamp(1 + odd * d);
    c = clamp(1 + odd / c);
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b), for x in [0, 1] and a, b > 0. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - (logGamma(a) + logGamma(b) - logGamma(a + b));
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaFraction(a, b, x)) / a;
  return 1 - (Math.exp(logFront) * betaFraction(b, a, 1 - x)) / b;
}

// P(T > t) for Student's t with `df` degrees of freedom and t >= 0.
function studentTUpperTail(t: number, df: number): number {
  return 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

// Density of Student's t with `df` degrees of freedom at t.
function studentTDensity(t: number, df: number): number {
  const logNorm = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * The p-quantile of Student's t with `df` degrees of freedom (SciPy's `t.ppf(p, df)`), e.g.
 * `studentTQuantile(0.975, 9)` = 2.2621571627...; matches SciPy to ~1e-12 relative.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new ConfigError(`t quantile needs 0 < p < 1, got ${p}`, { where: 'studentTQuantile', got: p });
  if (!(df > 0)) throw new ConfigError(`t quantile needs df > 0, got ${df}`, { where: 'studentTQuantile', got: df });
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  const q = 1 - p;
  // Newton on the upper tail from t = 0: the tail is convex and decreasing on t >= 0, so every
  // iterate stays left of the root and the steps shrink monotonically (no bracketing needed).
  let t = 0;
  for (let i = 0; i < 2000; i++) {
    const step = (studentTUpperTail(t, df) - q) / studentTDensity(t, df);
    t += step;
    if (!(step > 1e-15 * t)) break;
  }
  return t;
}
