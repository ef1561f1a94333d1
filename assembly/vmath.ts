// Math helpers without lookup tables (the module must hold no static data): f32x4 exp, erfc and
// sigmoid for the element-wise kernels, scalar f64 exp/log/log1p for the losses.

/** f32x4 math, as static methods because AssemblyScript inlines those on request (@inline); calls would spill every vector register. */
// biome-ignore lint/complexity/noStaticOnlyClass: AssemblyScript inlines static methods on request (@inline), free functions it cannot
export class V {
  /** e^x in four f32 lanes (Cephes-style: 2^n · poly(r), |r| <= ln2/2), about 1 ulp; 0 below -87.3. */
  @inline static exp(x: v128): v128 {
    const lo = f32x4.splat(-87.33654);
    const xc = f32x4.pmin(f32x4.pmax(x, lo), f32x4.splat(88.37626)); // pmin/pmax: one instruction each, NaN kept
    // n = round(x/ln2) by the 1.5·2^23 trick: the integer lands in the low mantissa bits of t
    const magic = f32x4.splat(12582912);
    const t = f32x4.add(f32x4.mul(xc, f32x4.splat(f32(Math.LOG2E))), magic);
    const n = f32x4.sub(t, magic);
    // r = x - n·ln2 with ln2 split in two so that n·ln2_hi is exact
    let r = f32x4.sub(xc, f32x4.mul(n, f32x4.splat(0.693359375)));
    r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.1219444e-4)));
    let p = f32x4.splat(1.98756915e-4);
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
    p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
    // 2^n through the exponent bits: (n + 127) << 23, n in [-126, 127] after the clamp
    const scale = i32x4.shl(i32x4.sub(t, i32x4.splat(0x4b400000 - 127)), 23);
    const e = f32x4.mul(p, scale);
    // below the clamp the true value is a subnormal or 0: flush to 0 (NaN compares false and passes through)
    return v128.andnot(e, f32x4.lt(x, lo));
  }

  /**
   * erfc(z) for z >= 0 in four f32 lanes, relative error about 2e-7: the Chebyshev fit
   * erfc(z) ≈ t·exp(-z² + P(t)), t = 1/(1 + z/2), of Press et al., Numerical Recipes §6.2.
   */
  @inline static erfc(z: v128): v128 {
    const t = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), f32x4.mul(z, f32x4.splat(0.5))));
    let p = f32x4.splat(0.17087277);
    p = f32x4.add(f32x4.mul(p, t), f32x4.splat(-0.82215223));
    p = f32x4.add(f32x4.mul(p, t), f32x4.splat(1.48851587));
    p = f32x4.add(f32x4.mul(p, t), f32x4.splat(-1.13520398));
    p = f32x4.add(f32x4.mul(p, t), f32x4.splat(0.27886807));
    p = f32x4.add(f32x4.mul(p, t), f32x4.splat(-0.18628806));
    p = f32x4.add(f32x4.mul(p, t), f32x4.splat(0.09678418));
    p = f32x4.add(f32x4.mul(p, t), f32x4.splat(0.37409196));
    p = f32x4.add(f32x4.mul(p, t), f32x4.splat(1.00002368));
    p = f32x4.add(f32x4.mul(p, t), f32x4.splat(-1.26551223));
    return f32x4.mul(t, V.exp(f32x4.sub(p, f32x4.mul(z, z))));
  }

  /** Φ(x), the standard normal CDF, in four f32 lanes: erfc-based on both sides, so tails keep relative accuracy. */
  @inline static normcdf(x: v128): v128 {
    const half = f32x4.mul(V.erfc(f32x4.mul(f32x4.abs(x), f32x4.splat(f32(Math.SQRT1_2)))), f32x4.splat(0.5));
    return v128.bitselect(f32x4.sub(f32x4.splat(1), half), half, f32x4.ge(x, f32x4.splat(0)));
  }

  /** Logistic sigmoid in four f32 lanes: 1/(1+e) or e/(1+e) with e = exp(-|x|), so nothing overflows. */
  @inline static sigmoid(x: v128): v128 {
    const e = V.exp(f32x4.neg(f32x4.abs(x)));
    const one = f32x4.splat(1);
    return f32x4.div(v128.bitselect(one, e, f32x4.ge(x, f32x4.splat(0))), f32x4.add(one, e));
  }
}

const LN2_HI: f64 = 0.6931471803691238;
const LN2_LO: f64 = 1.9082149292705877e-10;

/** 2^k for k in [-1022, 1023], built from exponent bits. */
function pow2(k: i32): f64 {
  return reinterpret<f64>(i64(k + 1023) << 52);
}

/** e^x in f64 to about 1e-15 relative: 2^k · e^r with the degree-13 Taylor polynomial on |r| <= ln2/2. */
export function exp64(x: f64): f64 {
  if (!(x <= 709.782712893384)) return x > 0 ? Infinity : x; // overflow, or NaN passed through
  if (x < -745.1332191019412) return 0;
  const k = nearest(x * Math.LOG2E);
  const r = x - k * LN2_HI - k * LN2_LO;
  // Σ r^j/j! for j <= 13 in Horner form
  let p = r * (1.0 / 6227020800) + 1.0 / 479001600;
  p = p * r + 1.0 / 39916800;
  p = p * r + 1.0 / 3628800;
  p = p * r + 1.0 / 362880;
  p = p * r + 1.0 / 40320;
  p = p * r + 1.0 / 5040;
  p = p * r + 1.0 / 720;
  p = p * r + 1.0 / 120;
  p = p * r + 1.0 / 24;
  p = p * r + 1.0 / 6;
  p = p * r + 0.5;
  p = p * r + 1;
  p = p * r + 1;
  // split 2^k in two factors so that subnormal results need no special case
  const k1 = i32(k) >> 1;
  return p * pow2(k1) * pow2(i32(k) - k1);
}

/** ln(x) in f64 to about 1e-16: x = m·2^e with m in [√½, √2), ln m = 2·atanh((m-1)/(m+1)) as a series. */
export function log64(x: f64): f64 {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return x;
  let e: i32 = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54 lifts subnormals into the normal range
    e = -54;
  }
  const bits = reinterpret<i64>(x);
  e += i32((bits >> 52) & 0x7ff) - 1023;
  let m = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000);
  if (m > Math.SQRT2) {
    m *= 0.5;
    e++;
  }
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  // 2s·Σ s^(2j)/(2j+1) for j <= 11
  let q = s2 * (1.0 / 23) + 1.0 / 21;
  q = q * s2 + 1.0 / 19;
  q = q * s2 + 1.0 / 17;
  q = q * s2 + 1.0 / 15;
  q = q * s2 + 1.0 / 13;
  q = q * s2 + 1.0 / 11;
  q = q * s2 + 1.0 / 9;
  q = q * s2 + 1.0 / 7;
  q = q * s2 + 1.0 / 5;
  q = q * s2 + 1.0 / 3;
  q = q * s2;
  return f64(e) * LN2_HI + (f64(e) * LN2_LO + 2 * s * (1 + q));
}

/** ln(1 + u) in f64, accurate for tiny u (Goldberg's trick: u·ln(1+u) / ((1+u) - 1)). */
export function log1p64(u: f64): f64 {
  const m = 1 + u;
  if (m === 1) return u;
  if (m === Infinity) return m;
  return (log64(m) * u) / (m - 1);
}
