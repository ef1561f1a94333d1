import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { type CsrStructure, cscPositions, type Ptr } from '../../src/engine/index.js';
import { assertSameBits, KERNEL_CASES, KernelFixture } from './kernel-fixture.js';

// spmm/spmmT take B in chunks of at most 256 rows (24 KB of a packed 24-column slice, in L1)
// when that makes 3 chunks or more, beta = 0 (C carries the sums between chunks) and the rows'
// runs are long enough (44 non-zeros per row and chunk on average): the non-zeros are first copied
// chunk by chunk (the chunk layout), each row's sums carried in C from chunk to chunk. Each lane
// still sums a row's non-zeros in storage order, so the bits are those of the one-pass kernel,
// which beta = 1 on a zero C runs (x + 1·0 = x). Rows out of order fall back to the one pass.
// 600 x 780 at density 0.6 with holes: ~190k non-zeros, spmm in 4 chunks (44·600·4 = 106k needed),
// spmmT in 3 (44·780·3 = 103k); batches cover the 24- and 16-column passes and the tails after them.
const ROWS = 600;
const COLS = 780;
const BATCHES = [25, 56, 60, 256];

for (const [kernels, threads] of KERNEL_CASES) {
  describe(`spmm/spmmT in chunks, ${kernels} kernels, ${threads} thread(s)`, () => {
    const f = new KernelFixture(threads, 5, undefined, kernels);
    after(() => f.dispose());
    const a = f.csr(ROWS, COLS, 0.6, true);
    const v = f.rand(a.nnz);

    /** C = op(A)·B with beta 0 (chunked) and with beta 1 on zeros (one pass); returns both. */
    const both = (run: (beta: number, c: Ptr) => void, len: number): [Float32Array, Float32Array] => {
      const chunked = f.rand(len);
      const onePass = f.arena.alloc(len * 4);
      f.arena.f32(onePass, len).fill(0);
      run(0, chunked);
      run(1, onePass);
      const out: [Float32Array, Float32Array] = [f.read(chunked, len), f.read(onePass, len)];
      for (const p of [chunked, onePass]) f.arena.release(p);
      return out;
    };

    test('the layer is large and dense enough to be chunked, and the backend chunks it', () => {
      assert.ok(a.nnz >= 44 * ROWS * 4 && a.nnz >= 44 * COLS * 3, `nnz ${a.nnz}`);
      // the backend's layout buffers (private; looked at here only to know the chunked path ran):
      // runs for 3 chunks of each of the 780 output rows of spmmT, then 4 of the 600 of spmm
      const buffers = (f.wasm as unknown as { buffers: Record<string, { count: number }> }).buffers;
      assert.equal(buffers.runs.count, 0, 'no layout before the first chunked call');
      const [b, bt] = [f.rand(COLS * 32), f.rand(ROWS * 32)];
      const [c, ct] = [f.rand(ROWS * 32), f.rand(COLS * 32)];
      f.wasm.spmm(a, v, 32, b, 1, c);
      f.wasm.spmmT(a, v, 32, bt, 1, ct);
      f.wasm.spmm(a, v, 24, f.rand(COLS * 24), 0, f.rand(ROWS * 24));
      assert.equal(buffers.runs.count, 0, 'beta = 1, or 24 columns: one pass, no layout');
      f.wasm.spmmT(a, v, 32, bt, 0, ct);
      assert.equal(buffers.runs.count, 2 * COLS * 3, 'spmmT, beta = 0: the layout of 3 chunks');
      f.wasm.spmm(a, v, 32, b, 0, c);
      assert.equal(buffers.runs.count, 2 * ROWS * 4, 'spmm, beta = 0: the layout of 4 chunks');
      assert.equal(buffers.layoutIdx.count, a.nnz);
    });

    test('spmm: the bits of the one-pass kernel, close to the reference', () => {
      for (const n of BATCHES) {
        const b = f.rand(COLS * n);
        const [chunked, onePass] = both((beta, c) => f.wasm.spmm(a, v, n, b, beta, c), ROWS * n);
        assertSameBits(chunked, onePass, `spmm n=${n}`);
        f.compare(`spmm n=${n}`, [[f.rand(ROWS * n), ROWS * n]], (be, [c]) => be.spmm(a, v, n, b, 0, c));
      }
    });

    test('spmmT (values gathered by the layout, or read from a CSC copy): the bits of the one pass', () => {
      const perm = f.arena.i32(a.cscPerm, a.nnz);
      const values = f.arena.f32(v, a.nnz);
      const inCsc = f.arena.alloc(a.nnz * 4);
      f.arena.f32(inCsc, a.nnz).set(Float32Array.from(perm, (e) => values[e]));
      for (const n of BATCHES) {
        const b = f.rand(ROWS * n);
        const [chunked, onePass] = both((beta, c) => f.wasm.spmmT(a, v, n, b, beta, c), COLS * n);
        assertSameBits(chunked, onePass, `spmmT n=${n}`);
        const [fromCopy] = both((beta, c) => f.wasm.spmmT(a, inCsc, n, b, beta, c, 'csc'), COLS * n);
        assertSameBits(fromCopy, onePass, `spmmT from the CSC copy n=${n}`);
        f.compare(`spmmT n=${n}`, [[f.rand(COLS * n), COLS * n]], (be, [c]) => be.spmmT(a, v, n, b, 0, c));
      }
    });

    test("spmm's CSC copy (keep) holds the values in CSC order when chunked", () => {
      const n = 56;
      const b = f.rand(COLS * n);
      const keep = { values: f.arena.alloc(a.nnz * 4), pos: f.arena.alloc(a.nnz * 4) };
      f.arena.f32(keep.values, a.nnz).fill(Number.NaN);
      cscPositions(f.arena, a, keep.pos);
      const [withKeep] = both((beta, c) => f.wasm.spmm(a, v, n, b, beta, c, beta === 0 ? keep : undefined), ROWS * n);
      const [without] = both((beta, c) => f.wasm.spmm(a, v, n, b, beta, c), ROWS * n);
      assertSameBits(withKeep, without, 'spmm with keep');
      const values = f.read(v, a.nnz);
      const perm = f.arena.i32(a.cscPerm, a.nnz);
      assertSameBits(
        f.read(keep.values, a.nnz),
        Float32Array.from(perm, (e) => values[e]),
        'the copy',
      );
    });

    test('rows out of order fall back to the one pass (any row, the last one too)', () => {
      const n = 56;
      const b = f.rand(COLS * n);
      const ptr = f.arena.i32(a.rowPtr, ROWS + 1);
      // reversed: every other row of one thread's half; then only the very last row
      for (const reversed of [(r: number) => r % 2 === 1 && r >= ROWS / 2, (r: number) => r === ROWS - 1]) {
        const idx = f.arena.alloc(a.nnz * 4);
        const from = f.arena.i32(a.colIdx, a.nnz);
        const to = f.arena.i32(idx, a.nnz);
        for (let r = 0; r < ROWS; r++) {
          for (let e = ptr[r]; e < ptr[r + 1]; e++) to[e] = from[reversed(r) ? ptr[r] + ptr[r + 1] - 1 - e : e];
        }
        const mixed: CsrStructure = { ...a, colIdx: idx };
        const [chunked, onePass] = both((beta, c) => f.wasm.spmm(mixed, v, n, b, beta, c), ROWS * n);
        assertSameBits(chunked, onePass, 'spmm on unsorted rows');
        f.compare('spmm on unsorted rows', [[f.rand(ROWS * n), ROWS * n]], (be, [c]) => be.spmm(mixed, v, n, b, 0, c));
        f.arena.release(idx);
      }
    });
  });
}
