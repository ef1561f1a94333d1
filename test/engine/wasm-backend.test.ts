import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ACTIVATIONS, Arena, backendId, createWasmBackend, type Ptr } from '../../src/engine/index.js';
import { assertSameBits, checkLoss, KERNEL_CASES, KernelFixture } from './kernel-fixture.js';

// Every wasm kernel against the ref backend (the executable spec), with 1 and with 2 threads, for
// both kernel builds: plain SIMD and relaxed SIMD (fused multiply-add; Node 20 has it behind a V8
// flag that the Node platform sets).
// Shapes include 1x1, primes, SIMD tails (n % 4, % 8, % 32), n = 1 and sizes large enough to be
// split between the main thread and the worker.
const BETAS = [0, 1, 0.5];

for (const [kernels, threads] of KERNEL_CASES) {
  describe(`wasm backend, ${kernels} kernels, ${threads} thread(s)`, () => {
    const f = new KernelFixture(threads, 100 + threads, new Arena(), kernels);
    after(() => f.dispose());

    test('reports its name, kernel build and thread count', () => {
      assert.equal(f.wasm.name, 'wasm');
      assert.equal(f.wasm.flavour, kernels);
      assert.equal(backendId(f.wasm), kernels === 'plain' ? 'wasm' : 'wasm-relaxed');
      assert.equal(f.wasm.threads, threads);
    });

    test('gemm matches ref for all transposes, betas and awkward shapes', () => {
      const shapes = [
        [1, 1, 1],
        [7, 13, 17],
        [4, 8, 16],
        [5, 9, 3],
        [1, 33, 7],
        [64, 1, 64],
        [33, 65, 129],
        [9, 1030, 40], // more columns than one packed B panel
        [130, 260, 300], // more k than one slice; split by columns with 2 threads
        [301, 90, 230], // split by rows
        [3, 5, 0],
      ];
      for (const [m, n, k] of shapes) {
        const a = f.rand(m * k);
        const b = f.rand(k * n);
        for (const ta of [false, true]) {
          for (const tb of [false, true]) {
            for (const beta of BETAS) {
              const c = f.rand(m * n);
              // beta = 0 must ignore C entirely, NaN included
              if (beta === 0) f.arena.f32(c, m * n).fill(Number.NaN);
              f.compare(`gemm ${m}x${n}x${k} ${ta}/${tb} beta=${beta}`, [[c, m * n]], (be, [o]) =>
                be.gemm(ta, tb, m, n, k, 0.7, a, b, beta, o),
              );
            }
          }
        }
      }
    });

    test('spmm and spmmT match ref when B is too tall for the packed panel, and after a larger spmmT', () => {
      // 9300 rows x 32 floats exceed the per-thread scratch, so B is read in place; the small
      // matrices after it reuse the grown CSC-order value buffer of spmmT
      for (const [rows, cols, density] of [
        [9300, 40, 0.05],
        [40, 9300, 0.05],
        [37, 29, 0.3],
      ] as const) {
        const a = f.csr(rows, cols, density, true);
        const v = f.rand(a.nnz);
        const n = 40;
        const [x, xt] = [f.rand(cols * n), f.rand(rows * n)];
        const tag = `${rows}x${cols} n=${n}`;
        f.compare(`spmm ${tag}`, [[f.rand(rows * n), rows * n]], (be, [o]) => be.spmm(a, v, n, x, 0, o));
        f.compare(`spmmT ${tag}`, [[f.rand(cols * n), cols * n]], (be, [o]) => be.spmmT(a, v, n, xt, 1, o));
      }
    });

    test('spmm, spmmT and sddmm match ref, with empty rows/columns, nnz = 0 and batch tails', () => {
      const shapes: Array<[number, number, number, boolean]> = [
        [1, 1, 1, false],
        [7, 13, 0.4, true],
        [20, 11, 0, false], // nnz = 0
        [37, 29, 0.3, true],
        [600, 500, 0.2, true], // large enough to split between threads
        [300, 700, 0.2, true], // fewer rows than columns: sddmm through the CSC view, split between threads
      ];
      for (const [rows, cols, density, holes] of shapes) {
        const a = f.csr(rows, cols, density, holes);
        if (density === 0) assert.equal(a.nnz, 0);
        const v = f.rand(a.nnz);
        for (const n of [1, 3, 4, 7, 32, 33, 67]) {
          const x = f.rand(cols * n);
          const xt = f.rand(rows * n);
          for (const beta of BETAS) {
            const tag = `${rows}x${cols}@${density} n=${n} beta=${beta}`;
            f.compare(`spmm ${tag}`, [[f.rand(rows * n), rows * n]], (be, [o]) => be.spmm(a, v, n, x, beta, o));
            f.compare(`spmmT ${tag}`, [[f.rand(cols * n), cols * n]], (be, [o]) => be.spmmT(a, v, n, xt, beta, o));
            f.compare(`sddmm ${tag}`, [[f.rand(a.nnz), a.nnz]], (be, [o]) => be.sddmm(a, n, xt, x, beta, o));
          }
        }
        f.compare(`scatterCsr ${rows}x${cols}`, [[f.rand(rows * cols), rows * cols]], (be, [o]) => be.scatterCsr(a, v, o));
        const dense = f.rand(rows * cols);
        for (const beta of BETAS) {
          f.compare(`gatherCsr ${rows}x${cols} beta=${beta}`, [[f.rand(a.nnz), a.nnz]], (be, [o]) => be.gatherCsr(a, dense, beta, o));
        }
        a.dispose();
      }
    });

    test('transpose, addRowBias and rowSum match ref', () => {
      for (const [rows, n] of [
        [1, 1],
        [7, 13],
        [64, 33],
        [520, 257], // split between threads
      ]) {
        const a = f.rand(rows * n);
        f.compare(`transpose ${rows}x${n}`, [[f.rand(rows * n), rows * n]], (be, [o]) => be.transpose(rows, n, a, o));
        const bias = f.rand(rows);
        f.compare(`addRowBias ${rows}x${n}`, [[f.rand(rows * n), rows * n]], (be, [o]) => be.addRowBias(rows, n, bias, o));
        for (const beta of BETAS) {
          f.compare(`rowSum ${rows}x${n} beta=${beta}`, [[f.rand(rows), rows]], (be, [o]) => be.rowSum(rows, n, a, beta, o));
        }
      }
    });

    test('transpose moves every float exactly: 16-row strips, 4-row strips, single rows, column edges, thread split', () => {
      // 16 + 4 + 3 rows; 16 + 3; 2 x 16 + 4 + 1 over 9 = 2 x 4 + 1 columns; 128 x 784 (split between threads)
      for (const [rows, cols] of [
        [23, 10],
        [19, 16],
        [37, 9],
        [16, 3],
        [128, 784],
      ]) {
        const a = f.rand(rows * cols);
        const out = f.rand(rows * cols);
        f.wasm.transpose(rows, cols, a, out);
        const src = f.read(a, rows * cols);
        const want = new Float32Array(rows * cols);
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) want[c * rows + r] = src[r * cols + c];
        assertSameBits(f.read(out, rows * cols), want, `transpose ${rows}x${cols}`);
      }
    });

    test('activations and their gradients match ref, in place too', () => {
      for (const kind of ACTIVATIONS) {
        for (const len of [1, 3, 4, 17, 140_003]) {
          const x = f.rand(len, 9);
          // exact zeros and far tails, where relu, erfc and exp have edge cases
          const xs = f.arena.f32(x, len);
          for (const [i, v] of [
            [0, 0],
            [len - 1, -30],
            [len >> 1, 40],
          ]) {
            xs[i] = v;
          }
          const y = f.rand(len);
          f.ref.activation(kind, len, x, y);
          const dy = f.rand(len);
          f.compare(`${kind} len=${len}`, [[f.rand(len), len]], (be, [o]) => be.activation(kind, len, x, o));
          f.compare(`${kind} in place len=${len}`, [[x, len]], (be, [o]) => be.activation(kind, len, o, o));
          f.compare(`${kind} grad len=${len}`, [[f.rand(len), len]], (be, [o]) => be.activationGrad(kind, len, x, y, dy, o));
          f.compare(`${kind} grad in place len=${len}`, [[dy, len]], (be, [o]) => be.activationGrad(kind, len, x, y, o, o));
        }
      }
    });

    test('losses match ref, in value and gradient, and grad = 0 writes nothing', () => {
      const cases: Array<[number, number]> = [
        [1, 1],
        [3, 5],
        [10, 33],
        [10, 256],
      ];
      for (const [classes, n] of cases) {
        const z = f.rand(classes * n, 6);
        const labels = f.arena.alloc(n * 4);
        const ls = f.arena.i32(labels, n);
        for (let i = 0; i < n; i++) ls[i] = f.rng.int(classes);
        checkLoss(f, `softmaxCE ${classes}x${n}`, classes * n, (be, g) => be.softmaxCrossEntropy(classes, n, z, labels, g, 1 / n));
      }
      for (const len of [1, 7, 1000]) {
        const z = f.rand(len, 20);
        const t = f.rand(len);
        const probs = f.arena.f32(t, len);
        for (let i = 0; i < len; i++) probs[i] = Math.abs(probs[i]);
        checkLoss(f, `bce len=${len}`, len, (be, g) => be.bceWithLogits(len, z, t, g, 0.25));
        checkLoss(f, `mse len=${len}`, len, (be, g) => be.mse(len, z, t, g, 0.5));
      }
    });

    test('adam, adamw and sgd track ref over several steps', () => {
      for (const len of [1, 7, 100_003]) {
        const g = f.rand(len);
        for (const [decoupled, weightDecay] of [
          [false, 0],
          [false, 0.01],
          [true, 0.1],
        ] as const) {
          const state = [f.rand(len), f.arena.alloc(len * 4), f.arena.alloc(len * 4)];
          f.compare(
            `adam len=${len} decoupled=${decoupled} wd=${weightDecay}`,
            state.map((p) => [p, len] as [Ptr, number]),
            (be, [w, m, v]) => {
              for (let step = 1; step <= 5; step++) {
                be.adam(len, w, g, m, v, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay, decoupled, step });
              }
            },
          );
        }
        for (const [momentum, nesterov, weightDecay] of [
          [0, false, 0],
          [0.9, false, 0.01],
          [0.9, true, 0],
        ] as const) {
          f.compare(
            `sgd len=${len} momentum=${momentum} nesterov=${nesterov}`,
            [
              [f.rand(len), len],
              [f.arena.alloc(len * 4), len],
            ],
            (be, [w, buf]) => {
              for (let step = 0; step < 5; step++) be.sgd(len, w, g, buf, { lr: 0.1, momentum, weightDecay, nesterov });
            },
          );
        }
      }
    });

    test('scale and countNonFinite match ref', () => {
      for (const len of [1, 5, 140_003]) {
        f.compare(`scale len=${len}`, [[f.rand(len), len]], (be, [o]) => be.scale(len, -1.5, o));
        const x = f.rand(len);
        const xs = f.arena.f32(x, len);
        for (const [i, v] of [
          [len - 1, Number.NaN],
          [0, Number.POSITIVE_INFINITY],
          [len >> 1, Number.NEGATIVE_INFINITY],
          [len >> 2, 3.4e38],
        ]) {
          xs[i] = v;
        }
        const want = f.ref.countNonFinite(len, x);
        assert.equal(want, len === 1 ? 0 : 3); // at len 1 every write lands on x[0], the finite one last
        assert.equal(f.wasm.countNonFinite(len, x), want, `countNonFinite len=${len}`);
      }
    });
  });
}

describe('wasm backend determinism and memory', () => {
  for (const kernels of ['plain', 'relaxed'] as const) {
    test(`repeated calls and both thread counts give bit-identical results (${kernels} kernels)`, () => {
      const one = new KernelFixture(1, 5, new Arena(), kernels);
      const two = createWasmBackend(one.arena, { threads: 2, kernels });
      const f = one;
      const [m, n, k] = [200, 300, 260];
      const a = f.rand(m * k);
      const b = f.rand(k * n);
      const csr = f.csr(700, 600, 0.2);
      const wide = f.csr(600, 700, 0.2);
      const v = f.rand(csr.nnz);
      const x = f.rand(600 * 64);
      const h = f.rand(700 * 64);
      const runs = [f.wasm, two, two].map((be) => {
        const c = f.arena.alloc(m * n * 4);
        be.gemm(false, true, m, n, k, 1, a, f.copy(b, k * n), 0, c);
        const s = f.arena.alloc(700 * 64 * 4);
        be.spmm(csr, v, 64, x, 0, s);
        const d = f.arena.alloc(csr.nnz * 4);
        be.sddmm(csr, 64, h, x, 0, d);
        const g = f.arena.alloc(700 * 64 * 4);
        be.activation('gelu', 700 * 64, h, g);
        // fewer rows than columns: sddmm through the CSC view
        const dt = f.arena.alloc(wide.nnz * 4);
        be.sddmm(wide, 64, x, h, 0, dt);
        return [f.read(c, m * n), f.read(s, 700 * 64), f.read(d, csr.nnz), f.read(g, 700 * 64), f.read(dt, wide.nnz)];
      });
      for (const r of [1, 2]) {
        for (const [i, out] of runs[r].entries()) assertSameBits(out, runs[0][i], `run ${r} output ${i}`);
      }
      two.dispose();
      one.dispose();
    });
  }

  test('kernels keep working after the shared memory grows, in both threads', () => {
    const f = new KernelFixture(2, 9, new Arena({ initialPages: 40 }));
    const before = f.arena.memory.buffer.byteLength;
    const [m, n, k] = [192, 192, 192];
    const a = f.rand(m * k);
    const b = f.rand(k * n);
    f.compare('gemm before growth', [[f.rand(m * n), m * n]], (be, [o]) => be.gemm(false, false, m, n, k, 1, a, b, 0, o));
    // 8 MiB more than the arena has: the memory grows under both wasm instances
    const big = f.rand(1 << 21);
    assert.ok(f.arena.memory.buffer.byteLength > before, 'memory grew');
    f.compare('gemm after growth', [[f.rand(m * n), m * n]], (be, [o]) => be.gemm(false, false, m, n, k, 1, a, big, 0, o));
    f.compare('scale after growth', [[big, 1 << 21]], (be, [o]) => be.scale(1 << 21, 0.5, o));
    f.dispose();
  });
});
