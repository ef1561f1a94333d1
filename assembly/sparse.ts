// Sparse kernels on CSR (and its CSC view). Each output row/column is computed by one call with a
// fixed summation order (non-zeros in storage order, batch columns in f32x4 lanes), so callers
// may split the row range between threads and get bit-identical results.
import { Fma } from './lanes';

/** Index in [0, count] where the prefix array ptr[0..count] (i32) reaches half of its weighted total: a balanced thread split. */
export function splitPoint(ptr: usize, count: i32, rowCost: i32): i32 {
  // cost of rows [0, i) = ptr[i] - ptr[0] + i·rowCost
  const base = load<i32>(ptr);
  const half = (i64(load<i32>(ptr + ((<usize>count) << 2)) - base) + i64(count) * rowCost) / 2;
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (i64(load<i32>(ptr + ((<usize>mid) << 2)) - base) + i64(mid) * rowCost < half) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Floats of the panel spmm/spmmT pack one 24-column slice of B[bRows, n] into. */
export function spmmPanelFloats(bRows: i32): i32 {
  return bRows * PANEL;
}

/** Batch columns per main pass of spmmRows (6 f32x4 accumulators). */
const PANEL = 24;

/**
 * C[r,:] = Σ_e V[val(e)]·B[idx[e],:] + beta·C[r,:] for r in [lo, hi), e in ptr[r]..ptr[r+1]-1,
 * where val(e) = perm[e] when perm != 0 (the CSC view) and e otherwise. B is [bRows, n], C is [*, n].
 * keep != 0 (with perm = 0): also keep[pos[e]] = V[e] for the non-zeros of those rows.
 */
function spmmRows(
  lo: i32,
  hi: i32,
  ptr: usize,
  idx: usize,
  perm: usize,
  values: usize,
  n: i32,
  b: usize,
  beta: f32,
  c: usize,
  bRows: i32,
  panel: usize,
  keep: usize,
  pos: usize,
): void {
  // the copy in CSC order rides on the first 24-column pass, where its loads and stores hide
  // behind the multiply-adds; otherwise (batch below 24 or 32) it is a pass of its own
  const ridesFirst = keep !== 0 && n >= PANEL && n !== 32;
  if (keep !== 0 && !ridesFirst) keepCsc(load<i32>(ptr + ((<usize>lo) << 2)), load<i32>(ptr + ((<usize>hi) << 2)), values, keep, pos);
  if (n === 1) {
    for (let r = lo; r < hi; r++) gatherDot(r, ptr, idx, perm, values, b, beta, c);
    return;
  }
  // inlined copies: in those with perm = 0 or keep = 0 the branch per non-zero folds away
  if (perm !== 0) Spmm.passes(lo, hi, ptr, idx, perm, values, n, b, beta, c, bRows, panel, 0, 0);
  else if (ridesFirst) Spmm.passes(lo, hi, ptr, idx, 0, values, n, b, beta, c, bRows, panel, keep, pos);
  else Spmm.passes(lo, hi, ptr, idx, 0, values, n, b, beta, c, bRows, panel, 0, 0);
}

/** keep[pos[e]] = values[e] for e in [e0, e1): CSR values copied to their CSC positions. */
function keepCsc(e0: i32, e1: i32, values: usize, keep: usize, pos: usize): void {
  for (let e = e0; e < e1; e++) {
    store<f32>(keep + ((<usize>load<i32>(pos + ((<usize>e) << 2))) << 2), load<f32>(values + ((<usize>e) << 2)));
  }
}

/** The column passes of spmmRows, as static methods because AssemblyScript inlines those on request (@inline). */
// biome-ignore lint/complexity/noStaticOnlyClass: AssemblyScript inlines static methods on request (@inline), free functions it cannot
class Spmm {
  /**
   * One 24-column pass of spmmRows: C[r, t..t+24) for r in [lo, hi). With keep != 0 it also
   * stores each value it reads at keep[pos[e]] (perm = 0 then: the values are in CSR order).
   */
  @inline static slice24(
    lo: i32,
    hi: i32,
    ptr: usize,
    idx: usize,
    perm: usize,
    values: usize,
    n: i32,
    b: usize,
    beta: f32,
    vb: v128,
    c: usize,
    bRows: i32,
    panel: usize,
    t: i32,
    keep: usize,
    pos: usize,
  ): void {
    const ld = (<usize>n) << 2;
    let bt = b + ((<usize>t) << 2);
    let ldb = ld;
    if (panel !== 0 && n > PANEL) {
      packPanel(bt, ld, bRows, panel, PANEL);
      bt = panel;
      ldb = PANEL << 2;
    }
    for (let r = lo; r < hi; r++) {
      const e1 = load<i32>(ptr + ((<usize>(r + 1)) << 2));
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      let a2 = f32x4.splat(0);
      let a3 = f32x4.splat(0);
      let a4 = f32x4.splat(0);
      let a5 = f32x4.splat(0);
      for (let e = load<i32>(ptr + ((<usize>r) << 2)); e < e1; e++) {
        let w: v128;
        if (keep !== 0) {
          const v = load<f32>(values + ((<usize>e) << 2));
          store<f32>(keep + ((<usize>load<i32>(pos + ((<usize>e) << 2))) << 2), v);
          w = f32x4.splat(v);
        } else {
          w = splatValue(values, perm, e);
        }
        const p = bt + <usize>load<i32>(idx + ((<usize>e) << 2)) * ldb;
        a0 = Fma.madd(w, v128.load(p), a0);
        a1 = Fma.madd(w, v128.load(p, 16), a1);
        a2 = Fma.madd(w, v128.load(p, 32), a2);
        a3 = Fma.madd(w, v128.load(p, 48), a3);
        a4 = Fma.madd(w, v128.load(p, 64), a4);
        a5 = Fma.madd(w, v128.load(p, 80), a5);
      }
      const o = c + <usize>r * ld + ((<usize>t) << 2);
      put(o, a0, vb, beta);
      put(o + 16, a1, vb, beta);
      put(o + 32, a2, vb, beta);
      put(o + 48, a3, vb, beta);
      put(o + 64, a4, vb, beta);
      put(o + 80, a5, vb, beta);
    }
  }

  /**
   * spmmRows for n >= 2. Column blocks are the outer loop, so one 24-column slice of B stays in
   * cache across all rows. When panel != 0 (spmmPanelFloats(bRows) floats) the slice is first
   * copied there contiguously: in place its rows sit n·4 bytes apart, which at n = 256 maps them
   * onto 1/16 of the L2 sets and the gathers miss; packed they take 96 consecutive bytes each.
   * NOTE: 6 accumulators, not 8. V8 (Node 20) allocates 15 xmm registers and loads all of a
   * non-zero's B vectors before its multiplies: 8 accumulators + 8 loads + the weight spilled one
   * accumulator to the stack, a store-reload on every non-zero (331 vs 255 µs for 128x784 at
   * density 0.24, batch 128). Each lane still sums its non-zeros in storage order, as before.
   */
  @inline static passes(
    lo: i32,
    hi: i32,
    ptr: usize,
    idx: usize,
    perm: usize,
    values: usize,
    n: i32,
    b: usize,
    beta: f32,
    c: usize,
    bRows: i32,
    panel: usize,
    keep: usize,
    pos: usize,
  ): void {
    const ld = (<usize>n) << 2;
    const vb = f32x4.splat(beta);
    let t = 0;
    // keep != 0 only when the first pass is a 24-column one (see spmmRows): it also copies the values
    if (keep !== 0) {
      Spmm.slice24(lo, hi, ptr, idx, perm, values, n, b, beta, vb, c, bRows, panel, 0, keep, pos);
      t = PANEL;
    }
    // 24 columns a pass while more than 32 are left or exactly 24; then 16 at a time (32 = 16 + 16, not 24 + 8)
    for (; t + PANEL <= n && n - t !== 32; t += PANEL)
      Spmm.slice24(lo, hi, ptr, idx, perm, values, n, b, beta, vb, c, bRows, panel, t, 0, 0);
    // groups of 16 (4 accumulators), packed like the 24-column slices
    for (; t + 16 <= n; t += 16) {
      let bt = b + ((<usize>t) << 2);
      let ldb = ld;
      if (panel !== 0 && n > 16) {
        packPanel(bt, ld, bRows, panel, 16);
        bt = panel;
        ldb = 64;
      }
      for (let r = lo; r < hi; r++) {
        const e1 = load<i32>(ptr + ((<usize>(r + 1)) << 2));
        let a0 = f32x4.splat(0);
        let a1 = f32x4.splat(0);
        let a2 = f32x4.splat(0);
        let a3 = f32x4.splat(0);
        for (let e = load<i32>(ptr + ((<usize>r) << 2)); e < e1; e++) {
          const w = splatValue(values, perm, e);
          const p = bt + <usize>load<i32>(idx + ((<usize>e) << 2)) * ldb;
          a0 = Fma.madd(w, v128.load(p), a0);
          a1 = Fma.madd(w, v128.load(p, 16), a1);
          a2 = Fma.madd(w, v128.load(p, 32), a2);
          a3 = Fma.madd(w, v128.load(p, 48), a3);
        }
        const o = c + <usize>r * ld + ((<usize>t) << 2);
        put(o, a0, vb, beta);
        put(o + 16, a1, vb, beta);
        put(o + 32, a2, vb, beta);
        put(o + 48, a3, vb, beta);
      }
    }
    // remaining groups of 8, then of 4 columns, read in place
    for (; t + 8 <= n; t += 8) {
      const bt = b + ((<usize>t) << 2);
      for (let r = lo; r < hi; r++) {
        const e1 = load<i32>(ptr + ((<usize>(r + 1)) << 2));
        let a0 = f32x4.splat(0);
        let a1 = f32x4.splat(0);
        for (let e = load<i32>(ptr + ((<usize>r) << 2)); e < e1; e++) {
          const w = splatValue(values, perm, e);
          const p = bt + <usize>load<i32>(idx + ((<usize>e) << 2)) * ld;
          a0 = Fma.madd(w, v128.load(p), a0);
          a1 = Fma.madd(w, v128.load(p, 16), a1);
        }
        const o = c + <usize>r * ld + ((<usize>t) << 2);
        put(o, a0, vb, beta);
        put(o + 16, a1, vb, beta);
      }
    }
    for (; t + 4 <= n; t += 4) {
      const bt = b + ((<usize>t) << 2);
      for (let r = lo; r < hi; r++) {
        const e1 = load<i32>(ptr + ((<usize>(r + 1)) << 2));
        let a0 = f32x4.splat(0);
        for (let e = load<i32>(ptr + ((<usize>r) << 2)); e < e1; e++) {
          const p = bt + <usize>load<i32>(idx + ((<usize>e) << 2)) * ld;
          a0 = Fma.madd(splatValue(values, perm, e), v128.load(p), a0);
        }
        put(c + <usize>r * ld + ((<usize>t) << 2), a0, vb, beta);
      }
    }
    // last 1-3 columns, one at a time (same per-element order as the lanes above)
    for (; t < n; t++) {
      const bt = b + ((<usize>t) << 2);
      for (let r = lo; r < hi; r++) {
        const e1 = load<i32>(ptr + ((<usize>(r + 1)) << 2));
        let s: f32 = 0;
        for (let e = load<i32>(ptr + ((<usize>r) << 2)); e < e1; e++) {
          s += value(values, perm, e) * load<f32>(bt + <usize>load<i32>(idx + ((<usize>e) << 2)) * ld);
        }
        const o = c + <usize>r * ld + ((<usize>t) << 2);
        store<f32>(o, beta === 0 ? s : s + beta * load<f32>(o));
      }
    }
  }
}

/** Copies `width` (24 or 16) floats from each of `rows` rows (ld bytes apart, from src) to dst, 4·width bytes per row. */
function packPanel(src: usize, ld: usize, rows: i32, dst: usize, width: i32): void {
  const step = (<usize>width) << 2;
  for (let j = 0; j < rows; j++) {
    const s = src + <usize>j * ld;
    const d = dst + <usize>j * step;
    v128.store(d, v128.load(s));
    v128.store(d, v128.load(s, 16), 16);
    v128.store(d, v128.load(s, 32), 32);
    v128.store(d, v128.load(s, 48), 48);
    if (width === 24) {
      v128.store(d, v128.load(s, 64), 64);
      v128.store(d, v128.load(s, 80), 80);
    }
  }
}

/**
 * Batch of one: C[r] = Σ_e V[val(e)]·B[idx[e]] (+ beta·C[r]) as a gather dot product with 4
 * partial sums, one per f32x4 lane (non-zero e goes to lane (e - start) mod 4; the last 1-3 to
 * lane 0), added as (l0 + l1) + (l2 + l3): the order of the scalar s0..s3 version it replaced, so
 * the plain build gives the same bits; four non-zeros take one vector multiply-add.
 */
function gatherDot(r: i32, ptr: usize, idx: usize, perm: usize, values: usize, b: usize, beta: f32, c: usize): void {
  const e1 = load<i32>(ptr + ((<usize>(r + 1)) << 2));
  let e = load<i32>(ptr + ((<usize>r) << 2));
  let acc = f32x4.splat(0);
  for (; e + 4 <= e1; e += 4) {
    const ip = idx + ((<usize>e) << 2);
    let w: v128;
    if (perm) {
      const pp = perm + ((<usize>e) << 2);
      w = f32x4.splat(load<f32>(values + ((<usize>load<i32>(pp)) << 2)));
      w = f32x4.replace_lane(w, 1, load<f32>(values + ((<usize>load<i32>(pp, 4)) << 2)));
      w = f32x4.replace_lane(w, 2, load<f32>(values + ((<usize>load<i32>(pp, 8)) << 2)));
      w = f32x4.replace_lane(w, 3, load<f32>(values + ((<usize>load<i32>(pp, 12)) << 2)));
    } else {
      w = v128.load(values + ((<usize>e) << 2));
    }
    let x = f32x4.splat(load<f32>(b + ((<usize>load<i32>(ip)) << 2)));
    x = f32x4.replace_lane(x, 1, load<f32>(b + ((<usize>load<i32>(ip, 4)) << 2)));
    x = f32x4.replace_lane(x, 2, load<f32>(b + ((<usize>load<i32>(ip, 8)) << 2)));
    x = f32x4.replace_lane(x, 3, load<f32>(b + ((<usize>load<i32>(ip, 12)) << 2)));
    acc = Fma.madd(w, x, acc);
  }
  let s0 = f32x4.extract_lane(acc, 0);
  for (; e < e1; e++) s0 += value(values, perm, e) * load<f32>(b + ((<usize>load<i32>(idx + ((<usize>e) << 2))) << 2));
  const s = s0 + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  const o = c + ((<usize>r) << 2);
  store<f32>(o, beta === 0 ? s : s + beta * load<f32>(o));
}

/** out[e] = values[perm[e]] for e in [lo, hi): the CSR values in CSC order, so spmmT reads them in sequence. */
export function gatherPerm(lo: i32, hi: i32, perm: usize, values: usize, out: usize): void {
  for (let e = lo; e < hi; e++) {
    store<f32>(out + ((<usize>e) << 2), load<f32>(values + ((<usize>load<i32>(perm + ((<usize>e) << 2))) << 2)));
  }
}

/** V[perm[e]] (perm != 0) or V[e] in all four lanes, one load-and-splat. */
function splatValue(values: usize, perm: usize, e: i32): v128 {
  const i = perm ? load<i32>(perm + ((<usize>e) << 2)) : e;
  return v128.load32_splat(values + ((<usize>i) << 2));
}

/** V[perm[e]] when perm != 0, else V[e]. */
function value(values: usize, perm: usize, e: i32): f32 {
  const i = perm ? load<i32>(perm + ((<usize>e) << 2)) : e;
  return load<f32>(values + ((<usize>i) << 2));
}

/** Stores acc (+ beta·old) at o. */
function put(o: usize, acc: v128, vb: v128, beta: f32): void {
  v128.store(o, beta === 0 ? acc : f32x4.add(acc, f32x4.mul(vb, v128.load(o))));
}

/**
 * Rows [lo, hi) of C[rows,n] = A·B + beta·C for CSR A (rowPtr, colIdx, values) and B[cols,n];
 * panel: see spmmRows (0 = none). When keep != 0 it also writes the values of those rows in CSC
 * order, keep[pos[e]] = values[e] (pos: the CSC position of each CSR entry), for a later spmmT
 * to read in sequence without a gather of its own.
 */
export function spmm(
  lo: i32,
  hi: i32,
  rowPtr: usize,
  colIdx: usize,
  values: usize,
  n: i32,
  b: usize,
  beta: f32,
  c: usize,
  cols: i32,
  panel: usize,
  keep: usize,
  pos: usize,
): void {
  spmmRows(lo, hi, rowPtr, colIdx, 0, values, n, b, beta, c, cols, panel, keep, pos);
}

/** Rows [lo, hi) of C[cols,n] = Aᵀ·B + beta·C through the CSC view (cscPtr, cscRow, cscPerm) of A; B is [rows,n]; panel: see spmmRows. */
export function spmmT(
  lo: i32,
  hi: i32,
  cscPtr: usize,
  cscRow: usize,
  cscPerm: usize,
  values: usize,
  n: i32,
  b: usize,
  beta: f32,
  c: usize,
  rows: i32,
  panel: usize,
): void {
  spmmRows(lo, hi, cscPtr, cscRow, cscPerm, values, n, b, beta, c, rows, panel, 0, 0);
}
