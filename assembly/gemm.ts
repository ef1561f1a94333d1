// Dense GEMM: C = alpha·op(A)·op(B) + beta·C, blocked Goto-style. For each NC-column panel and
// KC-deep slice, B is packed once (KC x NC), then each MC-row block of A is packed (MC x KC) and
// swept by a 4x8 register-blocked micro-kernel (8 f32x4 accumulators). Every C element sums its
// k terms in the same order whatever the [i0,i1) x [j0,j1) sub-range, so splits between threads
// give bit-identical results.
import { Fma } from './lanes';
import { MR, NR, packA, packB } from './pack';

const KC = 256;
const MC = 128;
const NC = 1024;

/** Floats of scratch one gemm call needs: the packed B panel, the packed A block and a 4x8 tile. */
export function gemmScratchFloats(): i32 {
  return KC * NC + MC * KC + MR * NR;
}

/** C[i,j] = alpha·Σ_p op(A)[i,p]·op(B)[p,j] + beta·C[i,j] for i in [i0,i1), j in [j0,j1); scratch from gemmScratchFloats. */
export function gemm(
  i0: i32,
  i1: i32,
  j0: i32,
  j1: i32,
  scratch: usize,
  transA: bool,
  transB: bool,
  m: i32,
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  b: usize,
  beta: f32,
  c: usize,
): void {
  if (k === 0) {
    scaleBlock(i0, i1, j0, j1, n, beta, c);
    return;
  }
  const pb = scratch;
  const pa = pb + <usize>(KC * NC) * 4;
  const tile = pa + <usize>(MC * KC) * 4;
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(transB, b, n, k, jc, nc, pc, kc, pb);
      for (let ic = i0; ic < i1; ic += MC) {
        const mc = min(MC, i1 - ic);
        packA(transA, a, m, k, ic, mc, pc, kc, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const sb = pb + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const sa = pa + <usize>(ir * kc) * 4;
            const cp = c + ((<usize>(ic + ir) * <usize>n + <usize>(jc + jr)) << 2);
            micro(kc, sa, sb, cp, n, min(MR, mc - ir), min(NR, nc - jr), alpha, beta, pc === 0, tile);
          }
        }
      }
    }
  }
}

/** C = beta·C on a block (the k = 0 case); beta = 0 writes zeros even over NaN. */
function scaleBlock(i0: i32, i1: i32, j0: i32, j1: i32, n: i32, beta: f32, c: usize): void {
  for (let i = i0; i < i1; i++) {
    for (let j = j0; j < j1; j++) {
      const p = c + ((<usize>i * <usize>n + <usize>j) << 2);
      store<f32>(p, beta === 0 ? 0 : beta * load<f32>(p));
    }
  }
}

/**
 * One 4x8 tile: acc = Σ_p sa[p]·sb[p] over kc packed steps, then C = alpha·acc + beta·C on the
 * first k-slice or C += alpha·acc on later ones. Partial tiles (mr < 4 or nr < 8) go through `tile`.
 */
function micro(kc: i32, sa: usize, sb: usize, cp: usize, n: i32, mr: i32, nr: i32, alpha: f32, beta: f32, first: bool, tile: usize): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(sb);
    const b1 = v128.load(sb, 16);
    let a = v128.load32_splat(sa);
    c00 = Fma.madd(a, b0, c00);
    c01 = Fma.madd(a, b1, c01);
    a = v128.load32_splat(sa, 4);
    c10 = Fma.madd(a, b0, c10);
    c11 = Fma.madd(a, b1, c11);
    a = v128.load32_splat(sa, 8);
    c20 = Fma.madd(a, b0, c20);
    c21 = Fma.madd(a, b1, c21);
    a = v128.load32_splat(sa, 12);
    c30 = Fma.madd(a, b0, c30);
    c31 = Fma.madd(a, b1, c31);
    sa += 16;
    sb += 32;
  }
  const va = f32x4.splat(alpha);
  const ld = (<usize>n) << 2;
  if (mr === MR && nr === NR) {
    update(cp, f32x4.mul(va, c00), f32x4.mul(va, c01), beta, first);
    update(cp + ld, f32x4.mul(va, c10), f32x4.mul(va, c11), beta, first);
    update(cp + 2 * ld, f32x4.mul(va, c20), f32x4.mul(va, c21), beta, first);
    update(cp + 3 * ld, f32x4.mul(va, c30), f32x4.mul(va, c31), beta, first);
    return;
  }
  v128.store(tile, f32x4.mul(va, c00));
  v128.store(tile, f32x4.mul(va, c01), 16);
  v128.store(tile, f32x4.mul(va, c10), 32);
  v128.store(tile, f32x4.mul(va, c11), 48);
  v128.store(tile, f32x4.mul(va, c20), 64);
  v128.store(tile, f32x4.mul(va, c21), 80);
  v128.store(tile, f32x4.mul(va, c30), 96);
  v128.store(tile, f32x4.mul(va, c31), 112);
  for (let r = 0; r < mr; r++) {
    for (let j = 0; j < nr; j++) {
      const p = cp + <usize>r * ld + ((<usize>j) << 2);
      const v = load<f32>(tile + ((<usize>(r * NR + j)) << 2));
      store<f32>(p, first ? (beta === 0 ? v : v + beta * load<f32>(p)) : load<f32>(p) + v);
    }
  }
}

/** One row of a full tile: 8 floats of C from alpha·acc (lo, hi halves). */
function update(p: usize, lo: v128, hi: v128, beta: f32, first: bool): void {
  if (!first) {
    v128.store(p, f32x4.add(v128.load(p), lo));
    v128.store(p, f32x4.add(v128.load(p, 16), hi), 16);
  } else if (beta === 0) {
    v128.store(p, lo);
    v128.store(p, hi, 16);
  } else {
    const vb = f32x4.splat(beta);
    v128.store(p, f32x4.add(lo, f32x4.mul(vb, v128.load(p))));
    v128.store(p, f32x4.add(hi, f32x4.mul(vb, v128.load(p, 16))), 16);
  }
}
