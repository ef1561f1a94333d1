// Packing of GEMM operands into the micro-kernel's panel layouts (zero-padded, so the
// micro-kernel always runs a full MR x NR tile):
//   A strip: MR rows x kc, stored p-major: strip[p*MR + r] = op(A)[i0 + r, p0 + p]
//   B strip: kc x NR cols, stored p-major: strip[p*NR + c] = op(B)[p0 + p, j0 + c]
import { Block4 } from './lanes';

/** Rows of C per micro-tile. */
export const MR = 4;
/** Columns of C per micro-tile (two f32x4). */
export const NR = 8;

/** Packs rows [i0, i0+mc) x k-range [p0, p0+kc) of op(A) into MR-row strips at dst; A is [m,k], or [k,m] when transA. */
export function packA(transA: bool, a: usize, m: i32, k: i32, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  for (let s = 0; s < mc; s += MR) {
    const rows = min(MR, mc - s);
    const out = dst + <usize>(s * kc) * 4;
    const i = i0 + s;
    if (transA) {
      // op(A)[i+r, p] = a[p*m + i + r]: MR contiguous floats per p
      const src = a + ((<usize>p0 * <usize>m + <usize>i) << 2);
      const ld = (<usize>m) << 2;
      if (rows === MR) {
        for (let p = 0; p < kc; p++) v128.store(out + ((<usize>p) << 4), v128.load(src + <usize>p * ld));
      } else {
        for (let p = 0; p < kc; p++) {
          for (let r = 0; r < MR; r++)
            store<f32>(out + ((<usize>(p * MR + r)) << 2), r < rows ? load<f32>(src + <usize>p * ld + ((<usize>r) << 2)) : 0);
        }
      }
    } else {
      // op(A)[i+r, p] = a[(i+r)*k + p]: MR rows read 4 floats at a time, transposed in registers
      const src = a + ((<usize>i * <usize>k + <usize>p0) << 2);
      const ld = (<usize>k) << 2;
      let p = 0;
      if (rows === MR) {
        for (; p + 4 <= kc; p += 4) {
          Block4.move(src + ((<usize>p) << 2), ld, out + ((<usize>p) << 4), 16);
        }
      }
      for (; p < kc; p++) {
        for (let r = 0; r < MR; r++)
          store<f32>(out + ((<usize>(p * MR + r)) << 2), r < rows ? load<f32>(src + <usize>r * ld + ((<usize>p) << 2)) : 0);
      }
    }
  }
}

/** Packs k-range [p0, p0+kc) x columns [j0, j0+nc) of op(B) into NR-column strips at dst; B is [k,n], or [n,k] when transB. */
export function packB(transB: bool, b: usize, n: i32, k: i32, j0: i32, nc: i32, p0: i32, kc: i32, dst: usize): void {
  for (let s = 0; s < nc; s += NR) {
    const cols = min(NR, nc - s);
    const out = dst + <usize>(s * kc) * 4;
    const j = j0 + s;
    if (!transB) {
      // op(B)[p, j+c] = b[p*n + j + c]: NR contiguous floats per p
      const src = b + ((<usize>p0 * <usize>n + <usize>j) << 2);
      const ld = (<usize>n) << 2;
      if (cols === NR) {
        for (let p = 0; p < kc; p++) {
          const q = src + <usize>p * ld;
          const o = out + ((<usize>p) << 5);
          v128.store(o, v128.load(q));
          v128.store(o, v128.load(q, 16), 16);
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let c = 0; c < NR; c++)
            store<f32>(out + ((<usize>(p * NR + c)) << 2), c < cols ? load<f32>(src + <usize>p * ld + ((<usize>c) << 2)) : 0);
        }
      }
    } else {
      // op(B)[p, j+c] = b[(j+c)*k + p]: NR rows read 4 floats at a time, two 4x4 transposes
      const src = b + ((<usize>j * <usize>k + <usize>p0) << 2);
      const ld = (<usize>k) << 2;
      let p = 0;
      if (cols === NR) {
        for (; p + 4 <= kc; p += 4) {
          const o = out + ((<usize>p) << 5);
          for (let h = 0; h < 2; h++) Block4.move(src + <usize>(h * 4) * ld + ((<usize>p) << 2), ld, o + ((<usize>h) << 4), 32);
        }
      }
      for (; p < kc; p++) {
        for (let c = 0; c < NR; c++)
          store<f32>(out + ((<usize>(p * NR + c)) << 2), c < cols ? load<f32>(src + <usize>c * ld + ((<usize>p) << 2)) : 0);
      }
    }
  }
}
