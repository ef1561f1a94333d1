import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { CsrStructure, KernelFlavour } from '../../src/engine/index.js';
import { assertSameBits, KernelFixture } from './kernel-fixture.js';

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

        test('takes every non-zero once when a row or a column is not sorted', () => {
          // the same matrix with each row's non-zeros in reverse column order (CSR), and with each
          // column's entries in reverse row order (CSC, the permutation reversed with them)
          const reverse = (ptrOf: number, count: number, ...arrays: number[]) => {
            const ptr = f.arena.i32(ptrOf, count + 1);
            return arrays.map((src) => {
              const from = f.arena.i32(src, a.nnz);
              const to = f.arena.alloc(a.nnz * 4);
              const out = f.arena.i32(to, a.nnz);
              for (let r = 0; r < count; r++) {
                for (let e = ptr[r]; e < ptr[r + 1]; e++) out[e] = from[ptr[r] + ptr[r + 1] - 1 - e];
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
            // results land in storage order: row r's entries come out reversed
            const q = f.read(rowsReversed, a.nnz);
            const p = f.arena.i32(a.rowPtr, rows + 1);
            for (let r = 0; r < rows; r++) {
              for (let e = p[r]; e < p[r + 1]; e++) assert.ok(Object.is(q[e], s[p[r] + p[r + 1] - 1 - e]), `row ${r} entry ${e}`);
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
