// spmm and sddmm over the row-pair blocks of a CSR structure (see src/engine/row-pairs.ts): two
// output rows that share a column read B's row once for both, so a 16-column pass keeps 8
// accumulators (2 rows x 4 f32x4) against the single row's 4 and loads half as much of B per
// multiply-add; sddmm reads each gathered row once for two dot products.
import { Fma, hsum, hsum4 } from './lanes';
import { dot } from './sddmm';
import { keepCsc, packPanel, spmmTail } from './sparse';

/** Batch columns per pass of spmmPairs (4 f32x4 accumulators a row, two rows). */
const WIDTH = 16;

/**
 * Blocks [lo, hi) of C[rows, n] = A·B (beta = 0) for the row-pair layout of A, the blocks'
 * output rows being exactly rows [rowLo, rowHi). Block k is 4 i32 at blocks + 16k: its rows r1
 * and r2 (r2 = -1: a block of r1 alone) and its entries [e0, e1); entry e is the column idx[e]
 * and the CSR positions pos[2e], pos[2e+1] of its values in r1 and r2. Each row's non-zeros are
 * summed in block order (a row's blocks in order, a block's entries in order), lane by lane,
 * C carrying the sums between blocks: the same bits on any thread count, not the CSR order's.
 * vals (2 f32 per entry) is scratch: the first pass gathers the values there, the others read
 * them in sequence. keep != 0: also keep[kpos[e]] = values[e] (spmm's CSC copy) for the rows'
 * non-zeros. The columns past the last full 16 (n mod 16) go through the CSR kernel (spmmTail,
 * rowPtr/colIdx), in CSR order. B is [bRows, n]; panel holds bRows x 16 floats (0: B in place).
 */
export function spmmPairs(
  lo: i32,
  hi: i32,
  rowLo: i32,
  rowHi: i32,
  blocks: usize,
  idx: usize,
  pos: usize,
  values: usize,
  vals: usize,
  n: i32,
  b: usize,
  c: usize,
  bRows: i32,
  panel: usize,
  rowPtr: usize,
  colIdx: usize,
  keep: usize,
  kpos: usize,
): void {
  const ld = (<usize>n) << 2;
  memory.fill(c + <usize>rowLo * ld, 0, <usize>(rowHi - rowLo) * ld);
  let t = 0;
  for (; t + WIDTH <= n; t += WIDTH) {
    let bt = b + ((<usize>t) << 2);
    let ldb = ld;
    if (panel !== 0 && n > WIDTH) {
      packPanel(bt, ld, bRows, panel, WIDTH);
      bt = panel;
      ldb = WIDTH << 2;
    }
    const ct = c + ((<usize>t) << 2);
    // two call sites, so that binaryen keeps the pass a function of its own (see chunkPass24 in sparse.ts)
    if (t === 0) pairPassFirst(lo, hi, blocks, idx, pos, values, vals, bt, ldb, ct, ld, keep, kpos);
    else pairPass(lo, hi, blocks, idx, vals, bt, ldb, ct, ld);
  }
  if (t < n) spmmTail(rowLo, rowHi, rowPtr, colIdx, values, n, b, c, bRows, panel, t);
  // no 16-column pass (n < 16, which the backend does not send here): the CSC copy on its own
  if (t === 0 && keep !== 0)
    keepCsc(load<i32>(rowPtr + ((<usize>rowLo) << 2)), load<i32>(rowPtr + ((<usize>rowHi) << 2)), values, keep, kpos);
}

/** The first 16-column pass: gathers each entry's values into vals (and keep) as it reads them. */
function pairPassFirst(
  lo: i32,
  hi: i32,
  blocks: usize,
  idx: usize,
  pos: usize,
  values: usize,
  vals: usize,
  bt: usize,
  ldb: usize,
  ct: usize,
  ld: usize,
  keep: usize,
  kpos: usize,
): void {
  Pairs.pass(lo, hi, blocks, idx, pos, values, vals, bt, ldb, ct, ld, keep, kpos, true);
}

/** The other 16-column passes: the values in sequence from vals. */
function pairPass(lo: i32, hi: i32, blocks: usize, idx: usize, vals: usize, bt: usize, ldb: usize, ct: usize, ld: usize): void {
  Pairs.pass(lo, hi, blocks, idx, 0, 0, vals, bt, ldb, ct, ld, 0, 0, false);
}

// biome-ignore lint/complexity/noStaticOnlyClass: AssemblyScript inlines static methods on request (@inline), free functions it cannot
class Pairs {
  /** f32 at values[pos[i]], stored to vals[i] (and keep[kpos[pos[i]]] when keep != 0). */
  @inline static gather(values: usize, pos: usize, vals: usize, i: usize, keep: usize, kpos: usize): f32 {
    const e = <usize>load<i32>(pos + (i << 2));
    const v = load<f32>(values + (e << 2));
    store<f32>(vals + (i << 2), v);
    if (keep !== 0) store<f32>(keep + ((<usize>load<i32>(kpos + (e << 2))) << 2), v);
    return v;
  }

  /** One 16-column pass over blocks [lo, hi): C[r, t..t+16) at ct + r·ld, B's slice at bt (ldb bytes a row). */
  @inline static pass(
    lo: i32,
    hi: i32,
    blocks: usize,
    idx: usize,
    pos: usize,
    values: usize,
    vals: usize,
    bt: usize,
    ldb: usize,
    ct: usize,
    ld: usize,
    keep: usize,
    kpos: usize,
    first: bool,
  ): void {
    for (let k = lo; k < hi; k++) {
      const bk = blocks + ((<usize>k) << 4);
      const r2 = load<i32>(bk, 4);
      const e1 = load<i32>(bk, 12);
      const o1 = ct + <usize>load<i32>(bk) * ld;
      let a0 = v128.load(o1);
      let a1 = v128.load(o1, 16);
      let a2 = v128.load(o1, 32);
      let a3 = v128.load(o1, 48);
      if (r2 < 0) {
        for (let e = load<i32>(bk, 8); e < e1; e++) {
          const i = (<usize>e) << 1;
          const w = first ? f32x4.splat(Pairs.gather(values, pos, vals, i, keep, kpos)) : v128.load32_splat(vals + (i << 2));
          const p = bt + <usize>load<i32>(idx + ((<usize>e) << 2)) * ldb;
          a0 = Fma.madd(w, v128.load(p), a0);
          a1 = Fma.madd(w, v128.load(p, 16), a1);
          a2 = Fma.madd(w, v128.load(p, 32), a2);
          a3 = Fma.madd(w, v128.load(p, 48), a3);
        }
      } else {
        const o2 = ct + <usize>r2 * ld;
        let b0 = v128.load(o2);
        let b1 = v128.load(o2, 16);
        let b2 = v128.load(o2, 32);
        let b3 = v128.load(o2, 48);
        for (let e = load<i32>(bk, 8); e < e1; e++) {
          const i = (<usize>e) << 1;
          let w1: v128;
          let w2: v128;
          if (first) {
            w1 = f32x4.splat(Pairs.gather(values, pos, vals, i, keep, kpos));
            w2 = f32x4.splat(Pairs.gather(values, pos, vals, i + 1, keep, kpos));
          } else {
            w1 = v128.load32_splat(vals + (i << 2));
            w2 = v128.load32_splat(vals + (i << 2), 4);
          }
          const p = bt + <usize>load<i32>(idx + ((<usize>e) << 2)) * ldb;
          let x = v128.load(p);
          a0 = Fma.madd(w1, x, a0);
          b0 = Fma.madd(w2, x, b0);
          x = v128.load(p, 16);
          a1 = Fma.madd(w1, x, a1);
          b1 = Fma.madd(w2, x, b1);
          x = v128.load(p, 32);
          a2 = Fma.madd(w1, x, a2);
          b2 = Fma.madd(w2, x, b2);
          x = v128.load(p, 48);
          a3 = Fma.madd(w1, x, a3);
          b3 = Fma.madd(w2, x, b3);
        }
        v128.store(o2, b0);
        v128.store(o2, b1, 16);
        v128.store(o2, b2, 32);
        v128.store(o2, b3, 48);
      }
      v128.store(o1, a0);
      v128.store(o1, a1, 16);
      v128.store(o1, a2, 32);
      v128.store(o1, a3, 48);
    }
  }
}

/** Entries of a two-row block that sddmmPairs takes at once (10 dot products, 10 accumulators). */
const SDDMM_GROUP = 5;

/**
 * Blocks [lo, hi) of sddmm over the row-pair layout: out[p] = D[r,:]·H[j,:] + beta·out[p] for
 * each entry (column j) of each block and each of its rows r (p: the entry's CSR position in r,
 * from pos). D is [rows, n], H [cols, n]. Every dot product keeps dot()'s summation order (lanes
 * t mod 8 in two f32x4 sums, the 4-lane remainder in the first, then the 1-3 last terms), so the
 * bits are the row kernel's: a two-row block takes its entries 5 at a time, the first half-lanes
 * of all 10 dot products in one sweep over the batch, then the second (10 accumulators, 2 rows of
 * D and 5 of H a step: one load of H per two multiply-adds), the 20 partial sums parked in
 * scratch (320 bytes, one per thread) between the sweeps and, when n is a multiple of 4, summed
 * 4 at a time (sums10, hsum4: 9 vector operations for 4 sums where hsum takes 3 lane extracts and
 * 3 adds for one); the last 2-4 entries of a block as a group of 5 with its last row repeated; a
 * last single entry and single-row blocks one dot() each.
 */
export function sddmmPairs(
  lo: i32,
  hi: i32,
  blocks: usize,
  idx: usize,
  pos: usize,
  n: i32,
  d: usize,
  h: usize,
  beta: f32,
  out: usize,
  scratch: usize,
): void {
  const ld = (<usize>n) << 2;
  const whole = (n & 3) === 0;
  for (let k = lo; k < hi; k++) {
    const bk = blocks + ((<usize>k) << 4);
    const r2 = load<i32>(bk, 4);
    const s1 = d + <usize>load<i32>(bk) * ld;
    const s2 = d + <usize>r2 * ld;
    const e1 = load<i32>(bk, 12);
    let e = load<i32>(bk, 8);
    if (r2 >= 0) {
      // the last 2-4 entries as a group too, its missing rows repeating the last (their sums unused)
      for (; e + 2 <= e1; e += SDDMM_GROUP) {
        const m = min(SDDMM_GROUP, e1 - e);
        const ip = idx + ((<usize>e) << 2);
        const g0 = h + <usize>load<i32>(ip) * ld;
        const g1 = h + <usize>load<i32>(ip, 4) * ld;
        const g2 = h + <usize>load<i32>(ip + ((<usize>min(2, m - 1)) << 2)) * ld;
        const g3 = h + <usize>load<i32>(ip + ((<usize>min(3, m - 1)) << 2)) * ld;
        const g4 = h + <usize>load<i32>(ip + ((<usize>(m - 1)) << 2)) * ld;
        // first halves (with the 4-lane remainder, as dot() adds it to its first sum), then second halves
        sweeps(s1, s2, g0, g1, g2, g3, g4, n, scratch);
        const pp = pos + ((<usize>e) << 3);
        if (whole) {
          // no 1-3 last terms: the 10 sums at once (4 + 4 + 2 lanes), then stored
          sums10(scratch);
          for (let i = 0; i < m; i++) {
            const q = (<usize>i) << 2;
            putSum(out + ((<usize>load<i32>(pp + (q << 1))) << 2), load<f32>(scratch + q), beta);
            putSum(out + ((<usize>load<i32>(pp + (q << 1), 4)) << 2), load<f32>(scratch + 32 + q), beta);
          }
          continue;
        }
        const tail = n & ~3;
        for (let i = 0; i < 2 * m; i++) {
          const q = (<usize>i) << 4;
          let s = hsum(f32x4.add(v128.load(scratch + q), v128.load(scratch + 160 + q)));
          const sr = i & 1 ? s2 : s1;
          const g = h + <usize>load<i32>(ip + ((<usize>(i >> 1)) << 2)) * ld;
          for (let t = tail; t < n; t++) s += load<f32>(sr + ((<usize>t) << 2)) * load<f32>(g + ((<usize>t) << 2));
          putSum(out + ((<usize>load<i32>(pp + ((<usize>i) << 2))) << 2), s, beta);
        }
      }
    }
    for (; e < e1; e++) {
      const g = h + <usize>load<i32>(idx + ((<usize>e) << 2)) * ld;
      const pp = pos + ((<usize>e) << 3);
      putSum(out + ((<usize>load<i32>(pp)) << 2), dot(s1, g, n), beta);
      if (r2 >= 0) putSum(out + ((<usize>load<i32>(pp, 4)) << 2), dot(s2, g, n), beta);
    }
  }
}

/**
 * The 10 dot products of a group from the two sweeps' partial sums at scratch (first halves at
 * 0..160, second at 160..320; entry k's with row 1 at 32k, with row 2 at 32k + 16), each as dot()
 * ends when n is a multiple of 4: hsum(first + second). Writes row 1's 5 sums at scratch + 0..20
 * and row 2's at scratch + 32..52, over the partial sums already read.
 */
function sums10(scratch: usize): void {
  const a0 = f32x4.add(v128.load(scratch), v128.load(scratch, 160));
  const b0 = f32x4.add(v128.load(scratch, 16), v128.load(scratch, 176));
  const a1 = f32x4.add(v128.load(scratch, 32), v128.load(scratch, 192));
  const b1 = f32x4.add(v128.load(scratch, 48), v128.load(scratch, 208));
  const a2 = f32x4.add(v128.load(scratch, 64), v128.load(scratch, 224));
  const b2 = f32x4.add(v128.load(scratch, 80), v128.load(scratch, 240));
  const a3 = f32x4.add(v128.load(scratch, 96), v128.load(scratch, 256));
  const b3 = f32x4.add(v128.load(scratch, 112), v128.load(scratch, 272));
  const a4 = f32x4.add(v128.load(scratch, 128), v128.load(scratch, 288));
  const b4 = f32x4.add(v128.load(scratch, 144), v128.load(scratch, 304));
  const last = hsum4(a4, a4, b4, b4);
  v128.store(scratch, hsum4(a0, a1, a2, a3));
  store<f32>(scratch, f32x4.extract_lane(last, 0), 16);
  v128.store(scratch, hsum4(b0, b1, b2, b3), 32);
  store<f32>(scratch, f32x4.extract_lane(last, 2), 48);
}

/** Stores s (+ beta·old) at o. */
function putSum(o: usize, s: f32, beta: f32): void {
  store<f32>(o, beta === 0 ? s : s + beta * load<f32>(o));
}

/**
 * The two sweeps of a group (see Sweep.half) in one call, the first halves' 10 partial sums to
 * scratch, the second halves' to scratch + 160: one call a group instead of two (3-4% of the
 * kernel's time at batch 64-128).
 */
function sweeps(s1: usize, s2: usize, g0: usize, g1: usize, g2: usize, g3: usize, g4: usize, n: i32, scratch: usize): void {
  Sweep.half(s1, s2, g0, g1, g2, g3, g4, n, 0, scratch);
  Sweep.half(s1, s2, g0, g1, g2, g3, g4, n, 4, scratch + 160);
}

// biome-ignore lint/complexity/noStaticOnlyClass: AssemblyScript inlines static methods on request (@inline), free functions it cannot
class Sweep {
  /**
   * One half of the 10 dot products of sddmmPairs: lanes t0 + 8m .. t0 + 8m + 3 of every full 8-lane
   * step (and, for t0 = 0, the 4-lane remainder after them), of rows s1, s2 against g0..g4. Stores
   * the 10 sums at dst: entry k's with s1 at 32k, with s2 at 32k + 16.
   */
  @inline static half(s1: usize, s2: usize, g0: usize, g1: usize, g2: usize, g3: usize, g4: usize, n: i32, t0: i32, dst: usize): void {
    let a0 = f32x4.splat(0);
    let b0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let b1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let b2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    let b3 = f32x4.splat(0);
    let a4 = f32x4.splat(0);
    let b4 = f32x4.splat(0);
    // steps at t0, t0 + 8, ... while the 8-lane step they belong to fits; then (t0 = 0) the remainder
    const end = (n & ~7) + (t0 === 0 ? n & 4 : 0);
    for (let t = t0; t < end; t += 8) {
      const q = (<usize>t) << 2;
      const x = v128.load(s1 + q);
      const y = v128.load(s2 + q);
      let g = v128.load(g0 + q);
      a0 = Fma.madd(x, g, a0);
      b0 = Fma.madd(y, g, b0);
      g = v128.load(g1 + q);
      a1 = Fma.madd(x, g, a1);
      b1 = Fma.madd(y, g, b1);
      g = v128.load(g2 + q);
      a2 = Fma.madd(x, g, a2);
      b2 = Fma.madd(y, g, b2);
      g = v128.load(g3 + q);
      a3 = Fma.madd(x, g, a3);
      b3 = Fma.madd(y, g, b3);
      g = v128.load(g4 + q);
      a4 = Fma.madd(x, g, a4);
      b4 = Fma.madd(y, g, b4);
    }
    v128.store(dst, a0);
    v128.store(dst, b0, 16);
    v128.store(dst, a1, 32);
    v128.store(dst, b1, 48);
    v128.store(dst, a2, 64);
    v128.store(dst, b2, 80);
    v128.store(dst, a3, 96);
    v128.store(dst, b3, 112);
    v128.store(dst, a4, 128);
    v128.store(dst, b4, 144);
  }
}
