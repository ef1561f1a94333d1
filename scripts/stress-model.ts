// The model and data the defect-13 scripts train (stress-threads.ts, check-threads.ts): a dense
// 64-512-512-4 MLP with Adam, STEPS minibatches of BATCH blobs, the same for every run.
import { createOptimizer, type Engine, MLP, makeBlobs, type Optimizer } from '../src/index.js';

export const STEPS = 8;
export const BATCH = 256;
const FEATURES = 64;
const blobs = makeBlobs({ features: FEATURES, trainSize: STEPS * BATCH, testSize: 16, seed: 1 });

/** Minibatch s of the training set. */
export const batch = (s: number) => ({
  x: blobs.train.x.subarray(s * BATCH * FEATURES, (s + 1) * BATCH * FEATURES),
  y: blobs.train.y.subarray(s * BATCH, (s + 1) * BATCH),
  size: BATCH,
});

/** A fresh stress model on `engine` and its optimizer (seeded: the same start every run). */
export function stressModel(engine: Engine): { model: MLP; optimizer: Optimizer } {
  const model = MLP.create({ sizes: [FEATURES, 512, 512, 4], density: 1, activation: 'relu', seed: 7 }, engine);
  return { model, optimizer: createOptimizer(model, { kind: 'adam', lr: 0.003 }) };
}
