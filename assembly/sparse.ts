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
 * Rows of B one chunk of the chunked passes spans at most: 256 rows of a 24-column panel are
 * 24 KB, 3/4 of this CPU's 32 KB L1 (the rest holds the streamed non-zeros and partial sums).
 */
const CHUNK_ROWS = 256;

/** Chunks of at most CHUNK_ROWS rows that the chunked passes take B's bRows rows in (see chunkedPasses). */
export function spmmChunks(bRows: i32): i32 {
  return (bRows + CHUNK_ROWS - 1) / CHUNK_ROWS;
}

/**
 * C[r,:] = Σ_e V[val(e)]·B[idx[e],:] + beta·C[r,:] for r in [lo, hi), e in ptr[r]..ptr[r+1]-1,
 * where val(e) = perm[e] when perm != 0 (the CSC view) and e otherwise. B is [bRows, n], C is [*, n].
 * keep != 0 (with perm = 0): also keep[pos[e]] = V[e] for the non-zeros of those rows.
 * runs != 0: room for the chunk layout (runs: 2·spmmChunks(bRows) i32 per row; lidx, lvals: one
 * i32 / f32 per non-zero, at the non-zero's own position), used when beta = 0, n > 24, B is
 * packed (panel != 0) and the rows ascend (see chunkLayout and chunkedPasses).
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
  runs: usize,
  lidx: usize,
  lvals: usize,
): void {
  // B's packed slices taken in chunks that fit L1 when the caller gave room for the chunk layout
  // (runs != 0) and C can hold the sums between chunks (beta = 0), for rows in ascending order
  const chunks = runs !== 0 && panel !== 0 && n > PANEL && beta === 0 ? spmmChunks(bRows) : 1;
  if (chunks > 1 && chunkLayout(lo, hi, ptr, idx, perm, values, chunks, (bRows + chunks - 1) / chunks, runs, lidx, lvals, keep, pos)) {
    const t = chunkedPasses(lo, hi, n, b, c, bRows, panel, chunks, runs, lidx, lvals);
    // the last 1-15 columns, if any, as ever
    Spmm.passes(lo, hi, ptr, idx, perm, values, n, b, beta, c, bRows, panel, 0, 0, t);
    return;
  }
  // the copy in CSC order rides on the first 24-column pass, where its loads and stores hide
  // behind the multiply-adds; otherwise (batch below 24 or 32) it is a pass of its own
  const ridesFirst = keep !== 0 && n >= PANEL && n !== 32;
  if (keep !== 0 && !ridesFirst) keepCsc(load<i32>(ptr + ((<usize>lo) << 2)), load<i32>(ptr + ((<usize>hi) << 2)), values, keep, pos);
  if (n === 1) {
    for (let r = lo; r < hi; r++) gatherDot(r, ptr, idx, perm, values, b, beta, c);
    return;
  }
  // inlined copies: in those with perm = 0 or keep = 0 the branch per non-zero folds away
  if (perm !== 0) Spmm.passes(lo, hi, ptr, idx, perm, values, n, b, beta, c, bRows, panel, 0, 0, 0);
  else if (ridesFirst) Spmm.passes(lo, hi, ptr, idx, 0, values, n, b, beta, c, bRows, panel, keep, pos, 0);
  else Spmm.passes(lo, hi, ptr, idx, 0, values, n, b, beta, c, bRows, panel, 0, 0, 0);
}

/**
 * The chunk layout of rows [lo, hi) for the chunked passes, when every one of those rows is in
 * ascending order (else it returns false, having written only scratch): their non-zeros e in
 * [ptr[lo], ptr[hi]) copied to the same positions of `lidx` and `lvals` (idx[e] and V[val(e)]),
 * reordered chunk by chunk: first every row's non-zeros with an index in chunk 0 ([0, size)),
 * then those in chunk 1, ...; runs[2·(r·chunks + k)] and [.. + 1] are where row r's run of chunk
 * k starts and ends there. With keep != 0 it also copies the values to their CSC positions,
 * keep[pos[e]] = values[e].
 */
function chunkLayout(
  lo: i32,
  hi: i32,
  ptr: usize,
  idx: usize,
  perm: usize,
  values: usize,
  chunks: i32,
  size: i32,
  runs: usize,
  lidx: usize,
  lvals: usize,
  keep: usize,
  pos: usize,
): bool {
  const e0 = load<i32>(ptr + ((<usize>lo) << 2));
  // each row's runs by binary search, as if ascending (the copy below checks that it is)
  for (let r = lo; r < hi; r++) {
    let from = load<i32>(ptr + ((<usize>r) << 2));
    const e1 = load<i32>(ptr + ((<usize>(r + 1)) << 2));
    const at = runs + ((<usize>(r * chunks)) << 3);
    for (let k = 0; k < chunks; k++) {
      // the first e in [from, e1) with idx[e] >= (k + 1)·size (e1 for the last chunk)
      let a = e1;
      if (k < chunks - 1) {
        const end = (k + 1) * size;
        a = from;
        let b = e1;
        while (a < b) {
          const m = (a + b) >>> 1;
          if (load<i32>(idx + ((<usize>m) << 2)) < end) a = m + 1;
          else b = m;
        }
      }
      store<i32>(at + ((<usize>k) << 3), from);
      store<i32>(at + ((<usize>k) << 3), a - from, 4);
      from = a;
    }
  }
  // then each chunk's runs, row after row, to consecutive positions; a run's indices must lie in
  // its chunk and ascend, which holds for all runs exactly when every row ascends
  let w = e0;
  for (let k = 0; k < chunks; k++) {
    const c0 = k * size;
    const c1 = k === chunks - 1 ? i32.MAX_VALUE : c0 + size;
    for (let r = lo; r < hi; r++) {
      const at = runs + ((<usize>(r * chunks + k)) << 3);
      const from = load<i32>(at);
      const to = from + load<i32>(at, 4);
      store<i32>(at, w);
      let prev = c0 - 1;
      for (let e = from; e < to; e++) {
        const j = load<i32>(idx + ((<usize>e) << 2));
        if (j <= prev || j >= c1) return false;
        prev = j;
        store<i32>(lidx + ((<usize>w) << 2), j);
        store<f32>(lvals + ((<usize>w) << 2), value(values, perm, e));
        w++;
      }
      store<i32>(at, w, 4);
    }
  }
  if (keep !== 0) keepCsc(e0, load<i32>(ptr + ((<usize>hi) << 2)), values, keep, pos);
  return true;
}

/**
 * The 24- and 16-column passes of spmmRows (beta = 0) over the chunk layout (see chunkLayout):
 * chunk by chunk, B's rows of the chunk packed for each pass (24 KB at most: they stay in L1
 * while every row's run of the chunk, contiguous in the layout, reads them), each row's sums
 * carried in C from chunk to chunk. Returns the columns done (the rest is a tail of 1-15).
 */
function chunkedPasses(
  lo: i32,
  hi: i32,
  n: i32,
  b: usize,
  c: usize,
  bRows: i32,
  panel: usize,
  chunks: i32,
  runs: usize,
  lidx: usize,
  lvals: usize,
): i32 {
  const ld = (<usize>n) << 2;
  const size = (bRows + chunks - 1) / chunks;
  const stride = (<usize>chunks) << 3;
  let t = 0;
  for (let k = 0; k < chunks; k++) {
    const c0 = k * size;
    const rowsK = min(size, bRows - c0);
    const bk = b + <usize>c0 * ld;
    const at = runs + ((<usize>k) << 3);
    // the panel holds the chunk's rows from c0 on: index j of the chunk reads its row j - c0
    t = 0;
    for (; t + PANEL <= n && n - t !== 32; t += PANEL) {
      packPanel(bk + ((<usize>t) << 2), ld, rowsK, panel, PANEL);
      const bt = panel - <usize>c0 * (PANEL << 2);
      // two call sites, so that binaryen keeps the pass a function of its own (see chunkPass24)
      if (k === 0) chunkPass24(lo, hi, at, stride, lidx, lvals, bt, c + ((<usize>t) << 2), ld, true);
      else chunkPass24(lo, hi, at, stride, lidx, lvals, bt, c + ((<usize>t) << 2), ld, false);
    }
    for (; t + 16 <= n; t += 16) {
      packPanel(bk + ((<usize>t) << 2), ld, rowsK, panel, 16);
      const bt = panel - <usize>c0 * 64;
      if (k === 0) chunkPass16(lo, hi, at, stride, lidx, lvals, bt, c + ((<usize>t) << 2), ld, true);
      else chunkPass16(lo, hi, at, stride, lidx, lvals, bt, c + ((<usize>t) << 2), ld, false);
    }
  }
  return t;
}

/** keep[pos[e]] = values[e] for e in [e0, e1): CSR values copied to their CSC positions. */
export function keepCsc(e0: i32, e1: i32, values: usize, keep: usize, pos: usize): void {
  for (let e = e0; e < e1; e++) {
    store<f32>(keep + ((<usize>load<i32>(pos + ((<usize>e) << 2))) << 2), load<f32>(values + ((<usize>e) << 2)));
  }
}

/**
 * Spmm.chunk with 24 columns, as a function of its own. NOTE: inlined into spmmRows (which binaryen
 * does to a function called from one place) V8 ran out of registers there: it recomputed the
 * panel address from the stack and shuffled the accumulators on every non-zero, 1.2x slower.
 * Two wrappers, not one taking the width: that one ran 0.95x the one-pass time where these run
 * 0.89x (2048 x 2048 at 25%).
 */
function chunkPass24(
  lo: i32,
  hi: i32,
  runs: usize,
  stride: usize,
  idx: usize,
  vals: usize,
  bt: usize,
  ct: usize,
  ld: usize,
  first: bool,
): void {
  Spmm.chunk(lo, hi, runs, stride, idx, vals, bt, 24, ct, ld, first);
}

/** Spmm.chunk with 16 columns (see chunkPass24). */
function chunkPass16(
  lo: i32,
  hi: i32,
  runs: usize,
  stride: usize,
  idx: usize,
  vals: usize,
  bt: usize,
  ct: usize,
  ld: usize,
  first: bool,
): void {
  Spmm.chunk(lo, hi, runs, stride, idx, vals, bt, 16, ct, ld, first);
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
   * One `width`-column pass (24: 6 accumulators, or 16: 4) of one chunk of the chunked spmmRows
   * (beta = 0): every row's run of the chunk (from runs[r·stride], to runs[r·stride + 1], in the
   * chunk layout's idx and vals, see chunkLayout) times B's slice packed at bt (ldb = 4·width
   * bytes a row), added to the row's sums so far at ct + r·ld, where they wait between chunks
   * (first: the first chunk starts them at 0). Each lane still sums the row's non-zeros in storage
   * order, so C ends as the one-pass kernel leaves it.
   */
  @inline static chunk(
    lo: i32,
    hi: i32,
    runs: usize,
    stride: usize,
    idx: usize,
    vals: usize,
    bt: usize,
    width: i32,
    ct: usize,
    ld: usize,
    first: bool,
  ): void {
    const ldb = (<usize>width) << 2;
    for (let r = lo; r < hi; r++) {
      const at = runs + <usize>r * stride;
      const e1 = load<i32>(at, 4);
      const d = ct + <usize>r * ld;
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      let a2 = f32x4.splat(0);
      let a3 = f32x4.splat(0);
      let a4 = f32x4.splat(0);
      let a5 = f32x4.splat(0);
      if (!first) {
        a0 = v128.load(d);
        a1 = v128.load(d, 16);
        a2 = v128.load(d, 32);
        a3 = v128.load(d, 48);
        if (width === 24) {
          a4 = v128.load(d, 64);
          a5 = v128.load(d, 80);
        }
      }
      for (let e = load<i32>(at); e < e1; e++) {
        const w = v128.load32_splat(vals + ((<usize>e) << 2));
        const p = bt + <usize>load<i32>(idx + ((<usize>e) << 2)) * ldb;
        a0 = Fma.madd(w, v128.load(p), a0);
        a1 = Fma.madd(w, v128.load(p, 16), a1);
        a2 = Fma.madd(w, v128.load(p, 32), a2);
        a3 = Fma.madd(w, v128.load(p, 48), a3);
        if (width === 24) {
          a4 = Fma.madd(w, v128.load(p, 64), a4);
          a5 = Fma.madd(w, v128.load(p, 80), a5);
        }
      }
      v128.store(d, a0);
      v128.store(d, a1, 16);
      v128.store(d, a2, 32);
      v128.store(d, a3, 48);
      if (width === 24) {
        v128.store(d, a4, 64);
        v128.store(d, a5, 80);
      }
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
    t0: i32,
  ): void {
    const ld = (<usize>n) << 2;
    const vb = f32x4.splat(beta);
    // t0 > 0: columns [0, t0) are done (by chunkedPasses), only the rest are left
    let t = t0;
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
export function packPanel(src: usize, ld: usize, rows: i32, dst: usize, width: i32): void {
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

/** Columns [t0, n) of C[r,:] = A·B for rows [lo, hi) of CSR A (beta = 0; the tail of spmmPairs in assembly/pairs.ts). */
export function spmmTail(
  lo: i32,
  hi: i32,
  rowPtr: usize,
  colIdx: usize,
  values: usize,
  n: i32,
  b: usize,
  c: usize,
  bRows: i32,
  panel: usize,
  t0: i32,
): void {
  Spmm.passes(lo, hi, rowPtr, colIdx, 0, values, n, b, 0, c, bRows, panel, 0, 0, t0);
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
  runs: usize,
  lidx: usize,
  lvals: usize,
): void {
  spmmRows(lo, hi, rowPtr, colIdx, 0, values, n, b, beta, c, cols, panel, keep, pos, runs, lidx, lvals);
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
  runs: usize,
  lidx: usize,
  lvals: usize,
): void {
  spmmRows(lo, hi, cscPtr, cscRow, cscPerm, values, n, b, beta, c, rows, panel, 0, 0, runs, lidx, lvals);
}
