// The standard normal distribution in float64: erfc, the CDF and its inverse, each to ~1e-15
// relative. JavaScript has no erf, so erfc is computed here from two series that are each
// accurate where they are used (checked against SciPy in test/math/normal.test.ts).

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);
// Below it the erf series and 1 − erf are accurate (erfc > 0.08); above it the continued fraction
// converges in < 130 terms.
const SERIES_LIMIT = 1.25;

/** The complementary error function erfc(x) = 1 − erf(x), to ~1e-15 relative for every x. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < SERIES_LIMIT) return 1 - erfSeries(x);
  if (x > 27) return 0; // erfc(27) < 1e-318 underflows
  return erfcContinuedFraction(x);
}

/** The error function erf(x), to ~1e-15: the positive-term series near 0, 1 − erfc(x) beyond. */
export function erf(x: number): number {
  if (x < 0) return -erf(-x);
  return x < SERIES_LIMIT ? erfSeries(x) : 1 - erfc(x);
}

/** Φ(x), the standard normal CDF, to ~1e-15 relative (also deep in the lower tail). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

// Acklam's rational approximations of Φ⁻¹ (relative error < 1.15e-9), central and tail regions.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/**
 * Φ⁻¹(p), the standard normal quantile, to ~1e-15 relative: Acklam's approximation refined by one
 * Halley step on Φ(x) − p. Returns -Infinity at 0, +Infinity at 1 and NaN outside [0, 1].
 * Example: `inverseNormalCdf(0.975)` ≈ 1.959963984540054.
 */
export function inverseNormalCdf(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  // 1 − p is exact for p >= 0.5 (Sterbenz), so the upper half mirrors the lower without loss
  if (p > 0.5) return -lowerQuantile(1 - p);
  return lowerQuantile(p);
}

/** Φ⁻¹(p) for p in (0, 0.5]: x <= 0, where Φ(x) = erfc(|x|/√2)/2 keeps full relative accuracy. */
function lowerQuantile(p: number): number {
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
      (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  }
  // Halley: with e = Φ(x) − p and u = e/φ(x), x ← x − u/(1 + x·u/2); cubic convergence takes
  // 1e-9 to below float64 resolution in one step. Near p = 1/2, e is formed as (1/2 − p) − erf(t)/2
  // (1/2 − p is exact there) so that it stays accurate relative to a tiny x.
  const t = -x / Math.SQRT2;
  const e = t < SERIES_LIMIT ? 0.5 - p - 0.5 * erfSeries(t) : normalCdf(x) - p;
  const u = e * SQRT_2PI * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** erf(x) = 2/√π · e^(−x²) · Σ_n (2x²)^n·x / (1·3·…·(2n+1)): all terms positive, so no cancellation. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; term > sum * 1e-17; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
  }
  return (2 / SQRT_PI) * Math.exp(-x2) * sum;
}

/** erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), by the modified Lentz method. */
function erfcContinuedFraction(x: number): number {
  // every partial numerator and x are positive, so c and d never vanish
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    c = x + a / c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}
