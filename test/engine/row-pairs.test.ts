import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Arena, buildCsr, createEngine, createWasmBackend, type OwnedCsr, type Ptr, Rng } from '../../src/engine/index.js';
import { PAIR_BLOCK_LEAST, PAIR_COVERAGE, type RowPairs } from '../../src/engine/row-pairs.js';
import { SDDMM_PAIR_LEAST } from '../../src/engine/wasm/wasm-backend.js';
import { splitNeurons } from '../../src/index.js';
import { MLP } from '../../src/nn/index.js';
import { assertSameBits, KERNEL_CASES, KernelFixture } from './kernel-fixture.js';

// The row-pair layout (src/engine/row-pairs.ts) and spmm over it (assembly/pairs.ts). An FPE-split
// layer's rows come in groups (a parent's children, disjoint supports); two groups that cover the
// same columns pair every non-zero: block (a, b) holds the columns of child a of one parent that
// child b of the next parent also has, so one load of B's row serves two rows.

/**
 * The mask of `parents` FPE parents of `alpha` children each over `cols` inputs: parent p holds a
 * random `support` fraction of the columns (1: all), dealt at random to its children.
 */
function fpeMask(rng: Rng, parents: number, alpha: number, cols: number, support = 1): Uint8Array {
  const m = new Uint8Array(parents * alpha * cols);
  for (let p = 0; p < parents; p++) {
    const order = rng.shuffle(Int32Array.from({ length: cols }, (_, j) => j));
    const held = Math.round(support * cols);
    for (let i = 0; i < held; i++) m[(p * alpha + (i % alpha)) * cols + order[i]] = 1;
  }
  return m;
}

/** The layout's blocks as objects, with their entries' columns and CSR positions. */
function blocksOf(arena: Arena, p: RowPairs): Array<{ r1: number; r2: number; cols: number[]; pos: number[][] }> {
  const b = arena.i32(p.blocks, 4 * p.blockCount);
  const idx = arena.i32(p.idx, p.entries);
  const pos = arena.i32(p.pos, 2 * p.entries);
  return Array.from({ length: p.blockCount }, (_, k) => {
    const [r1, r2, e0, e1] = b.subarray(4 * k, 4 * k + 4);
    const es = Array.from({ length: e1 - e0 }, (_, i) => e0 + i);
    return { r1, r2, cols: es.map((e) => idx[e]), pos: es.map((e) => [pos[2 * e], pos[2 * e + 1]]) };
  });
}

/** Asserts the layout covers every non-zero of `a` exactly once, in ascending columns per block, and splits at a group pair. */
function checkLayout(arena: Arena, a: OwnedCsr, p: RowPairs): void {
  const rowPtr = arena.i32(a.rowPtr, a.rows + 1);
  const colIdx = arena.i32(a.colIdx, a.nnz);
  const seen = new Uint8Array(a.nnz);
  const inRow = (e: number, r: number) => e >= rowPtr[r] && e < rowPtr[r + 1];
  const blocks = blocksOf(arena, p);
  blocks.forEach((blk, k) => {
    assert.ok(blk.cols.length > 0, `block ${k} is empty`);
    blk.cols.forEach((j, i) => {
      if (i > 0) assert.ok(j > blk.cols[i - 1], `block ${k}: columns ascend`);
      const [e1, e2] = blk.pos[i];
      assert.ok(inRow(e1, blk.r1) && colIdx[e1] === j, `block ${k} entry ${i}: r1's non-zero at column ${j}`);
      seen[e1]++;
      if (blk.r2 < 0) assert.equal(e2, -1);
      else {
        assert.ok(inRow(e2, blk.r2) && colIdx[e2] === j, `block ${k} entry ${i}: r2's non-zero at column ${j}`);
        seen[e2]++;
      }
    });
    // the thread split: blocks before midBlock write rows below midRow only, the others rows from it on
    for (const r of [blk.r1, blk.r2].filter((r) => r >= 0)) assert.equal(r < p.midRow, k < p.midBlock, `block ${k} row ${r}`);
  });
  assert.deepEqual([...new Set(seen)], a.nnz === 0 ? [] : [1], 'every non-zero exactly once');
  const two = blocks.filter((b) => b.r2 >= 0);
  assert.equal(p.pairMean, two.reduce((s, b) => s + b.cols.length, 0) / two.length, 'pairMean: mean entries of the two-row blocks');
}

describe('row-pair layout', () => {
  const arena = new Arena();
  const rng = new Rng(11);

  test('an FPE split over full supports pairs every non-zero, 16 blocks per parent pair at alpha 4', () => {
    const a = buildCsr(arena, 16 * 4, 200, fpeMask(rng, 16, 4, 200));
    assert.ok(a.pairs, 'paired');
    checkLayout(arena, a, a.pairs);
    assert.equal(a.pairs.entries, a.nnz / 2);
    assert.equal(a.pairs.blockCount, 8 * 16);
    const blocks = blocksOf(arena, a.pairs);
    assert.ok(blocks.every((b) => b.r2 >= 0));
    // parent pair 0: rows 0-3 with rows 4-7, in the order (0,4), (0,5), ..., (3,7)
    assert.deepEqual(
      blocks.slice(0, 16).map((b) => [b.r1, b.r2]),
      [0, 1, 2, 3].flatMap((r) => [4, 5, 6, 7].map((s) => [r, s])),
    );
    assert.equal(a.pairs.midRow, 32, 'the second thread starts at parent pair 4 (rows 32-39)');
    a.dispose();
  });

  test('partial supports and an odd parent count: the rest in single-row blocks, still every non-zero once', () => {
    const a = buildCsr(arena, 15 * 3, 300, fpeMask(rng, 15, 3, 300, 0.95));
    assert.ok(a.pairs, 'paired');
    checkLayout(arena, a, a.pairs);
    const blocks = blocksOf(arena, a.pairs);
    assert.ok(
      blocks.some((b) => b.r2 < 0 && b.r1 < 42),
      'singles inside parent pairs',
    );
    assert.ok(
      blocks.filter((b) => b.r1 >= 42).every((b) => b.r2 < 0),
      'the 15th parent (rows 42-44) has no partner: single-row blocks',
    );
    a.dispose();
  });

  test('no layout where it would not pay: random masks, short blocks, an empty mask', () => {
    const random = new Uint8Array(64 * 200).map(() => (rng.float() < 0.3 ? 1 : 0));
    const short = fpeMask(rng, 16, 8, 64); // 8 x 8 blocks of 1 entry per parent pair
    const cases: Array<[string, number, number, Uint8Array]> = [
      ['random at 0.3', 64, 200, random],
      [`blocks shorter than ${PAIR_BLOCK_LEAST}`, 128, 64, short],
      ['empty', 8, 8, new Uint8Array(64)],
    ];
    for (const [what, rows, cols, m] of cases) {
      const a = buildCsr(arena, rows, cols, m);
      assert.equal(a.pairs, null, what);
      a.dispose();
    }
    // near-dense rows pair with their neighbours: coverage = density >= PAIR_COVERAGE
    const dense = buildCsr(
      arena,
      64,
      200,
      new Uint8Array(64 * 200).map(() => (rng.float() < 0.95 ? 1 : 0)),
    );
    assert.ok(dense.pairs && 0.95 >= PAIR_COVERAGE, 'near-dense: paired');
    checkLayout(arena, dense, dense.pairs);
    dense.dispose();
    // not looked for when asked not to: the same FPE mask that pairs above
    const before = arena.bytesInUse;
    const off = buildCsr(arena, 16 * 4, 200, fpeMask(rng, 16, 4, 200), { pairs: false });
    assert.equal(off.pairs, null, 'pairs: false');
    off.dispose();
    assert.equal(arena.bytesInUse, before);
  });

  test('layers on the dense path build no layout; the split layer of an FPE model on the CSR path does', () => {
    const engine = createEngine({ backend: 'ref' });
    // a dense mask pairs fully (every row with its neighbour), but the dense path never reads it
    const model = MLP.create({ sizes: [64, 32, 3], activation: 'relu', seed: 1 }, engine);
    const dense = model.layers.map((l) => (l as unknown as { csr: OwnedCsr; path: string }).path);
    assert.deepEqual(dense, ['dense', 'dense']);
    for (const l of model.layers) assert.equal((l as unknown as { csr: OwnedCsr }).csr.pairs, null);
    const masked = buildCsr(engine.arena, 32, 64, new Uint8Array(32 * 64).fill(1));
    assert.ok(masked.pairs, 'the same dense mask, asked: paired');
    masked.dispose();
    model.dispose();
    engine.dispose();
  });

  test('dispose frees the layout with the structure', () => {
    const before = arena.bytesInUse;
    const a = buildCsr(arena, 8 * 4, 400, fpeMask(rng, 8, 4, 400));
    assert.ok(a.pairs);
    a.dispose();
    assert.equal(arena.bytesInUse, before);
  });

  test('an FPE split of a trained MLP gets the layout in its split layer', () => {
    const engine = createEngine({ backend: 'ref' });
    const model = MLP.create({ sizes: [200, 8, 3], activation: 'relu', seed: 1 }, engine);
    const { model: wide } = splitNeurons(model, { alpha: 4, strategy: 'random', seed: 2 });
    const csr = (wide.layers[0] as unknown as { csr: OwnedCsr }).csr;
    assert.ok(csr.pairs, 'the 32 x 200 split layer is paired');
    // the split restores the non-zero budget by pruning a few of the children's weights: those
    // columns' partners sit in single-row blocks
    const paired = blocksOf(engine.arena, csr.pairs).reduce((s, b) => s + (b.r2 >= 0 ? 2 * b.cols.length : 0), 0);
    assert.ok(paired >= 0.9 * csr.nnz && paired < csr.nnz, `${paired} of ${csr.nnz} paired`);
    checkLayout(engine.arena, csr, csr.pairs);
    for (const m of [wide, model]) m.dispose();
    engine.dispose();
  });
});

/** The plain build's arithmetic: acc + w·x rounded twice, in float32. */
const madd = (acc: number, w: number, x: number) => Math.fround(acc + Math.fround(w * x));

/**
 * C = A·B as the plain pair kernel sums it: columns below 16·floor(n/16) row by row in block
 * order, the rest in CSR order (the tail kernel).
 */
function emulate(arena: Arena, a: OwnedCsr, p: RowPairs, v: Float32Array, b: Float32Array, n: number): Float32Array {
  const c = new Float32Array(a.rows * n);
  const paired = n - (n % 16);
  for (const blk of blocksOf(arena, p)) {
    blk.cols.forEach((j, i) => {
      for (const [r, e] of [
        [blk.r1, blk.pos[i][0]],
        [blk.r2, blk.pos[i][1]],
      ]) {
        if (r < 0) continue;
        for (let t = 0; t < paired; t++) c[r * n + t] = madd(c[r * n + t], v[e], b[j * n + t]);
      }
    });
  }
  const rowPtr = arena.i32(a.rowPtr, a.rows + 1);
  const colIdx = arena.i32(a.colIdx, a.nnz);
  for (let r = 0; r < a.rows; r++) {
    for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
      for (let t = paired; t < n; t++) c[r * n + t] = madd(c[r * n + t], v[e], b[colIdx[e] * n + t]);
    }
  }
  return c;
}

// 17 parents of 4 children over 520 inputs with 90% supports: 8 parent pairs with singles, an odd
// parent; ~8k non-zeros, so at batch 136 the work (nnz·n >= 2^20) is split between two threads;
// B is read in place up to batch 136 (283 KB) and through the 16-column panel at 232 (483 KB)
const [PARENTS, ALPHA, COLS] = [17, 4, 520];
const ROWS = PARENTS * ALPHA;
const BATCHES = [16, 23, 136, 232];

for (const [kernels, threads] of KERNEL_CASES) {
  describe(`spmm over row pairs, ${kernels} kernels, ${threads} thread(s)`, () => {
    const f = new KernelFixture(threads, 13, undefined, kernels);
    const one = createWasmBackend(f.arena, { threads: 1, kernels });
    after(() => {
      one.dispose();
      f.dispose();
    });
    const a = buildCsr(f.arena, ROWS, COLS, fpeMask(f.rng, PARENTS, ALPHA, COLS, 0.9));
    const v = f.rand(a.nnz);
    const pairs = a.pairs as RowPairs;

    /** spmm into a C full of NaN (beta = 0 must not read it). */
    const spmm = (be = f.wasm, n: number, b: Ptr, keep?: { values: Ptr; pos: Ptr }): Float32Array => {
      const c = f.arena.alloc(ROWS * n * 4);
      f.arena.f32(c, ROWS * n).fill(Number.NaN);
      be.spmm(a, v, n, b, 0, c, keep);
      const out = f.read(c, ROWS * n);
      f.arena.release(c);
      return out;
    };

    test('the layer pairs, and the backend takes the layout at 16 batch columns or more with beta = 0', () => {
      assert.ok(pairs, 'paired');
      assert.ok(a.nnz * 136 >= 1 << 20, 'large enough for two threads');
      const buffers = (f.wasm as unknown as { buffers: Record<string, { count: number }> }).buffers;
      f.wasm.spmm(a, v, 15, f.rand(COLS * 15), 0, f.rand(ROWS * 15));
      f.wasm.spmm(a, v, 16, f.rand(COLS * 16), 1, f.rand(ROWS * 16));
      assert.equal(buffers.pairValues.count, 0, '15 columns, or beta = 1: the rows');
      f.wasm.spmm(a, v, 16, f.rand(COLS * 16), 0, f.rand(ROWS * 16));
      assert.equal(buffers.pairValues.count, 2 * pairs.entries, 'the values gathered in entry order');
    });

    test('close to the reference; the plain build gives exactly the block-order sums', () => {
      for (const n of BATCHES) {
        const b = f.rand(COLS * n);
        const got = spmm(f.wasm, n, b);
        f.compare(`spmm n=${n}`, [[f.rand(ROWS * n), ROWS * n]], (be, [c]) => be.spmm(a, v, n, b, 0, c));
        if (kernels === 'plain') {
          assertSameBits(got, emulate(f.arena, a, pairs, f.read(v, a.nnz), f.read(b, COLS * n), n), `spmm n=${n}: block order`);
        }
      }
    });

    test('the same bits on one thread and on two', () => {
      const n = 136;
      const b = f.rand(COLS * n);
      assertSameBits(spmm(f.wasm, n, b), spmm(one, n, b), 'threads');
    });

    test("spmm's CSC copy (keep) holds the values in CSC order", () => {
      const perm = f.arena.i32(a.cscPerm, a.nnz);
      const values = f.read(v, a.nnz);
      const pos = f.arena.alloc(a.nnz * 4);
      const pa = f.arena.i32(pos, a.nnz);
      for (let slot = 0; slot < a.nnz; slot++) pa[perm[slot]] = slot;
      for (const n of [16, 23]) {
        const keep = f.arena.alloc(a.nnz * 4);
        f.arena.f32(keep, a.nnz).fill(Number.NaN);
        spmm(f.wasm, n, f.rand(COLS * n), { values: keep, pos });
        assertSameBits(
          f.read(keep, a.nnz),
          Float32Array.from(perm, (e) => values[e]),
          `keep n=${n}`,
        );
        f.arena.release(keep);
      }
    });

    test('sddmm over the pairs: the bits of the row kernel, for beta 0 and 1', () => {
      const buffers = (f.wasm as unknown as { buffers: Record<string, { count: number }> }).buffers;
      const rows = { ...a, pairs: null };
      // 29 = 3 steps of 8 + a 4-lane remainder + 1 last term, 30 with 2 last terms; 16, 20 and 136
      // (multiples of 4, 20 with the remainder) sum a group's 10 dot products 4 at a time (sums10)
      for (const n of [15, 16, 20, 29, 30, 136]) {
        const [d, h] = [f.rand(ROWS * n), f.rand(COLS * n)];
        for (const beta of [0, 1]) {
          const start = f.read(f.rand(a.nnz), a.nnz);
          const run = (s: typeof a | typeof rows): Float32Array => {
            const out = f.arena.alloc(a.nnz * 4);
            f.arena.f32(out, a.nnz).set(beta === 0 ? new Float32Array(a.nnz).fill(Number.NaN) : start);
            f.wasm.sddmm(s, n, d, h, beta, out);
            const got = f.read(out, a.nnz);
            f.arena.release(out);
            return got;
          };
          const sums = buffers.pairSums.count;
          const got = run(a);
          assert.equal(buffers.pairSums.count, n < 16 ? sums : 160, `n=${n}: the pair kernel runs from 16 columns on`);
          assertSameBits(got, run(rows), `sddmm n=${n} beta=${beta}`);
        }
        f.compare(`sddmm n=${n}`, [[f.rand(a.nnz), a.nnz]], (be, [out]) => be.sddmm(a, n, d, h, 1, out));
      }
    });

    test(`sddmm takes the rows where the two-row blocks are short (mean < ${SDDMM_PAIR_LEAST})`, () => {
      // 16 parents x 4 over 160 inputs: blocks of 10 entries on average, paired (spmm takes them)
      const short = buildCsr(f.arena, 64, 160, fpeMask(f.rng, 16, 4, 160));
      assert.ok(short.pairs && short.pairs.pairMean < SDDMM_PAIR_LEAST, `mean ${short.pairs?.pairMean}`);
      const be = createWasmBackend(f.arena, { threads, kernels });
      const buffers = (be as unknown as { buffers: Record<string, { count: number } | undefined> }).buffers;
      const n = 32;
      const [d, h] = [f.rand(64 * n), f.rand(160 * n)];
      const out = f.arena.alloc(short.nnz * 4);
      be.sddmm(short, n, d, h, 0, out);
      assert.equal(buffers.pairSums?.count ?? 0, 0, 'no pair sums: the row kernel ran');
      be.spmm(short, f.rand(short.nnz), n, h, 0, f.rand(64 * n));
      assert.ok((buffers.pairValues?.count ?? 0) > 0, 'spmm still takes the layout');
      f.compare('sddmm on short blocks', [[f.rand(short.nnz), short.nnz]], (k, [o]) => k.sddmm(short, n, d, h, 1, o));
      be.dispose();
      short.dispose();
    });

    test('an infinite input reaches only the rows that hold its column', () => {
      const n = 32;
      const b = f.rand(COLS * n);
      const j = 5;
      f.arena.f32(b, COLS * n)[j * n + 3] = Number.POSITIVE_INFINITY;
      const got = spmm(f.wasm, n, b);
      const rowPtr = f.arena.i32(a.rowPtr, ROWS + 1);
      const colIdx = f.arena.i32(a.colIdx, a.nnz);
      for (let r = 0; r < ROWS; r++) {
        const holds = colIdx.subarray(rowPtr[r], rowPtr[r + 1]).includes(j);
        for (let t = 0; t < n; t++) assert.equal(Number.isFinite(got[r * n + t]), !(holds && t === 3), `C[${r}, ${t}]`);
      }
    });
  });
}
