// Checking mode for issue 14, defect 13: trains the stress model of scripts/stress-threads.ts on
// fresh two-thread engines, and after EVERY kernel call recomputes the same call on one thread (a
// second kernel instance on the same memory, fed the outputs' previous contents) and compares the
// outputs bitwise. A mismatch names the exact call, the elements that differ and which thread's
// half they lie in; the memory is then set to the one-thread result, so each report is a new event.
// Run: node --import tsx scripts/check-threads.ts [runs=200]

import type { Backend, CsrStructure } from '../src/engine/backend.js';
import { createWasmBackend } from '../src/engine/wasm/wasm-backend.js';
import { createEngine, trainStep } from '../src/index.js';
import { useNodePlatform } from '../src/node/index.js';
import { batch, STEPS, stressModel } from './stress-model.js';

useNodePlatform();
const runs = Number(process.argv[2] ?? 200);

type Region = [ptr: number, floats: number];
/** The memory each method writes, from its arguments. */
const OUTPUTS: Partial<Record<keyof Backend, (...a: never[]) => Region[]>> = {
  gemm: (_ta: boolean, _tb: boolean, m: number, n: number, _k: number, _al: number, _a: number, _b: number, _be: number, c: number) => [
    [c, m * n],
  ],
  spmm: (a: CsrStructure, _v: number, n: number, _b: number, _be: number, c: number) => [[c, a.rows * n]],
  spmmT: (a: CsrStructure, _v: number, n: number, _b: number, _be: number, c: number) => [[c, a.cols * n]],
  sddmm: (a: CsrStructure, _n: number, _d: number, _h: number, _be: number, out: number) => [[out, a.nnz]],
  scatterCsr: (a: CsrStructure, _v: number, dense: number) => [[dense, a.rows * a.cols]],
  gatherCsr: (a: CsrStructure, _d: number, _be: number, values: number) => [[values, a.nnz]],
  transpose: (rows: number, cols: number, _a: number, b: number) => [[b, rows * cols]],
  addRowBias: (rows: number, n: number, _bias: number, c: number) => [[c, rows * n]],
  rowSum: (rows: number, _n: number, _a: number, _be: number, out: number) => [[out, rows]],
  activation: (_k: string, len: number, _x: number, y: number) => [[y, len]],
  activationGrad: (_k: string, len: number, _x: number, _y: number, _dy: number, dx: number) => [[dx, len]],
  adam: (len: number, w: number, _g: number, m: number, v: number) => [
    [w, len],
    [m, len],
    [v, len],
  ],
  scale: (len: number, _al: number, x: number) => [[x, len]],
};

const events: unknown[] = [];
let calls = 0;
for (let run = 0; run < runs; run++) {
  const engine = createEngine({ backend: 'wasm', threads: 2 });
  const two = engine.backend;
  const one = createWasmBackend(engine.arena, { threads: 1 });
  const u32 = (p: number, n: number) => new Uint32Array(engine.arena.memory.buffer, p, n);
  for (const [name, outputs] of Object.entries(OUTPUTS)) {
    const method = name as keyof Backend;
    const twoFn = (two[method] as (...a: unknown[]) => unknown).bind(two);
    const oneFn = (one[method] as (...a: unknown[]) => unknown).bind(one);
    (two as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      calls++;
      const regions = (outputs as (...a: unknown[]) => Region[])(...args);
      const before = regions.map(([p, n]) => u32(p, n).slice());
      const result = twoFn(...args);
      const after = regions.map(([p, n]) => u32(p, n).slice());
      for (const [i, [p, n]] of regions.entries()) u32(p, n).set(before[i]);
      oneFn(...args);
      regions.forEach(([p, n], r) => {
        const single = u32(p, n);
        const diff: number[] = [];
        for (let i = 0; i < n; i++) if (single[i] !== after[r][i]) diff.push(i);
        if (diff.length > 0) {
          const f = (bits: number) => new Float32Array(new Uint32Array([bits]).buffer)[0];
          events.push({
            run,
            call: calls,
            method,
            region: r,
            floats: n,
            args: args.map((a) => (typeof a === 'object' ? 'csr' : a)),
            differing: diff.length,
            first: diff.slice(0, 8).map((i) => ({ i, two: f(after[r][i]), one: f(single[i]) })),
            span: [diff[0], diff.at(-1)],
          });
          process.stdout.write(`${JSON.stringify(events.at(-1))}\n`);
        }
      });
      return result;
    };
  }
  const { model, optimizer } = stressModel(engine);
  for (let s = 0; s < STEPS; s++) trainStep(model, optimizer, batch(s), 'cross-entropy');
  model.dispose();
  one.dispose();
  engine.dispose();
}
process.stdout.write(`${JSON.stringify({ runs, calls, events: events.length })}\n`);
