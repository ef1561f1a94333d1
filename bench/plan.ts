import type { BenchOptions, CaseName } from './options.js';

/** [warm-up, timed] runs; the reported time is the median of the timed runs. */
export type Reps = readonly [warmup: number, runs: number];

/** Everything both engines run: shapes, sparsities, repetitions. Sent to the peer as JSON, so keys are snake_case. */
export interface Plan {
  cases: CaseName[];
  threads: Array<1 | 2>;
  /** Layer widths of the MLP, input first: ReLU between layers, logits last. */
  sizes: number[];
  /** Fraction of each weight matrix that is masked to zero (biases are never masked). */
  sparsities: number[];
  train_batch: number;
  infer_batches: number[];
  /** Side of the square GEMM. */
  gemm_n: number;
  seed: number;
  reps: { train: Reps; infer: Reps; infer_b1: Reps; gemm: Reps };
}

const SHAPES = {
  // the engine study's problem: 7.55 dense-equivalent GFLOP per train step
  full: { sizes: [512, 2048, 2048, 10], train_batch: 256, infer_batches: [1, 256], gemm_n: 1024 },
  // seconds even on the ref backend; checks the harness, not the speed
  small: { sizes: [32, 64, 64, 10], train_batch: 16, infer_batches: [1, 16], gemm_n: 64 },
} as const;

const REPS = {
  // >= 10 timed runs everywhere; batch-1 inference is sub-millisecond and noisy, so it gets 200
  full: { train: [3, 15], infer: [3, 20], infer_b1: [20, 200], gemm: [3, 15] },
  quick: { train: [1, 5], infer: [1, 5], infer_b1: [5, 30], gemm: [1, 5] },
} as const;

/** The plan for validated options. */
export function makePlan(o: BenchOptions): Plan {
  const s = SHAPES[o.shapes];
  return {
    cases: o.cases,
    threads: o.threads,
    sizes: [...s.sizes],
    sparsities: [0, 0.5, 0.75, 0.9],
    train_batch: s.train_batch,
    infer_batches: [...s.infer_batches],
    gemm_n: s.gemm_n,
    seed: 1234,
    reps: REPS[o.quick ? 'quick' : 'full'],
  };
}

/** Multiply-adds of one dense forward pass per sample: Σ in·out over the layers. */
function macsPerSample(sizes: number[]): number {
  let macs = 0;
  for (let l = 1; l < sizes.length; l++) macs += sizes[l - 1] * sizes[l];
  return macs;
}

/**
 * Dense-equivalent FLOPs of one run, whatever the sparsity (the study's convention).
 * infer: forward, 2·B·Σ in·out. train: forward + weight gradients (2·B·Σ in·out each) + input
 * gradients of every layer but the first (nothing needs dX of the input). gemm: 2n³.
 */
export function denseFlops(plan: Plan, kind: CaseName, batch: number): number {
  if (kind === 'gemm') return 2 * batch ** 3;
  const fwd = 2 * batch * macsPerSample(plan.sizes);
  if (kind === 'infer') return fwd;
  const firstLayer = 2 * batch * plan.sizes[0] * plan.sizes[1];
  return fwd + fwd + (fwd - firstLayer);
}
