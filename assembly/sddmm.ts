// SDDMM (the weight gradient at the non-zeros only) and the CSR <-> dense conversions.
import { Fma, hsum } from './lanes';

/** Bytes of H one column block of sddmm spans (half of this CPU's 1 MB L2 per core, measured best; see sddmm). */
const SDDMM_BLOCK_BYTES = 524288;

/**
 * Rows [lo, hi) of out[e] = Σ_t D[row(e),t]·H[col(e),t] + beta·out[e]; D is [rows,n], H is [cols,n], out in CSR order.
 * When H is larger than SDDMM_BLOCK_BYTES the non-zeros are taken in blocks of columns (H rows):
 * every row's non-zeros with a column in block 0, then block 1, ..., so the block's rows of H stay
 * in L2 across rows instead of streaming all of H from L3 for each row (a 2048 x 2048 layer at
 * batch 256: H is 2 MB). Each non-zero is one whole dot product, so the order of non-zeros does
 * not change any value: the same bits with and without blocks, in any CSR (sorted or not).
 */
export function sddmm(lo: i32, hi: i32, rowPtr: usize, colIdx: usize, n: i32, d: usize, h: usize, beta: f32, out: usize, cols: i32): void {
  const ld = (<usize>n) << 2;
  const per = max(64, SDDMM_BLOCK_BYTES / max(1, n << 2));
  if (cols <= per) {
    for (let r = lo; r < hi; r++)
      Sddmm.run(
        load<i32>(rowPtr + ((<usize>r) << 2)),
        load<i32>(rowPtr + ((<usize>(r + 1)) << 2)),
        d + <usize>r * ld,
        colIdx,
        n,
        ld,
        h,
        beta,
        out,
      );
    return;
  }
  for (let c0 = 0; c0 < cols; c0 += per) {
    const c1 = c0 + per;
    for (let r = lo; r < hi; r++) {
      const dr = d + <usize>r * ld;
      const e1 = load<i32>(rowPtr + ((<usize>(r + 1)) << 2));
      let e = load<i32>(rowPtr + ((<usize>r) << 2));
      while (e < e1) {
        const col = load<i32>(colIdx + ((<usize>e) << 2));
        if (col < c0 || col >= c1) {
          e++;
          continue;
        }
        // the run [e, f) of non-zeros inside the block (a whole block of a sorted row)
        let f = e + 1;
        while (f < e1) {
          const cf = load<i32>(colIdx + ((<usize>f) << 2));
          if (cf < c0 || cf >= c1) break;
          f++;
        }
        Sddmm.run(e, f, dr, colIdx, n, ld, h, beta, out);
        e = f;
      }
    }
  }
}

/** dot(D[r,:], H[j,:]) over n: 2 f32x4 partial sums (lanes t mod 8), then the 1-3 tail terms in order. */
function dot(dr: usize, hj: usize, n: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let t = 0;
  for (; t + 8 <= n; t += 8) {
    const o = (<usize>t) << 2;
    s0 = Fma.madd(v128.load(dr + o), v128.load(hj + o), s0);
    s1 = Fma.madd(v128.load(dr + o, 16), v128.load(hj + o, 16), s1);
  }
  if (t + 4 <= n) {
    const o = (<usize>t) << 2;
    s0 = Fma.madd(v128.load(dr + o), v128.load(hj + o), s0);
    t += 4;
  }
  let s = hsum(f32x4.add(s0, s1));
  for (; t < n; t++) s += load<f32>(dr + ((<usize>t) << 2)) * load<f32>(hj + ((<usize>t) << 2));
  return s;
}

/** The inner kernel of sddmm, as a static method because AssemblyScript inlines those on request (@inline). */
// biome-ignore lint/complexity/noStaticOnlyClass: AssemblyScript inlines static methods on request (@inline), free functions it cannot
class Sddmm {
  /** The dot products of non-zeros [e, e1) of one row (D row at dr) into out. */
  @inline static run(e: i32, e1: i32, dr: usize, colIdx: usize, n: i32, ld: usize, h: usize, beta: f32, out: usize): void {
    if (n >= 8) {
      // 3 non-zeros per pass share each load of D's row; each keeps dot()'s summation order
      for (; e + 3 <= e1; e += 3) Sddmm.dot3(dr, h, colIdx + ((<usize>e) << 2), ld, n, beta, out + ((<usize>e) << 2));
    }
    for (; e < e1; e++) {
      const o = out + ((<usize>e) << 2);
      const s = dot(dr, h + <usize>load<i32>(colIdx + ((<usize>e) << 2)) * ld, n);
      store<f32>(o, beta === 0 ? s : s + beta * load<f32>(o));
    }
  }

  /**
   * Three dot products of D's row dr with the H rows of cols[0..3), in exactly dot()'s order,
   * stored (+ beta·old) at o[0..3). NOTE: three, not four: 6 accumulators + 2 D + 6 H vectors fit
   * the 15 xmm registers V8 (Node 20) allocates; four (18 live vectors) spilled an accumulator to
   * the stack on every step, and the call per group cost more (348 vs 267 µs for 128x784 at
   * density 0.24, batch 128).
   */
  @inline static dot3(dr: usize, h: usize, cols: usize, ld: usize, n: i32, beta: f32, o: usize): void {
    const h0 = h + <usize>load<i32>(cols) * ld;
    const h1 = h + <usize>load<i32>(cols, 4) * ld;
    const h2 = h + <usize>load<i32>(cols, 8) * ld;
    let a0 = f32x4.splat(0);
    let b0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let b1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let b2 = f32x4.splat(0);
    let t = 0;
    for (; t + 8 <= n; t += 8) {
      const q = (<usize>t) << 2;
      const x = v128.load(dr + q);
      const y = v128.load(dr + q, 16);
      a0 = Fma.madd(x, v128.load(h0 + q), a0);
      b0 = Fma.madd(y, v128.load(h0 + q, 16), b0);
      a1 = Fma.madd(x, v128.load(h1 + q), a1);
      b1 = Fma.madd(y, v128.load(h1 + q, 16), b1);
      a2 = Fma.madd(x, v128.load(h2 + q), a2);
      b2 = Fma.madd(y, v128.load(h2 + q, 16), b2);
    }
    if (t + 4 <= n) {
      const q = (<usize>t) << 2;
      const x = v128.load(dr + q);
      a0 = Fma.madd(x, v128.load(h0 + q), a0);
      a1 = Fma.madd(x, v128.load(h1 + q), a1);
      a2 = Fma.madd(x, v128.load(h2 + q), a2);
      t += 4;
    }
    let s0 = hsum(f32x4.add(a0, b0));
    let s1 = hsum(f32x4.add(a1, b1));
    let s2 = hsum(f32x4.add(a2, b2));
    for (; t < n; t++) {
      const q = (<usize>t) << 2;
      const x = load<f32>(dr + q);
      s0 += x * load<f32>(h0 + q);
      s1 += x * load<f32>(h1 + q);
      s2 += x * load<f32>(h2 + q);
    }
    store<f32>(o, beta === 0 ? s0 : s0 + beta * load<f32>(o));
    store<f32>(o, beta === 0 ? s1 : s1 + beta * load<f32>(o, 4), 4);
    store<f32>(o, beta === 0 ? s2 : s2 + beta * load<f32>(o, 8), 8);
  }
}

/** Rows [lo, hi) of dense[rows,cols] = 0 except the CSR values at the non-zeros. */
export function scatterCsr(lo: i32, hi: i32, cols: i32, rowPtr: usize, colIdx: usize, values: usize, dense: usize): void {
  const ld = (<usize>cols) << 2;
  memory.fill(dense + <usize>lo * ld, 0, <usize>(hi - lo) * ld);
  for (let r = lo; r < hi; r++) {
    const row = dense + <usize>r * ld;
    const e1 = load<i32>(rowPtr + ((<usize>(r + 1)) << 2));
    for (let e = load<i32>(rowPtr + ((<usize>r) << 2)); e < e1; e++) {
      store<f32>(row + ((<usize>load<i32>(colIdx + ((<usize>e) << 2))) << 2), load<f32>(values + ((<usize>e) << 2)));
    }
  }
}

/** Rows [lo, hi): values[e] = dense[row(e), col(e)] + beta·values[e]. */
export function gatherCsr(lo: i32, hi: i32, cols: i32, rowPtr: usize, colIdx: usize, dense: usize, beta: f32, values: usize): void {
  const ld = (<usize>cols) << 2;
  for (let r = lo; r < hi; r++) {
    const row = dense + <usize>r * ld;
    const e1 = load<i32>(rowPtr + ((<usize>(r + 1)) << 2));
    for (let e = load<i32>(rowPtr + ((<usize>r) << 2)); e < e1; e++) {
      const o = values + ((<usize>e) << 2);
      const v = load<f32>(row + ((<usize>load<i32>(colIdx + ((<usize>e) << 2))) << 2));
      store<f32>(o, beta === 0 ? v : v + beta * load<f32>(o));
    }
  }
}
