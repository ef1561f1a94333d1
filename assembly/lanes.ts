// Partial-vector loads and stores for array tails (1-3 floats), so that a tail element goes
// through exactly the same f32x4 arithmetic as the body and results do not depend on alignment.

/** Loads `count` (1..3) floats at p into the low lanes of a vector; the other lanes are 0. */
export function loadTail(p: usize, count: i32): v128 {
  let v = f32x4.replace_lane(f32x4.splat(0), 0, load<f32>(p));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Stores the low `count` (1..3) lanes of v at p. */
export function storeTail(p: usize, v: v128, count: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/** Sum of the four lanes in a fixed order: (l0 + l1) + (l2 + l3). */
export function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** [hsum(a), hsum(b), hsum(c), hsum(d)]: the same sums in the same order, 9 vector operations for the 4. */
export function hsum4(a: v128, b: v128, c: v128, d: v128): v128 {
  // [a0+a1, a2+a3, b0+b1, b2+b3], [c0+c1, c2+c3, d0+d1, d2+d3], then their pairs added
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 2, 4, 6), v128.shuffle<f32>(a, b, 1, 3, 5, 7));
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 2, 4, 6), v128.shuffle<f32>(c, d, 1, 3, 5, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 2, 4, 6), v128.shuffle<f32>(ab, cd, 1, 3, 5, 7));
}

/** 4x4 transpose helper: lanes [a0 b0 a1 b1] of rows a, b. */
export function zipLo(a: v128, b: v128): v128 {
  return v128.shuffle<f32>(a, b, 0, 4, 1, 5);
}

/** 4x4 transpose helper: lanes [a2 b2 a3 b3] of rows a, b. */
export function zipHi(a: v128, b: v128): v128 {
  return v128.shuffle<f32>(a, b, 2, 6, 3, 7);
}

/** 4x4 transpose helper: the low halves of a and b, [a0 a1 b0 b1]. */
export function halvesLo(a: v128, b: v128): v128 {
  return v128.shuffle<f32>(a, b, 0, 1, 4, 5);
}

/** 4x4 transpose helper: the high halves of a and b, [a2 a3 b2 b3]. */
export function halvesHi(a: v128, b: v128): v128 {
  return v128.shuffle<f32>(a, b, 2, 3, 6, 7);
}

/**
 * The multiply-add of the hot loops, `c + a·b` per lane. The plain build (build/widen.wasm) rounds
 * twice, f32x4.add(c, f32x4.mul(a, b)), exactly as before it existed; the relaxed build
 * (build/widen-relaxed.wasm, compiled with --enable relaxed-simd) emits f32x4.relaxed_madd, one
 * fused multiply-add with a single rounding on CPUs with FMA (the results differ from the plain
 * build's in the last bits, deterministically on one machine).
 */
// biome-ignore lint/complexity/noStaticOnlyClass: AssemblyScript inlines static methods on request (@inline), free functions it cannot
export class Fma {
  @inline static madd(a: v128, b: v128, c: v128): v128 {
    if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
    return f32x4.add(c, f32x4.mul(a, b));
  }
}

// biome-ignore lint/complexity/noStaticOnlyClass: AssemblyScript inlines static methods on request (@inline), free functions it cannot
export class Block4 {
  /** One 4x4 block: the 4 floats at p, p + ra, p + 2ra, p + 3ra, transposed to q, q + rb, q + 2rb, q + 3rb (transpose; packA with rb = 16). */
  @inline static move(p: usize, ra: usize, q: usize, rb: usize): void {
    const x0 = v128.load(p);
    const x1 = v128.load(p + ra);
    const x2 = v128.load(p + 2 * ra);
    const x3 = v128.load(p + 3 * ra);
    const t0 = zipLo(x0, x1);
    const t1 = zipHi(x0, x1);
    const t2 = zipLo(x2, x3);
    const t3 = zipHi(x2, x3);
    v128.store(q, halvesLo(t0, t2));
    v128.store(q + rb, halvesHi(t0, t2));
    v128.store(q + 2 * rb, halvesLo(t1, t3));
    v128.store(q + 3 * rb, halvesHi(t1, t3));
  }
}
