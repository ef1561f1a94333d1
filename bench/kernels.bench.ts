/**
 * Kernel timings of the wasm backend (1 and 2 threads) and the ref backend (small shapes only):
 * `node --import tsx bench/kernels.bench.ts [--quick]`. Prints one table: median ms of >= 10
 * runs after warm-up, and GFLOP/s where a kernel has a flop count. Single-thread numbers are the
 * ones to compare; 2-thread numbers vary 1.3-2x on a shared 2-vCPU VM.
 */
import {
  type Activation,
  Arena,
  type Backend,
  buildCsr,
  type CscCopy,
  createWasmBackend,
  cscPositions,
  type OwnedCsr,
  type Ptr,
  RefBackend,
  Rng,
} from '../src/engine/index.js';
import { useNodePlatform } from '../src/node/index.js';

useNodePlatform();

const quick = process.argv.includes('--quick');
const [WARMUP, RUNS] = quick ? [1, 10] : [3, 15];

const arena = new Arena();
const rng = new Rng(1);
const backends: Array<[string, Backend]> = [
  ['wasm 1t', createWasmBackend(arena, { threads: 1 })],
  ['wasm 2t', createWasmBackend(arena, { threads: 2 })],
];
const ref: Array<[string, Backend]> = [['ref', new RefBackend(arena)]];

/** The CSC-order copy a training forward's spmm writes for `a` (see Backend.spmm). */
function cscCopy(a: OwnedCsr): CscCopy {
  const pos = arena.alloc(a.nnz * 4);
  cscPositions(arena, a, pos);
  return { values: arena.alloc(a.nnz * 4), pos };
}

/** A tensor of `len` uniform floats in [-1, 1). */
function rand(len: number): Ptr {
  const p = arena.alloc(len * 4);
  const v = arena.f32(p, len);
  for (let i = 0; i < len; i++) v[i] = rng.float() * 2 - 1;
  return p;
}

/** A rows x cols CSR structure keeping each entry with probability `density`. */
function mask(rows: number, cols: number, density: number): OwnedCsr {
  const m = new Uint8Array(rows * cols);
  for (let i = 0; i < m.length; i++) m[i] = rng.float() < density ? 1 : 0;
  return buildCsr(arena, rows, cols, m);
}

/** Median milliseconds of fn. */
function median(fn: () => void): number {
  for (let i = 0; i < WARMUP; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return RUNS % 2 ? t[RUNS >> 1] : (t[RUNS / 2 - 1] + t[RUNS / 2]) / 2;
}

const rows: string[][] = [];
/** Times `run` on each backend and adds one table row per backend. */
function bench(
  kernel: string,
  shape: string,
  flops: number,
  on: ReadonlyArray<readonly [string, Backend]>,
  run: (b: Backend) => void,
): void {
  for (const [label, b] of on) {
    const ms = median(() => run(b));
    rows.push([kernel, shape, label, ms.toFixed(3), flops > 0 ? (flops / ms / 1e6).toFixed(1) : '']);
  }
}

// dense GEMM 1024³, every transpose combination
const N = quick ? 512 : 1024;
{
  const [a, b, c] = [rand(N * N), rand(N * N), rand(N * N)];
  for (const [ta, tb] of [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const) {
    const name = `gemm ${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}`;
    bench(name, `${N}³`, 2 * N ** 3, backends, (be) => be.gemm(ta, tb, N, N, N, 1, a, b, 0, c));
  }
  const s = 128;
  bench('gemm NN', `${s}³`, 2 * s ** 3, [...backends, ...ref], (be) => be.gemm(false, false, s, s, s, 1, a, b, 0, c));
}

// sparse kernels: 2048x2048 at 10 % density against a batch of 256 (and of 1, and an odd 33)
for (const [side, batch, on] of [
  [2048, 256, backends],
  [2048, 33, backends],
  [2048, 1, backends],
  [256, 64, [...backends, ...ref]],
] as const) {
  const a = mask(side, side, 0.1);
  const [v, x, y, d] = [rand(a.nnz), rand(side * batch), rand(side * batch), rand(a.nnz)];
  const shape = `${side}² 10% x ${batch}`;
  const flops = 2 * a.nnz * batch;
  bench('spmm', shape, flops, on, (be) => be.spmm(a, v, batch, x, 0, y));
  bench('spmmT', shape, flops, on, (be) => be.spmmT(a, v, batch, x, 0, y));
  // a training forward's spmm also writes the values in CSC order; the backward's spmmT reads them without a gather
  const keep = cscCopy(a);
  bench('spmm keep', shape, flops, on, (be) => be.spmm(a, v, batch, x, 0, y, keep));
  bench('spmmT csc', shape, flops, on, (be) => be.spmmT(a, keep.values, batch, x, 0, y, 'csc'));
  bench('sddmm', shape, flops, on, (be) => be.sddmm(a, batch, x, y, 0, d));
  a.dispose();
}

// element-wise kernels over one 2048 x 256 activation
{
  const [r, n] = [2048, 256];
  const len = r * n;
  const [x, y, g, dx, bias] = [rand(len), rand(len), rand(len), rand(len), rand(r)];
  const small = 1 << 14;
  for (const kind of ['relu', 'gelu', 'sigmoid'] as Activation[]) {
    bench(`${kind}`, `${r}x${n}`, 0, backends, (be) => be.activation(kind, len, x, y));
    bench(`${kind} grad`, `${r}x${n}`, 0, backends, (be) => be.activationGrad(kind, len, x, y, g, dx));
    bench(`${kind}`, `${small}`, 0, [...backends, ...ref], (be) => be.activation(kind, small, x, y));
  }
  bench('addRowBias', `${r}x${n}`, 0, backends, (be) => be.addRowBias(r, n, bias, y));
  bench('rowSum', `${r}x${n}`, 0, backends, (be) => be.rowSum(r, n, x, 0, bias));
  bench('transpose', `${r}x${n}`, 0, backends, (be) => be.transpose(r, n, x, y));
  bench('scale', `${len}`, 0, backends, (be) => be.scale(len, 1, y));
  bench('countNonFinite', `${len}`, 0, backends, (be) => be.countNonFinite(len, x));
  const [w, m, v] = [rand(len), arena.alloc(len * 4), arena.alloc(len * 4)];
  const adam = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true, step: 3 };
  bench('adamw', `${len}`, 0, backends, (be) => be.adam(len, w, g, m, v, adam));
  bench('adamw', `${small}`, 0, [...backends, ...ref], (be) => be.adam(small, w, g, m, v, adam));
  const sgd = { lr: 1e-2, momentum: 0.9, weightDecay: 0, nesterov: true };
  bench('sgd', `${len}`, 0, backends, (be) => be.sgd(len, w, g, m, sgd));
  const labels = arena.alloc(n * 4);
  const ls = arena.i32(labels, n);
  for (let i = 0; i < n; i++) ls[i] = i % 10;
  bench('softmaxCE', `10x${n}`, 0, [...backends, ...ref], (be) => be.softmaxCrossEntropy(10, n, x, labels, dx, 1 / n));
}

// one training step of the engine study's MLP 512-2048-2048-10 (90 % sparse, batch 256), as kernel calls
{
  const [n, d0, d1, d2, d3] = [256, 512, 2048, 2048, 10];
  const w1 = mask(d1, d0, 0.1);
  const w2 = mask(d2, d1, 0.1);
  const p = {
    v1: rand(w1.nnz),
    v2: rand(w2.nnz),
    w3: rand(d3 * d2),
    x: rand(d0 * n),
    z1: rand(d1 * n),
    h1: rand(d1 * n),
    z2: rand(d2 * n),
    h2: rand(d2 * n),
    z3: rand(d3 * n),
    g3: rand(d3 * n),
    b: rand(d1),
    gb: rand(d1),
    gw3: rand(d3 * d2),
    g1: rand(w1.nnz),
    g2: rand(w2.nnz),
    m: arena.alloc(w2.nnz * 4),
    s: arena.alloc(w2.nnz * 4),
  };
  const labels = arena.alloc(n * 4);
  const adam = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1 };
  const keep2 = cscCopy(w2);
  // as trainStep runs it (the second layer's weights copied in CSC order by its forward spmm), and without the copy
  for (const kept of [true, false]) {
    bench(kept ? 'mlp train step' : 'mlp train step, spmmT gathers', '512-2048-2048-10 90% b256', 0, backends, (be) => {
      be.spmm(w1, p.v1, n, p.x, 0, p.z1);
      be.addRowBias(d1, n, p.b, p.z1);
      be.activation('relu', d1 * n, p.z1, p.h1);
      be.spmm(w2, p.v2, n, p.h1, 0, p.z2, kept ? keep2 : undefined);
      be.addRowBias(d2, n, p.b, p.z2);
      be.activation('relu', d2 * n, p.z2, p.h2);
      be.gemm(false, false, d3, n, d2, 1, p.w3, p.h2, 0, p.z3);
      be.softmaxCrossEntropy(d3, n, p.z3, labels, p.g3, 1 / n);
      be.gemm(false, true, d3, d2, n, 1, p.g3, p.h2, 0, p.gw3);
      be.gemm(true, false, d2, n, d3, 1, p.w3, p.g3, 0, p.h2);
      be.activationGrad('relu', d2 * n, p.z2, p.h2, p.h2, p.z2);
      be.rowSum(d2, n, p.z2, 0, p.gb);
      be.sddmm(w2, n, p.z2, p.h1, 0, p.g2);
      if (kept) be.spmmT(w2, keep2.values, n, p.z2, 0, p.h1, 'csc');
      else be.spmmT(w2, p.v2, n, p.z2, 0, p.h1);
      be.activationGrad('relu', d1 * n, p.z1, p.h1, p.h1, p.z1);
      be.rowSum(d1, n, p.z1, 0, p.gb);
      be.sddmm(w1, n, p.z1, p.x, 0, p.g1);
      be.adam(w1.nnz, p.v1, p.g1, p.m, p.s, adam);
      be.adam(w2.nnz, p.v2, p.g2, p.m, p.s, adam);
      be.adam(d3 * d2, p.w3, p.gw3, p.m, p.s, adam);
    });
  }
}

const head = ['kernel', 'shape', 'backend', 'ms', 'GFLOP/s'];
const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => r.map((c, i) => (i < 3 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ');
console.log(line(head));
console.log(width.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
for (const [, b] of backends) b.dispose();
