// SDDMM (the weight gradient at the non-zeros only) and the CSR <-> dense conversions.
import { Fma, hsum } from './lanes';

/** Bytes of H one column block of sddmm spans (half of this CPU's 1 MB L2 per core, measured best; see sddmm). */
const SDDMM_BLOCK_BYTES = 524288;

/**
 * Rows [lo, hi) of out[o(e)] = Σ_t S[r,t]·G[idx[e],t] + beta·out[o(e)] for the non-zeros e in
 * ptr[r]..ptr[r+1]-1, where o(e) = perm[e] when perm != 0 and e otherwise. S (shared: one row per
 * r) and G (gathered: the row of each non-zero) are [*, n]. Through CSR (ptr = rowPtr, idx =
 * colIdx, perm = 0, S = D, G = H) this is the weight gradient out[e] = D[row(e),:]·H[col(e),:];
 * through the CSC view (cscPtr, cscRow, cscPerm, S = H, G = D) the same values, the products taken
 * as H·D (the same bits: a·b and fma(a, b, c) do not depend on the order of a and b), with D
 * gathered instead of H: the backend takes the view whose gathered matrix is the smaller one (a
 * 128 x 784 layer gathers 128 rows of D, 64 KB at batch 128, instead of 784 rows of H, 401 KB).
 * When G is larger than SDDMM_BLOCK_BYTES the non-zeros are taken in blocks of G rows: every
 * row's non-zeros with an index in block 0, then block 1, ..., so the block's rows of G stay
 * in L2 across rows instead of streaming all of G from L3 for each row (a 2048 x 2048 layer at
 * batch 256: G is 2 MB). Each non-zero is one whole dot product, so the order of non-zeros does
 * not change any value: the same bits with and without blocks, in any order within a row.
 * cursor: one i32 per row (cursor[r] for r in [lo, hi)) where the blocked kernel keeps each row's
 * progress through the blocks, so a block takes its run of a row without scanning the row.
 */
export function sddmm(
  lo: i32,
  hi: i32,
  ptr: usize,
  idx: usize,
  perm: usize,
  n: i32,
  shared: usize,
  gathered: usize,
  beta: f32,
  out: usize,
  gatheredRows: i32,
  cursor: usize,
): void {
  // two inlined copies: in the one with perm = 0 the branch per non-zero folds away
  if (perm === 0) Sddmm.rows(lo, hi, ptr, idx, 0, n, shared, gathered, beta, out, gatheredRows, cursor);
  else Sddmm.rows(lo, hi, ptr, idx, perm, n, shared, gathered, beta, out, gatheredRows, cursor);
}

/** dot(S[r,:], G[j,:]) over n: 2 f32x4 partial sums (lanes t mod 8), then the 1-3 tail terms in order. */
export function dot(sr: usize, gj: usize, n: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let t = 0;
  for (; t + 8 <= n; t += 8) {
    const o = (<usize>t) << 2;
    s0 = Fma.madd(v128.load(sr + o), v128.load(gj + o), s0);
    s1 = Fma.madd(v128.load(sr + o, 16), v128.load(gj + o, 16), s1);
  }
  if (t + 4 <= n) {
    const o = (<usize>t) << 2;
    s0 = Fma.madd(v128.load(sr + o), v128.load(gj + o), s0);
    t += 4;
  }
  let s = hsum(f32x4.add(s0, s1));
  for (; t < n; t++) s += load<f32>(sr + ((<usize>t) << 2)) * load<f32>(gj + ((<usize>t) << 2));
  return s;
}

/** The kernels of sddmm, as static methods because AssemblyScript inlines those on request (@inline). */
// biome-ignore lint/complexity/noStaticOnlyClass: AssemblyScript inlines static methods on request (@inline), free functions it cannot
class Sddmm {
  /** Where the result of non-zero e goes: out[perm[e]] (perm != 0) or out[e]. */
  @inline static slot(out: usize, perm: usize, e: i32): usize {
    const i = perm ? load<i32>(perm + ((<usize>e) << 2)) : e;
    return out + ((<usize>i) << 2);
  }

  /** Stores s (+ beta·old) at o. */
  @inline static put(o: usize, s: f32, beta: f32): void {
    store<f32>(o, beta === 0 ? s : s + beta * load<f32>(o));
  }

  @inline static rows(
    lo: i32,
    hi: i32,
    ptr: usize,
    idx: usize,
    perm: usize,
    n: i32,
    shared: usize,
    gathered: usize,
    beta: f32,
    out: usize,
    gatheredRows: i32,
    cursor: usize,
  ): void {
    const ld = (<usize>n) << 2;
    const per = max(64, SDDMM_BLOCK_BYTES / max(1, n << 2));
    if (gatheredRows <= per) {
      for (let r = lo; r < hi; r++)
        Sddmm.run(
          load<i32>(ptr + ((<usize>r) << 2)),
          load<i32>(ptr + ((<usize>(r + 1)) << 2)),
          shared + <usize>r * ld,
          idx,
          perm,
          n,
          ld,
          gathered,
          beta,
          out,
        );
      return;
    }
    // cursor[r]: where row r's non-zeros for the next block start. Block k takes the run from there
    // up to the first index at or past its end: in an ascending row (every row buildCsr makes) that
    // is exactly the row's non-zeros in block k, found without looking at the others; in any other
    // order some come a block late, each still exactly once (the last block takes what is left),
    // and a non-zero's value does not depend on when it is computed
    for (let c0 = 0; c0 < gatheredRows; c0 += per) {
      const c1 = c0 + per;
      for (let r = lo; r < hi; r++) {
        const at = cursor + ((<usize>r) << 2);
        const from = load<i32>(c0 === 0 ? ptr + ((<usize>r) << 2) : at);
        const e1 = load<i32>(ptr + ((<usize>(r + 1)) << 2));
        let f = from;
        while (f < e1 && load<i32>(idx + ((<usize>f) << 2)) < c1) f++;
        if (f > from) Sddmm.run(from, f, shared + <usize>r * ld, idx, perm, n, ld, gathered, beta, out);
        store<i32>(at, f);
      }
    }
  }

  /** The dot products of non-zeros [e, e1) of one row (S row at sr) into out. */
  @inline static run(e: i32, e1: i32, sr: usize, idx: usize, perm: usize, n: i32, ld: usize, g: usize, beta: f32, out: usize): void {
    if (n >= 8) {
      // 3 non-zeros per pass share each load of S's row; each keeps dot()'s summation order
      for (; e + 3 <= e1; e += 3)
        Sddmm.dot3(
          sr,
          g,
          idx + ((<usize>e) << 2),
          ld,
          n,
          beta,
          Sddmm.slot(out, perm, e),
          Sddmm.slot(out, perm, e + 1),
          Sddmm.slot(out, perm, e + 2),
        );
    }
    for (; e < e1; e++) Sddmm.put(Sddmm.slot(out, perm, e), dot(sr, g + <usize>load<i32>(idx + ((<usize>e) << 2)) * ld, n), beta);
  }

  /**
   * Three dot products of S's row sr with the G rows of cols[0..3), in exactly dot()'s order,
   * stored (+ beta·old) at o0, o1, o2. NOTE: three, not four: 6 accumulators + 2 S + 6 G vectors fit
   * the 15 xmm registers V8 (Node 20) allocates; four (18 live vectors) spilled an accumulator to
   * the stack on every step, and the call per group cost more (348 vs 267 µs for 128x784 at
   * density 0.24, batch 128).
   */
  @inline static dot3(sr: usize, g: usize, cols: usize, ld: usize, n: i32, beta: f32, o0: usize, o1: usize, o2: usize): void {
    const g0 = g + <usize>load<i32>(cols) * ld;
    const g1 = g + <usize>load<i32>(cols, 4) * ld;
    const g2 = g + <usize>load<i32>(cols, 8) * ld;
    let a0 = f32x4.splat(0);
    let b0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let b1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let b2 = f32x4.splat(0);
    let t = 0;
    for (; t + 8 <= n; t += 8) {
      const q = (<usize>t) << 2;
      const x = v128.load(sr + q);
      const y = v128.load(sr + q, 16);
      a0 = Fma.madd(x, v128.load(g0 + q), a0);
      b0 = Fma.madd(y, v128.load(g0 + q, 16), b0);
      a1 = Fma.madd(x, v128.load(g1 + q), a1);
      b1 = Fma.madd(y, v128.load(g1 + q, 16), b1);
      a2 = Fma.madd(x, v128.load(g2 + q), a2);
      b2 = Fma.madd(y, v128.load(g2 + q, 16), b2);
    }
    if (t + 4 <= n) {
      const q = (<usize>t) << 2;
      const x = v128.load(sr + q);
      a0 = Fma.madd(x, v128.load(g0 + q), a0);
      a1 = Fma.madd(x, v128.load(g1 + q), a1);
      a2 = Fma.madd(x, v128.load(g2 + q), a2);
      t += 4;
    }
    let s0 = hsum(f32x4.add(a0, b0));
    let s1 = hsum(f32x4.add(a1, b1));
    let s2 = hsum(f32x4.add(a2, b2));
    for (; t < n; t++) {
      const q = (<usize>t) << 2;
      const x = load<f32>(sr + q);
      s0 += x * load<f32>(g0 + q);
      s1 += x * load<f32>(g1 + q);
      s2 += x * load<f32>(g2 + q);
    }
    Sddmm.put(o0, s0, beta);
    Sddmm.put(o1, s1, beta);
    Sddmm.put(o2, s2, beta);
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
