import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { CsrStructure, KernelFlavour } from '../../src/engine/index.js';
import { assertSameBits, KernelFixture } from './kernel-fixture.js';

// sddmm takes the non-zeros in blocks of columns when H is larger than its block (512 KB): at
// batch 1024 a block is 128 columns, so a 700-column layer runs in 6 blocks. Each non-zero is a
// whole dot product, so the blocks change no bit: the blocked result must equal the unblocked one
// (the same kernel told the layer has 1 column, which disables the blocks) exactly, on sorted and
// on unsorted rows, and both must match the reference backend.
for (const kernels of ['plain', 'relaxed'] as KernelFlavour[]) {
  for (const threads of [1, 2]) {
    describe(`sddmm column blocks, ${kernels} kernels, ${threads} thread(s)`, () => {
      const f = new KernelFixture(threads, 11, undefined, kernels);
      after(() => f.dispose());
      const [rows, cols, n] = [90, 700, 1024];
      const a = f.csr(rows, cols, 0.2, true);
      const d = f.rand(rows * n);
      const h = f.rand(cols * n);

      test('matches the reference backend, beta 0 and 1', () => {
        for (const beta of [0, 1]) {
          f.compare(`sddmm blocks beta=${beta}`, [[f.rand(a.nnz), a.nnz]], (be, [o]) => be.sddmm(a, n, d, h, beta, o));
        }
      });

      test('gives the bits of the unblocked kernel', () => {
        const blocked = f.rand(a.nnz);
        const whole = f.copy(blocked, a.nnz);
        f.wasm.sddmm(a, n, d, h, 1, blocked);
        f.wasm.sddmm({ ...a, cols: 1 }, n, d, h, 1, whole);
        assertSameBits(f.read(blocked, a.nnz), f.read(whole, a.nnz), 'blocked vs unblocked');
      });

      test('takes every non-zero once when a row is not sorted by column', () => {
        // the same matrix with each row's non-zeros in reverse column order
        const ptr = f.arena.i32(a.rowPtr, rows + 1);
        const idx = f.arena.i32(a.colIdx, a.nnz);
        const revIdx = f.arena.alloc(a.nnz * 4);
        const rev = f.arena.i32(revIdx, a.nnz);
        for (let r = 0; r < rows; r++) {
          for (let e = ptr[r]; e < ptr[r + 1]; e++) rev[e] = idx[ptr[r] + ptr[r + 1] - 1 - e];
        }
        const unsorted: CsrStructure = { ...a, colIdx: revIdx };
        const sorted = f.rand(a.nnz);
        const reversed = f.rand(a.nnz);
        f.wasm.sddmm(a, n, d, h, 0, sorted);
        f.wasm.sddmm(unsorted, n, d, h, 0, reversed);
        const [s, q] = [f.read(sorted, a.nnz), f.read(reversed, a.nnz)];
        const p = f.arena.i32(a.rowPtr, rows + 1);
        for (let r = 0; r < rows; r++) {
          for (let e = p[r]; e < p[r + 1]; e++) assert.ok(Object.is(q[e], s[p[r] + p[r + 1] - 1 - e]), `row ${r} entry ${e}`);
        }
      });
    });
  }
}
