import { backendId, createEngine, type Engine, type KernelChoice, Rng } from '../src/engine/index.js';
import { createOptimizer, MLP, trainStep } from '../src/nn/index.js';
import type { BenchOptions, CaseName } from './options.js';
import type { Plan } from './plan.js';
import { medianTimes } from './timing.js';

/** One timed widen case; `batch` is the matrix side for gemm. `density` is the kept weight fraction widen actually built. */
export interface WidenTiming {
  case: CaseName;
  sparsity: number;
  batch: number;
  threads: 1 | 2;
  /** The kernels that ran: 'wasm' (plain SIMD), 'wasm-relaxed' (FMA) or 'ref'. */
  kernels: string;
  ms: number;
  /** Median CPU time of the process (both threads with threads: 2) per run. */
  cpu_ms: number;
  density: number | null;
}

/** A fresh engine for `threads`; notes when the kernel table is not the wasm one asked for, or runs fewer threads. */
export function openEngine(
  backend: BenchOptions['backend'],
  threads: 1 | 2,
  log: (line: string) => void,
  kernels: KernelChoice = 'auto',
): Engine {
  const engine = createEngine({ backend, threads, kernels });
  const k = engine.backend;
  if (k.name !== 'wasm') log(`note: widen runs on the '${k.name}' backend, not wasm; its numbers are not the product's`);
  if (k.threads !== threads)
    log(`note: the ${k.name} backend runs ${k.threads} thread(s); its threads=${threads} rows are not ${threads}-thread runs`);
  return engine;
}

/**
 * Times one kind of case in widen on `engine`, with the plan's shapes, densities, batches and
 * repetitions. The train step is trainStep (forward, loss, backward, Adam, and widen's NaN check)
 * on the same batch every call: the region the peer times.
 */
export function timeWiden(plan: Plan, engine: Engine, kind: CaseName, threads: 1 | 2, log: (line: string) => void): WidenTiming[] {
  const runs: Array<Omit<WidenTiming, 'threads' | 'kernels'>> = [];
  if (kind === 'train') for (const s of plan.sparsities) runs.push(timeTrain(plan, engine, s));
  if (kind === 'infer') for (const s of plan.sparsities) for (const b of plan.infer_batches) runs.push(timeInfer(plan, engine, s, b));
  if (kind === 'gemm') runs.push(timeGemm(plan, engine));
  const kernels = backendId(engine.backend);
  for (const t of runs)
    log(`widen ${t.case} sparsity=${t.sparsity} batch=${t.batch} threads=${threads} kernels=${kernels}: ${t.ms.toFixed(3)} ms`);
  return runs.map((t) => ({ ...t, threads, kernels }));
}

function makeModel(plan: Plan, engine: Engine, sparsity: number): { model: MLP; density: number } {
  // 1 - 0.9 is 0.09999999999999998; round so both engines keep the same count
  const density = Math.round((1 - sparsity) * 1e6) / 1e6;
  const model = MLP.create({ sizes: plan.sizes, activation: 'relu', density, seed: plan.seed }, engine);
  let weights = 0;
  for (let l = 1; l < plan.sizes.length; l++) weights += plan.sizes[l - 1] * plan.sizes[l];
  return { model, density: model.nnz() / weights };
}

/** Normal inputs [batch, in] and uniform labels in [0, classes), from the plan's seed. */
function makeBatch(plan: Plan, batch: number): { x: Float32Array; y: Int32Array } {
  const rng = new Rng(plan.seed);
  const x = new Float32Array(batch * plan.sizes[0]);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const classes = plan.sizes[plan.sizes.length - 1];
  const y = new Int32Array(batch);
  for (let i = 0; i < batch; i++) y[i] = rng.int(classes);
  return { x, y };
}

function timeTrain(plan: Plan, engine: Engine, sparsity: number): Omit<WidenTiming, 'threads' | 'kernels'> {
  const { model, density } = makeModel(plan, engine, sparsity);
  const optimizer = createOptimizer(model, { kind: 'adam', lr: 1e-3 });
  const batch = plan.train_batch;
  const { x, y } = makeBatch(plan, batch);
  try {
    const t = medianTimes(() => trainStep(model, optimizer, { x, y, size: batch }, 'cross-entropy'), plan.reps.train);
    return { case: 'train', sparsity, batch, ms: t.ms, cpu_ms: t.cpuMs, density };
  } finally {
    model.dispose();
  }
}

function timeInfer(plan: Plan, engine: Engine, sparsity: number, batch: number): Omit<WidenTiming, 'threads' | 'kernels'> {
  const { model, density } = makeModel(plan, engine, sparsity);
  const { x } = makeBatch(plan, batch);
  try {
    const t = medianTimes(() => model.predict(x, batch), batch === 1 ? plan.reps.infer_b1 : plan.reps.infer);
    return { case: 'infer', sparsity, batch, ms: t.ms, cpu_ms: t.cpuMs, density };
  } finally {
    model.dispose();
  }
}

/** C = A·B on n×n arena tensors through the backend's gemm kernel, as the engine's layers call it. */
function timeGemm(plan: Plan, engine: Engine): Omit<WidenTiming, 'threads' | 'kernels'> {
  const n = plan.gemm_n;
  const rng = new Rng(plan.seed);
  const fill = () => Float32Array.from({ length: n * n }, () => rng.normal());
  const a = engine.from(fill(), [n, n]);
  const b = engine.from(fill(), [n, n]);
  const c = engine.tensor([n, n]);
  try {
    const t = medianTimes(() => engine.backend.gemm(false, false, n, n, n, 1, a.ptr, b.ptr, 0, c.ptr), plan.reps.gemm);
    return { case: 'gemm', sparsity: 0, batch: n, ms: t.ms, cpu_ms: t.cpuMs, density: null };
  } finally {
    for (const t of [a, b, c]) t.dispose();
  }
}
