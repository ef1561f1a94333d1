import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { type Backend, type CscCopy, cscPositions, type OwnedCsr, type Ptr } from '../../src/engine/index.js';
import { assertSameBits, KERNEL_CASES, KernelFixture } from './kernel-fixture.js';

// spmm's `keep`: the values copied to their CSC positions while spmm runs, for a backward spmmT
// to read in sequence (order 'csc') instead of gathering them. The copy must hold exactly the
// values in CSC order, and neither spmm's output nor spmmT's may change by a bit. Batch sizes
// cover both ways the wasm kernel writes the copy: during its first 24-column pass (n >= 24,
// n != 32) and in a pass of its own (n = 1, 5, 32); shapes include nnz = 0, empty rows and
// columns, and matrices split between two threads (each writes the copy of its own rows).
const SHAPES: Array<[number, number, number]> = [
  [37, 29, 0.3],
  [20, 11, 0],
  [600, 500, 0.2],
  [300, 700, 0.2],
];
const BATCHES = [1, 5, 24, 32, 40, 67];

/** A fresh CSC copy of `a` (values NaN, so an entry the kernel does not write shows). */
function makeCopy(f: KernelFixture, a: OwnedCsr): CscCopy & { free(): void } {
  const values = f.arena.alloc(a.nnz * 4);
  f.arena.f32(values, a.nnz).fill(Number.NaN);
  const pos = f.arena.alloc(a.nnz * 4);
  cscPositions(f.arena, a, pos);
  return {
    values,
    pos,
    free: () => {
      for (const p of [values, pos]) f.arena.release(p);
    },
  };
}

/** Checks spmm with keep against spmm without, the copy against the values in CSC order, and spmmT from the copy. */
function checkBackend(f: KernelFixture, be: Backend, label: string): void {
  for (const [rows, cols, density] of SHAPES) {
    const a = f.csr(rows, cols, density, true);
    const v = f.rand(a.nnz);
    const perm = f.arena.i32(a.cscPerm, a.nnz).slice();
    const want = f.read(v, a.nnz);
    const inCsc = Float32Array.from(perm, (e) => want[e]);
    for (const n of BATCHES) {
      const tag = `${label} ${rows}x${cols}@${density} n=${n}`;
      const [x, xt] = [f.rand(cols * n), f.rand(rows * n)];
      for (const beta of [0, 0.5]) {
        const c0 = f.rand(rows * n);
        const c1 = f.copy(c0, rows * n);
        const keep = makeCopy(f, a);
        be.spmm(a, v, n, x, beta, c0);
        be.spmm(a, v, n, x, beta, c1, keep);
        assertSameBits(f.read(c1, rows * n), f.read(c0, rows * n), `${tag} beta=${beta}: spmm with keep`);
        assertSameBits(f.read(keep.values, a.nnz), inCsc, `${tag}: the copy holds the values in CSC order`);
        const o0 = f.rand(cols * n);
        const o1 = f.copy(o0, cols * n);
        be.spmmT(a, v, n, xt, beta, o0);
        be.spmmT(a, keep.values, n, xt, beta, o1, 'csc');
        assertSameBits(f.read(o1, cols * n), f.read(o0, cols * n), `${tag} beta=${beta}: spmmT from the copy`);
        keep.free();
        for (const p of [c0, c1, o0, o1]) f.arena.release(p);
      }
      for (const p of [x, xt]) f.arena.release(p);
    }
    f.arena.release(v);
    a.dispose();
  }
}

describe('cscPositions', () => {
  const f = new KernelFixture(1, 3);
  after(() => f.dispose());

  test('is the inverse of the CSC permutation: each CSR entry is found at its position', () => {
    for (const [rows, cols, density] of SHAPES) {
      const a = f.csr(rows, cols, density, true);
      const pos = f.arena.alloc(a.nnz * 4);
      cscPositions(f.arena, a, pos);
      const [p, perm] = [f.arena.i32(pos, a.nnz), f.arena.i32(a.cscPerm, a.nnz)];
      const seen = new Uint8Array(a.nnz);
      for (let e = 0; e < a.nnz; e++) {
        assert.equal(perm[p[e]], e, `${rows}x${cols}: CSR entry ${e}`);
        seen[p[e]]++;
      }
      assert.ok(
        seen.every((s) => s === 1),
        'a permutation',
      );
      f.arena.release(pos);
      a.dispose();
    }
  });
});

describe('spmm keep (the values in CSC order for spmmT), ref backend', () => {
  const f = new KernelFixture(1, 5);
  after(() => f.dispose());
  test('copies exactly, changes no output', () => checkBackend(f, f.ref, 'ref'));
});

for (const [kernels, threads] of KERNEL_CASES) {
  describe(`spmm keep, wasm ${kernels} kernels, ${threads} thread(s)`, () => {
    const f = new KernelFixture(threads, 11 + threads, undefined, kernels);
    after(() => f.dispose());
    test('copies exactly, changes no output', () => checkBackend(f, f.wasm, `wasm ${kernels} ${threads}t`));

    test('spmmT from the copy matches ref and the gather path on a batch large enough to split', () => {
      const a = f.csr(512, 384, 0.1, false);
      const v = f.rand(a.nnz);
      const n = 256;
      const keep = makeCopy(f, a);
      const [x, xt] = [f.rand(384 * n), f.rand(512 * n)];
      const c = f.rand(512 * n);
      f.wasm.spmm(a, v, n, x, 0, c, keep);
      f.compare('spmmT 512x384 n=256 from the copy', [[f.rand(384 * n), 384 * n]], (be, [o]) =>
        be === f.wasm ? be.spmmT(a, keep.values, n, xt, 0, o, 'csc') : be.spmmT(a, v, n, xt, 0, o),
      );
      keep.free();
      for (const p of [v, x, xt, c] as Ptr[]) f.arena.release(p);
      a.dispose();
    });
  });
}
