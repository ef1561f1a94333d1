import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { CsrStructure, KernelFlavour } from '../../src/engine/index.js';
import { assertSameBits, KERNEL_CASES, KernelFixture } from './kernel-fixture.js';

// sddmm gathers the rows of the smaller of D [rows, n] and H [cols, n]: through the CSR when
// rows >= cols (H gathered), through the CSC view when rows < cols (D gathered, results stored
// through the value permutation). When the gathered matrix passes its block (512 KB) the non-zeros
// are taken in blocks of gathered rows: at batch 1024 a block is 128 rows. Each non-zero is one
// whole dot product and a·b = b·a in IEEE arithmetic, so neither the view nor the blocks change
// a bit: every way must give the same bits (the kernel told the layer has 1 column or 1 row takes
// the other view, unblocked), on sorted and on unsorted rows and columns, and match the reference.
const n = 1024;
const views = [
  // [name, rows, cols]: which view the backend takes, and the gathered matrix's blocks
  ['CSR view (H gathered, 3 blocks)', 320, 300],
  ['CSC view (D gathered, 2 blocks)', 200, 700],
] as const;

for (const kernels of ['plain', 'relaxed'] as KernelFlavour[]) {
  for (const threads of [1, 2]) {
    for (const [name, rows, cols] of views) {
      describe(`sddmm ${name}, ${kernels} kernels, ${threads} thread(s)`, () => {
        const f = new KernelFixture(threads, 11, undefined, kernels);
        after(() => f.dispose());
        const a = f.csr(rows, cols, 0.2, true);
        const d = f.rand(rows * n);
        const h = f.rand(cols * n);

        test('matches the reference backend, beta 0 and 1', () => {
          for (const beta of [0, 1]) {
            f.compare(`sddmm ${rows}x${cols} beta=${beta}`, [[f.rand(a.nnz), a.nnz]], (be, [o]) => be.sddmm(a, n, d, h, beta, o));
          }
        });

        test('gives the bits of both unblocked views', () => {
          const blocked = f.rand(a.nnz);
          const csr = f.copy(blocked, a.nnz);
          const csc = f.copy(blocked, a.nnz);
          f.wasm.sddmm(a, n, d, h, 1, blocked);
          f.wasm.sddmm({ ...a, cols: 1 }, n, d, h, 1, csr);
          f.wasm.sddmm({ ...a, rows: 1 }, n, d, h, 1, csc);
          assertSameBits(f.read(blocked, a.nnz), f.read(csr, a.nnz), 'blocked vs unblocked CSR view');
          assertSameBits(f.read(blocked, a.nnz), f.read(csc, a.nnz), 'blocked vs unblocked CSC view');
        });

        test('takes every non-zero once when some rows or columns are not sorted', () => {
          // the same matrix with every other row's non-zeros in reverse column order (CSR), and
          // every other column's entries in reverse row order (CSC, the permutation reversed with
          // them): the blocked kernel walks ascending rows with a cursor per row and scans the
          // others whole for each block, both in one call
          const reversed = (r: number) => r % 2 === 1;
          const reverse = (ptrOf: number, count: number, ...arrays: number[]) => {
            const ptr = f.arena.i32(ptrOf, count + 1);
            return arrays.map((src) => {
              const from = f.arena.i32(src, a.nnz);
              const to = f.arena.alloc(a.nnz * 4);
              const out = f.arena.i32(to, a.nnz);
              for (let r = 0; r < count; r++) {
                for (let e = ptr[r]; e < ptr[r + 1]; e++) out[e] = from[reversed(r) ? ptr[r] + ptr[r + 1] - 1 - e : e];
              }
              return to;
            });
          };
          const [revIdx] = reverse(a.rowPtr, rows, a.colIdx);
          const [revRow, revPerm] = reverse(a.cscPtr, cols, a.cscRow, a.cscPerm);
          const byRow: CsrStructure = { ...a, colIdx: revIdx };
          const byCol: CsrStructure = { ...a, cscRow: revRow, cscPerm: revPerm };
          const sorted = f.rand(a.nnz);
          const rowsReversed = f.rand(a.nnz);
          const colsReversed = f.rand(a.nnz);
          f.wasm.sddmm(a, n, d, h, 0, sorted);
          f.wasm.sddmm(rows >= cols ? byRow : byCol, n, d, h, 0, rows >= cols ? rowsReversed : colsReversed);
          const s = f.read(sorted, a.nnz);
          if (rows >= cols) {
            // results land in storage order: a reversed row's entries come out reversed
            const q = f.read(rowsReversed, a.nnz);
            const p = f.arena.i32(a.rowPtr, rows + 1);
            for (let r = 0; r < rows; r++) {
              for (let e = p[r]; e < p[r + 1]; e++) {
                assert.ok(Object.is(q[e], s[reversed(r) ? p[r] + p[r + 1] - 1 - e : e]), `row ${r} entry ${e}`);
              }
            }
          } else {
            // results land through the permutation, reversed with the rows: the same array
            assertSameBits(f.read(colsReversed, a.nnz), s, 'columns reversed vs sorted');
          }
        });
      });
    }
  }
}

// The blocked kernel keeps a cursor per row in a buffer the backend grows to the layer's rows. At
// batch 1 a block is 131,072 rows of H, so 300,000 x 140,000 with two non-zeros per row (one in
// each block, in either order) takes two blocks over far more rows than any layer above.
for (const [kernels, threads] of KERNEL_CASES) {
  test(`sddmm over 300,000 rows in 2 blocks, rows in either order, ${kernels} kernels, ${threads} thread(s)`, () => {
    const f = new KernelFixture(threads, 5, undefined, kernels);
    try {
      const [rows, cols] = [300_000, 140_000];
      const ptr = f.arena.alloc((rows + 1) * 4);
      const idx = f.arena.alloc(rows * 2 * 4);
      const p = f.arena.i32(ptr, rows + 1);
      const c = f.arena.i32(idx, rows * 2);
      for (let r = 0; r <= rows; r++) p[r] = 2 * r;
      for (let r = 0; r < rows; r++) {
        const [lo, hi] = [(r * 7) % 131_072, 131_072 + (r % (cols - 131_072))];
        // odd rows descend, even rows ascend
        c[2 * r] = r % 2 === 1 ? hi : lo;
        c[2 * r + 1] = r % 2 === 1 ? lo : hi;
      }
      const a: CsrStructure = { rows, cols, nnz: 2 * rows, rowPtr: ptr, colIdx: idx, cscPtr: 0, cscRow: 0, cscPerm: 0 };
      const d = f.rand(rows);
      const h = f.rand(cols);
      // one product per non-zero: the reference's f64 product rounded once is the kernel's f32 product
      const mine = f.rand(a.nnz);
      const theirs = f.rand(a.nnz);
      f.wasm.sddmm(a, 1, d, h, 0, mine);
      f.ref.sddmm(a, 1, d, h, 0, theirs);
      assertSameBits(f.read(mine, a.nnz), f.read(theirs, a.nnz), 'wasm vs reference');
    } finally {
      f.dispose();
    }
  });
}
