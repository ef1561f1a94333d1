// Stress test of the two-thread wasm engine (issue 14, defect 13). Trains a dense 64-512-512-4 MLP
// (Adam, batch 256, 8 steps) on many fresh engines, each with a new kernel thread, and compares
// every weight and bias after every step bitwise with one run on one thread; prints how many runs
// differed, the first differing step of each, and the worker start times.
// Run: node --import tsx scripts/stress-threads.ts [runs=300] [threads=2]
import { createEngine, type Engine, type MLP, trainStep } from '../src/index.js';
import { useNodePlatform } from '../src/node/index.js';
import { batch, STEPS, stressModel } from './stress-model.js';

useNodePlatform();
const runs = Number(process.argv[2] ?? 300);
const threads = Number(process.argv[3] ?? 2);
const snapshot = (m: MLP) => m.layers.flatMap((l) => [Float32Array.from(l.weight()), Float32Array.from(l.bias())]);
const same = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));

/** The parameters after each step; `check` may stop the run early by returning false. */
function train(engine: Engine, check?: (step: number, params: Float32Array[]) => boolean): Float32Array[][] {
  const { model, optimizer } = stressModel(engine);
  const out = [snapshot(model)];
  for (let s = 0; s < STEPS; s++) {
    trainStep(model, optimizer, batch(s), 'cross-entropy');
    out.push(snapshot(model));
    if (check !== undefined && !check(s + 1, out[s + 1])) break;
  }
  model.dispose();
  return out;
}

const single = createEngine({ backend: 'wasm', threads: 1 });
const reference = train(single);
single.dispose();
const differing: Array<{ run: number; step: number; tensors: number[] }> = [];
const starts: number[] = [];
let idleWakes = 0;
for (let run = 0; run < runs; run++) {
  const t0 = performance.now();
  const engine = createEngine({ backend: 'wasm', threads });
  starts.push(performance.now() - t0);
  train(engine, (step, params) => {
    const tensors = params.flatMap((p, i) => (same(p, reference[step][i]) ? [] : [i]));
    if (tensors.length > 0) differing.push({ run, step, tensors });
    return tensors.length === 0;
  });
  if ((run + 1) % 100 === 0) process.stderr.write(`run ${run + 1}: differing ${differing.length}, idle wakes ${idleWakes}\n`);
  idleWakes += (engine.backend as unknown as { pool: { idleWakes(): number } | null }).pool?.idleWakes() ?? 0;
  engine.dispose();
}
starts.sort((a, b) => a - b);
const ms = (v: number | undefined) => Math.round(v ?? 0);
process.stdout.write(
  `${JSON.stringify({ runs, threads, differing: differing.length, idleWakes, first: differing, workerStartMs: { median: ms(starts[runs >> 1]), max: ms(starts.at(-1)) } })}\n`,
);
