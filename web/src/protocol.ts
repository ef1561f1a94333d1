// Messages between the playground page and its training worker (web/src/train-worker.ts).

import type { BooleanMode, OptimizerKind, SplitStrategy } from 'widen';

/** Everything that defines a playground run; it is what the URL holds, so a pasted link replays the run. */
export interface RunSettings {
  mode: BooleanMode;
  n: number;
  m: number;
  k: number;
  trainSize: number;
  testSize: number;
  seed: number;
  h: number;
  alpha: number;
  strategy: SplitStrategy;
  optimizer: OptimizerKind;
  lr: number;
  batch: number;
  /** Steps to train (the run stops there). */
  steps: number;
  /** Step at which FPE split the model (-1: not split). */
  splitAt: number;
}

export const DEFAULT_SETTINGS: RunSettings = {
  mode: 'which-clause',
  n: 16,
  m: 4,
  k: 3,
  trainSize: 1024,
  testSize: 512,
  seed: 1,
  h: 8,
  alpha: 2,
  strategy: 'random',
  optimizer: 'adam',
  lr: 0.01,
  batch: 64,
  steps: 300,
  splitAt: -1,
};

/** A data set dropped on the page (CSV or npy), in place of the Boolean task. */
export interface DroppedData {
  name: string;
  x: Float32Array;
  y: Int32Array;
  size: number;
  features: number;
  classes: number;
}

export type ToWorker =
  | { type: 'init'; kernelPort: MessagePort | null }
  | { type: 'start'; settings: RunSettings; data?: DroppedData }
  | { type: 'pause' }
  | { type: 'split' }
  | { type: 'export'; what: 'checkpoint' | 'torch' }
  | { type: 'bench'; steps: number };

/** One point of a curve: step, loss (mean over the chunk), train and test accuracy. */
export interface CurvePoint {
  step: number;
  model: 'fpe' | 'dense twin';
  loss: number;
  trainAcc: number;
  testAcc: number;
}

/** The per-neuron views of hidden layer 0 of the FPE model. */
export interface NeuronViews {
  units: number;
  clauses: number;
  /** [units * clauses]: 1 where the neuron is connected to every variable of the clause. */
  coverage: Uint8Array;
  /** Per unit: histogram of its pre-activations over the test set. */
  histograms: { lo: number; hi: number; counts: number[] }[];
  wasserstein: number[];
  /** Colliding clause pairs per neuron now. */
  collisionsNow: number;
  /** Expected per child after a random split of the current model (exact formula), or null once split. */
  collisionsPredicted: number | null;
  /** Measured right after the split, and the prediction made for it just before. */
  atSplit: { measured: number; predicted: number } | null;
}

export type FromWorker =
  | { type: 'ready'; threads: number; isolated: boolean; backend: string }
  | { type: 'progress'; step: number; points: CurvePoint[]; nnz: number; twinNnz: number | null; hidden: number; running: boolean }
  | { type: 'views'; views: NeuronViews | null }
  | { type: 'split'; step: number; nnzBefore: number; nnzAfter: number; hiddenBefore: number; hiddenAfter: number }
  | { type: 'error'; message: string; step: number }
  | { type: 'done'; step: number }
  | { type: 'file'; name: string; bytes: Uint8Array }
  | { type: 'bench'; msPerStep: number };
