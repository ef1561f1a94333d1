// exp64 (vmath.ts) in two f64 lanes: the same operations in the same order, so every lane gets
// the bits the scalar function returns. Lanes outside the polynomial's range (overflow, underflow
// to 0, NaN) take the scalar function.
import { exp64 } from './vmath';

const LN2_HI: f64 = 0.6931471803691238;
const LN2_LO: f64 = 1.9082149292705877e-10;

/** Two lanes of exp64 for lanes in [-745.13, 709.78]; the caller checks the range (E64.inRange). */
// biome-ignore lint/complexity/noStaticOnlyClass: AssemblyScript inlines static methods on request (@inline), free functions it cannot
export class E64 {
  /** Whether both lanes of x take the polynomial path of exp64 (NaN does not). */
  @inline static inRange(x: v128): bool {
    return i64x2.all_true(v128.and(f64x2.le(x, f64x2.splat(709.782712893384)), f64x2.ge(x, f64x2.splat(-745.1332191019412))));
  }

  /** exp64 of each lane, for lanes E64.inRange accepts. */
  @inline static expInRange(x: v128): v128 {
    const k = f64x2.nearest(f64x2.mul(x, f64x2.splat(Math.LOG2E)));
    const r = f64x2.sub(f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
    let p = f64x2.add(f64x2.mul(r, f64x2.splat(1.0 / 6227020800)), f64x2.splat(1.0 / 479001600));
    p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 39916800));
    p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 3628800));
    p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880));
    p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320));
    p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040));
    p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720));
    p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120));
    p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24));
    p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6));
    p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
    p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1));
    p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1));
    // 2^k as 2^k1 · 2^(k - k1), k1 = k >> 1 = floor(k / 2), each from exponent bits: for an integer
    // j in [0, 2^52), the low bits of the double 2^52 + j hold j, so shifting them left by 52
    // makes the double 2^(j - 1023); here j = k1 + 1023 and k - k1 + 1023 lie in [485, 1535]
    const k1 = f64x2.floor(f64x2.mul(k, f64x2.splat(0.5)));
    const k2 = f64x2.sub(k, k1);
    const bias = f64x2.splat(4503599627371519); // 2^52 + 1023
    const p1 = i64x2.shl(f64x2.add(k1, bias), 52);
    const p2 = i64x2.shl(f64x2.add(k2, bias), 52);
    return f64x2.mul(f64x2.mul(p, p1), p2);
  }

  /** exp64 of each lane, whatever the lanes hold. */
  @inline static exp(x: v128): v128 {
    if (E64.inRange(x)) return E64.expInRange(x);
    return exp2Scalar(x);
  }
}

/** Both lanes through the scalar exp64 (the rare out-of-range case, kept out of line). */
function exp2Scalar(x: v128): v128 {
  return f64x2.replace_lane(f64x2.splat(exp64(f64x2.extract_lane(x, 0))), 1, exp64(f64x2.extract_lane(x, 1)));
}
