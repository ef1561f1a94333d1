import { z } from 'zod';
import { BackendError, ConfigError, NumericError, Rng, type Tensor } from '../engine/index.js';
import { parseConfig } from './config.js';
import { checkDataset, type Dataset, LOSSES, type LossName, parseLoss } from './dataset.js';
import { applyLoss, lossCount, stagedLoss, targetRows } from './loss.js';
import type { MLP } from './mlp.js';
import { createOptimizer, type Optimizer, type OptimizerConfig } from './optim/index.js';
import { createSchedule, type ScheduleConfig } from './schedule.js';
import type { Workspace } from './workspace.js';

/**
 * Zeroes the gradients, runs forward, `loss` and backward on one batch and returns the mean loss
 * (PyTorch's reduction 'mean'); the gradients are left in `model.params()`. Throws NumericError
 * naming the first non-finite parameter or layer output if the loss is NaN/Inf, or the parameter
 * whose gradient is; `step` (1-based) goes into those messages.
 */
export function lossAndGradients(model: MLP, batch: Dataset, loss: LossName, step?: number): number {
  const name = parseLoss(loss, 'loss');
  checkDataset(batch, model.inFeatures, model.outFeatures, name, 'batch', false);
  return checkedLossAndGradients(model, batch, name, step);
}

/**
 * lossAndGradients on a batch already checked but for NaN/Inf in x, which is counted on its copy
 * in the engine (fit checks its whole set once, not every batch), or given as a size: the batch
 * is then already in the workspace (inputs and targets, see fit).
 */
function checkedLossAndGradients(model: MLP, batch: Dataset | number, name: LossName, step: number | undefined): number {
  const staged = typeof batch === 'number';
  const size = staged ? batch : batch.size;
  if (!staged) model.stageInputs(batch.x, size, 'batch.x');
  model.zeroGrad();
  const ws = model.forwardStaged(size, { forBackward: true });
  const sum = staged ? stagedLoss(model.engine, name, ws, true) : applyLoss(model.engine, name, ws, batch.y, true);
  const mean = sum / lossCount(name, model.outFeatures, size);
  const at = step === undefined ? '' : ` at step ${step}`;
  if (!Number.isFinite(mean)) {
    const culprit = firstNonFiniteTensor(model, ws);
    throw new NumericError(`loss is ${mean}${at}; first non-finite: ${culprit.what}; lower the learning rate or check the data`, {
      where: culprit.name,
      got: mean,
    });
  }
  model.backward(ws);
  const k = model.engine.backend;
  for (const p of model.params()) {
    const bad = k.countNonFinite(p.grad.size, p.grad.ptr);
    if (bad > 0) {
      throw new NumericError(`gradient of ${p.name} holds ${bad} NaN/Inf value(s)${at}; lower the learning rate or check the data`, {
        where: p.name,
        got: bad,
      });
    }
  }
  return mean;
}

/**
 * One training step: zero-grad, forward, loss, backward, NaN/Inf checks, then `optimizer.step(lr)`.
 * Returns the mean loss of the batch before the update. Example:
 * `trainStep(model, opt, { x, y: labels, size: 32 }, 'cross-entropy')`.
 */
export function trainStep(model: MLP, optimizer: Optimizer, batch: Dataset, loss: LossName, lr?: number): number {
  const name = parseLoss(loss, 'loss');
  checkDataset(batch, model.inFeatures, model.outFeatures, name, 'batch', false);
  return checkedTrainStep(model, optimizer, batch, name, lr);
}

/** trainStep on a batch already checked, or already staged in the workspace (a size). */
function checkedTrainStep(model: MLP, optimizer: Optimizer, batch: Dataset | number, loss: LossName, lr: number | undefined): number {
  const step = optimizer.stepCount + 1;
  const mean = checkedLossAndGradients(model, batch, loss, step);
  optimizer.step(lr);
  const k = model.engine.backend;
  for (const p of model.params()) {
    const bad = k.countNonFinite(p.value.size, p.value.ptr);
    if (bad > 0) {
      throw new NumericError(`${p.name} holds ${bad} NaN/Inf value(s) after the update at step ${step}; lower the learning rate`, {
        where: p.name,
        got: bad,
      });
    }
  }
  return mean;
}

/** Loss and accuracy of a model on a data set. */
export interface Evaluation {
  /** Mean loss over the whole set, with the same reduction as training. */
  loss: number;
  /**
   * cross-entropy: share of samples whose arg-max logit is the label; bce: share of outputs
   * whose sign agrees with target >= 0.5; mse: share of samples whose arg-max output is the
   * target's arg-max (or, with one output, within 0.5 of the target).
   */
  accuracy: number;
}

/** Evaluates `model` on `data` in chunks of `batchSize` (default 1024) samples, without touching gradients. */
export function evaluate(model: MLP, data: Dataset, loss: LossName, options: { batchSize?: number } = {}): Evaluation {
  const name = parseLoss(loss, 'loss');
  checkDataset(data, model.inFeatures, model.outFeatures, name, 'data');
  const [inF, outF] = [model.inFeatures, model.outFeatures];
  const requested = options.batchSize ?? 1024;
  if (!Number.isInteger(requested) || requested < 1) {
    throw new ConfigError(`evaluate batchSize must be an integer >= 1, got ${requested}`, {
      where: 'evaluate.batchSize',
      got: requested,
      allowed: '>= 1',
    });
  }
  const chunk = Math.min(data.size, requested);
  let sum = 0;
  let correct = 0;
  for (let start = 0; start < data.size; start += chunk) {
    const b = Math.min(chunk, data.size - start);
    const yPer = name === 'cross-entropy' ? 1 : outF;
    const y = data.y.subarray(start * yPer, (start + b) * yPer);
    const ws = model.forward(data.x.subarray(start * inF, (start + b) * inF), b);
    sum += applyLoss(model.engine, name, ws, y, false);
    correct += countCorrect(ws, y, name);
  }
  const total = name === 'bce' ? data.size * outF : data.size;
  return { loss: sum / lossCount(name, outF, data.size), accuracy: correct / total };
}

function countCorrect(ws: Workspace, y: Int32Array | Float32Array, loss: LossName): number {
  const z = ws.logits.data; // [out, B]
  const [outF, b] = ws.logits.shape;
  let correct = 0;
  if (loss === 'bce') {
    for (let t = 0; t < b; t++) for (let c = 0; c < outF; c++) if (z[c * b + t] > 0 === y[t * outF + c] >= 0.5) correct++;
    return correct;
  }
  for (let t = 0; t < b; t++) {
    if (loss === 'mse' && outF === 1) {
      if (Math.abs(z[t] - y[t]) < 0.5) correct++;
      continue;
    }
    let best = 0;
    for (let c = 1; c < outF; c++) if (z[c * b + t] > z[best * b + t]) best = c;
    let label = y[t];
    if (loss === 'mse') {
      label = 0;
      for (let c = 1; c < outF; c++) if (y[t * outF + c] > y[t * outF + label]) label = c;
    }
    if (best === label) correct++;
  }
  return correct;
}

function firstNonFiniteTensor(model: MLP, ws: Workspace): { name: string; what: string } {
  const k = model.engine.backend;
  for (const p of model.params()) {
    const bad = k.countNonFinite(p.value.size, p.value.ptr);
    if (bad > 0) return { name: p.name, what: `${p.name} (${bad} NaN/Inf values)` };
  }
  for (let l = 0; l < ws.z.length; l++) {
    const bad = k.countNonFinite(ws.z[l].size, ws.z[l].ptr);
    if (bad > 0)
      return { name: `layers.${l}`, what: `the output of layers.${l} (${bad} NaN/Inf values; its weights overflow the float range)` };
  }
  return { name: 'loss', what: 'the loss itself (logits are finite)' };
}

/** What `onStep` receives after each update. */
export interface StepInfo {
  epoch: number;
  /** Updates taken so far (the optimizer's step count). */
  step: number;
  /** Mean loss of the batch, before the update. */
  loss: number;
  lr: number;
}

/** What `onEpoch` receives after each epoch. */
export interface EpochInfo {
  epoch: number;
  trainLoss: number;
  valLoss?: number;
  valAccuracy?: number;
  seconds: number;
}

/** Options of fit. */
export interface FitOptions {
  /** Train until this many epochs are done (integer >= 1). */
  epochs: number;
  /** Samples per update; the last batch of an epoch may be smaller. */
  batchSize: number;
  /** A config (a new optimizer is made) or an existing optimizer, e.g. one restored from a checkpoint. */
  optimizer: OptimizerConfig | Optimizer;
  loss: LossName;
  /** Learning rate per step, relative to the optimizer's lr (default: constant). */
  schedule?: ScheduleConfig;
  /** Seeds the shuffling; epoch e's order depends only on (seed, e). Default 0. */
  seed?: number;
  /** Evaluated after every epoch. */
  validation?: Dataset;
  /** First epoch to run (default 0): resuming at epoch k after k finished epochs repeats nothing. */
  initialEpoch?: number;
  callbacks?: { onStep?: (info: StepInfo) => void; onEpoch?: (info: EpochInfo) => void };
  /**
   * The largest training set, in floats (inputs plus targets), that fit copies into the engine for
   * the run, so that each batch is gathered there in one kernel call instead of copied row by row
   * from JS (Fashion-MNIST, 47M floats: ~60 µs a step less at batch 128). Default 2^26 (256 MiB of
   * engine memory, which a WebAssembly memory keeps once grown); 0 never copies.
   */
  stageFloats?: number;
}

/** Per-epoch record of a fit; valLoss/valAccuracy are empty without a validation set. */
export interface History {
  epochs: number[];
  trainLoss: number[];
  valLoss: number[];
  valAccuracy: number[];
  seconds: number[];
  /** The optimizer used (created from the config when one was given), e.g. to checkpoint it. */
  optimizer: Optimizer;
}

const isFunction = (v: unknown): boolean => typeof v === 'function';
/** FitOptions.stageFloats by default: 2^26 floats (256 MiB), MNIST and Fashion-MNIST (47M) included. */
const STAGE_FLOATS = 1 << 26;
const fitSchema = z.strictObject({
  epochs: z.number().int().min(1),
  batchSize: z.number().int().min(1),
  optimizer: z.custom<object>((v) => typeof v === 'object' && v !== null, 'expected an optimizer config or an Optimizer'),
  loss: z.enum(LOSSES),
  schedule: z.custom<ScheduleConfig>((v) => typeof v === 'object' && v !== null, 'expected a schedule config').optional(),
  seed: z.number().int().default(0),
  validation: z.custom<Dataset>((v) => typeof v === 'object' && v !== null, 'expected a Dataset').optional(),
  initialEpoch: z.number().int().min(0).default(0),
  stageFloats: z.number().int().min(0).default(STAGE_FLOATS),
  callbacks: z
    .strictObject({
      onStep: z.custom<(info: StepInfo) => void>(isFunction, 'expected a function').optional(),
      onEpoch: z.custom<(info: EpochInfo) => void>(isFunction, 'expected a function').optional(),
    })
    .optional(),
});

/**
 * Trains `model` on `train` with shuffled mini-batches and returns the per-epoch history.
 * Example: `fit(model, data, { epochs: 10, batchSize: 64, optimizer: { kind: 'adam', lr: 1e-3 }, loss: 'cross-entropy' })`.
 */
export function fit(model: MLP, train: Dataset, options: FitOptions): History {
  const o = parseConfig(fitSchema, options, 'FitOptions');
  checkDataset(train, model.inFeatures, model.outFeatures, o.loss, 'train');
  if (o.validation !== undefined) checkDataset(o.validation, model.inFeatures, model.outFeatures, o.loss, 'validation');
  const optimizer = isOptimizer(o.optimizer) ? o.optimizer : createOptimizer(model, o.optimizer as OptimizerConfig, 'FitOptions.optimizer');
  const lrAt = createSchedule(o.schedule ?? { kind: 'constant' }, optimizer.config.lr, 'FitOptions.schedule');
  const [inF, yPer] = [model.inFeatures, o.loss === 'cross-entropy' ? 1 : model.outFeatures];
  const bs = Math.min(o.batchSize, train.size);
  const order = new Int32Array(train.size);
  const history: History = { epochs: [], trainLoss: [], valLoss: [], valAccuracy: [], seconds: [], optimizer };
  // a set up to stageFloats is staged in the engine once, and each minibatch gathered there in one kernel call
  const staged = stageSet(model, train, inF, yPer, o.stageFloats);
  try {
    for (let epoch = o.initialEpoch; epoch < o.epochs; epoch++) {
      const t0 = performance.now();
      for (let i = 0; i < order.length; i++) order[i] = i;
      new Rng(o.seed).fork(epoch).shuffle(order);
      staged?.order.set(order);
      let sum = 0;
      for (let start = 0; start < train.size; start += bs) {
        const b = Math.min(bs, train.size - start);
        const lr = lrAt(optimizer.stepCount);
        // the set was checked above and every batch is a copy of part of it, gathered straight into
        // the workspace: in the engine (a staged set) or from JS, without a NaN/Inf count per batch
        const ws = model.workspace(b);
        const targets = targetRows(o.loss, ws);
        if (staged !== null) {
          const k = model.engine.backend;
          const at = staged.order.ptr + start * 4;
          k.gatherRows(b, inF, at, staged.x.ptr, ws.inputRows.ptr);
          k.gatherRows(b, yPer, at, staged.y.ptr, targets.ptr);
        } else {
          copyRows(train.x, ws.inputRows.data, order, start, b, inF);
          if (train.y instanceof Int32Array) copyRows(train.y, targets.ints, order, start, b, yPer);
          else copyRows(train.y, targets.data, order, start, b, yPer);
        }
        const loss = checkedTrainStep(model, optimizer, b, o.loss, lr);
        sum += loss * b;
        o.callbacks?.onStep?.({ epoch, step: optimizer.stepCount, loss, lr });
      }
      const info: EpochInfo = { epoch, trainLoss: sum / train.size, seconds: 0 };
      if (o.validation !== undefined) {
        const v = evaluate(model, o.validation, o.loss);
        info.valLoss = v.loss;
        info.valAccuracy = v.accuracy;
        history.valLoss.push(v.loss);
        history.valAccuracy.push(v.accuracy);
      }
      info.seconds = (performance.now() - t0) / 1000;
      history.epochs.push(epoch);
      history.trainLoss.push(info.trainLoss);
      history.seconds.push(info.seconds);
      o.callbacks?.onEpoch?.(info);
    }
  } finally {
    if (staged !== null) for (const t of [staged.x, staged.y, staged.order]) t.dispose();
  }
  return history;
}

/**
 * The set's inputs [size, in] and targets [size, yPer] copied into the engine, with room for the
 * epoch's order; null when it holds more than `limit` floats, or when the engine's memory cannot
 * grow to hold it (its arena's maximumPages): fit then copies each batch from JS.
 */
function stageSet(model: MLP, train: Dataset, inF: number, yPer: number, limit: number): { x: Tensor; y: Tensor; order: Tensor } | null {
  if (train.size * (inF + yPer) > limit) return null;
  const e = model.engine;
  const made: Tensor[] = [];
  try {
    const x = e.tensor([train.size, inF]);
    made.push(x);
    const y = train.y instanceof Int32Array ? e.tensor([train.size, yPer], 'i32') : e.tensor([train.size, yPer]);
    made.push(y);
    const order = e.tensor([train.size], 'i32');
    x.set(train.x);
    y.set(train.y);
    return { x, y, order };
  } catch (err) {
    for (const t of made) t.dispose();
    // out of engine memory (Arena.alloc could not grow the memory): the set stays in JS
    if (err instanceof BackendError && err.details.where === 'Arena.alloc') return null;
    throw err;
  }
}

/** Rows order[start .. start + count) of src [*, width] into dst [count, width]. */
function copyRows<T extends Float32Array | Int32Array>(
  src: T,
  dst: T,
  order: Int32Array,
  start: number,
  count: number,
  width: number,
): void {
  // narrow rows (the Boolean tasks' 32 inputs, a label) copy faster element by element than
  // through a subarray view per row; wide ones (images) through set
  if (width < 64) {
    for (let i = 0; i < count; i++) {
      const from = order[start + i] * width;
      const to = i * width;
      for (let j = 0; j < width; j++) dst[to + j] = src[from + j];
    }
    return;
  }
  for (let i = 0; i < count; i++) {
    const s = order[start + i];
    dst.set(src.subarray(s * width, (s + 1) * width), i * width);
  }
}

function isOptimizer(v: object): v is Optimizer {
  return typeof (v as Optimizer).step === 'function' && typeof (v as Optimizer).exportState === 'function';
}
