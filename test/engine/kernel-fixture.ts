import assert from 'node:assert/strict';
import {
  Arena,
  type Backend,
  buildCsr,
  createWasmBackend,
  type KernelFlavour,
  type OwnedCsr,
  type Ptr,
  RefBackend,
  Rng,
} from '../../src/engine/index.js';

/** Every wasm kernel build with 1 and with 2 threads: the matrix the backend tests run over. */
export const KERNEL_CASES = [
  ['plain', 1],
  ['plain', 2],
  ['relaxed', 1],
  ['relaxed', 2],
] as const;

/** An arena with the ref backend (the oracle) and a wasm backend on it, plus helpers to make and compare data. */
export class KernelFixture {
  readonly arena: Arena;
  readonly ref: Backend;
  readonly wasm: Backend;
  readonly rng: Rng;

  constructor(threads: number, seed = 7, arena = new Arena(), kernels: KernelFlavour = 'plain') {
    this.arena = arena;
    this.ref = new RefBackend(arena);
    this.wasm = createWasmBackend(arena, { threads, kernels });
    this.rng = new Rng(seed);
  }

  /** `len` uniform floats in [-scale, scale). */
  rand(len: number, scale = 1): Ptr {
    const p = this.arena.alloc(len * 4);
    const v = this.arena.f32(p, len);
    for (let i = 0; i < len; i++) v[i] = (this.rng.float() * 2 - 1) * scale;
    return p;
  }

  /** A copy of `len` floats at p. */
  copy(p: Ptr, len: number): Ptr {
    const q = this.arena.alloc(len * 4);
    this.arena.f32(q, len).set(this.arena.f32(p, len));
    return q;
  }

  /** The floats at p, detached. */
  read(p: Ptr, len: number): Float32Array {
    return this.arena.f32(p, len).slice();
  }

  /** A rows x cols CSR mask at `density`; with `holes`, every 5th row and every 7th column are empty. */
  csr(rows: number, cols: number, density: number, holes = true): OwnedCsr {
    const m = new Uint8Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const hole = holes && (r % 5 === 2 || c % 7 === 3);
        m[r * cols + c] = !hole && this.rng.float() < density ? 1 : 0;
      }
    }
    return buildCsr(this.arena, rows, cols, m);
  }

  /**
   * Runs `run` on ref and on wasm, each on its own copy of the output buffers (initialised from
   * `outs`), and asserts that every output agrees within `tol` (see assertClose).
   */
  compare(what: string, outs: Array<[Ptr, number]>, run: (b: Backend, out: Ptr[]) => void, tol = 1e-5): void {
    const mine = outs.map(([p, len]) => this.copy(p, len));
    const theirs = outs.map(([p, len]) => this.copy(p, len));
    run(this.ref, theirs);
    run(this.wasm, mine);
    outs.forEach(([, len], i) => {
      assertClose(this.read(mine[i], len), this.read(theirs[i], len), tol, `${what} (output ${i})`);
    });
    for (const p of [...mine, ...theirs]) this.arena.release(p);
  }

  dispose(): void {
    this.wasm.dispose();
  }
}

/**
 * Asserts got ≈ want: norm-wise relative error <= tol, and each element within
 * 100·tol·(|want| + rms(want)) so that one wrong element in a long array is caught too.
 */
export function assertClose(got: Float32Array, want: Float32Array, tol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < want.length; i++) {
    num += (got[i] - want[i]) ** 2;
    den += want[i] ** 2;
  }
  const rms = Math.sqrt(den / Math.max(1, want.length));
  const rel = den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
  assert.ok(rel <= tol, `${what}: relative error ${rel.toExponential(2)} > ${tol}`);
  for (let i = 0; i < want.length; i++) {
    const bound = 100 * tol * (Math.abs(want[i]) + rms) + 1e-30;
    assert.ok(Math.abs(got[i] - want[i]) <= bound, `${what}[${i}]: ${got[i]} vs ${want[i]}`);
  }
}

/** Asserts bit-identical float arrays (NaN payloads included). */
export function assertSameBits(a: Float32Array, b: Float32Array, what: string): void {
  assert.deepEqual(new Uint32Array(a.buffer, a.byteOffset, a.length), new Uint32Array(b.buffer, b.byteOffset, b.length), what);
}

/** Checks a loss kernel: the summed loss and the gradient against ref, and that grad = 0 leaves memory alone. */
export function checkLoss(f: KernelFixture, what: string, len: number, run: (be: Backend, grad: Ptr) => number): void {
  const gRef = f.rand(len);
  const gWasm = f.rand(len);
  const want = run(f.ref, gRef);
  const got = run(f.wasm, gWasm);
  assert.ok(Math.abs(got - want) <= 1e-5 * Math.abs(want) + 1e-9, `${what}: loss ${got} vs ${want}`);
  assertClose(f.read(gWasm, len), f.read(gRef, len), 1e-5, `${what} grad`);
  const sentinel = f.rand(len);
  const before = f.read(sentinel, len);
  const noGrad = run(f.wasm, 0);
  assert.equal(noGrad, got, `${what}: loss without gradient`);
  assertSameBits(f.read(sentinel, len), before, `${what}: memory untouched`);
}
