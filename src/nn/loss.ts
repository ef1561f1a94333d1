import type { Engine } from '../engine/index.js';
import type { LossName } from './dataset.js';
import type { Workspace } from './workspace.js';

/**
 * Number of terms the mean loss divides by, as PyTorch's reduction 'mean': the batch for
 * cross-entropy, every output element (batch x out) for bce and mse.
 */
export function lossCount(loss: LossName, outFeatures: number, batch: number): number {
  return loss === 'cross-entropy' ? batch : batch * outFeatures;
}

/**
 * Stages the sample-major targets `y` into `ws`, evaluates `loss` on the logits of the last
 * forward and returns the loss summed over the batch. With `withGrad`, writes the gradient of the
 * mean loss, dL/dlogits [out, B], into the last `ws.dz`.
 */
export function applyLoss(engine: Engine, loss: LossName, ws: Workspace, y: Int32Array | Float32Array, withGrad: boolean): number {
  targetRows(loss, ws).set(y);
  return stagedLoss(engine, loss, ws, withGrad);
}

/** Where `loss` takes its sample-major targets in `ws`: the i32 labels [B] for cross-entropy, else outputRows [B, out]. */
export function targetRows(loss: LossName, ws: Workspace): Workspace['labels'] {
  return loss === 'cross-entropy' ? ws.labels : ws.outputRows;
}

/** applyLoss on targets already in targetRows(loss, ws). */
export function stagedLoss(engine: Engine, loss: LossName, ws: Workspace, withGrad: boolean): number {
  const k = engine.backend;
  const logits = ws.logits;
  const [outF, batch] = logits.shape;
  const scale = 1 / lossCount(loss, outF, batch);
  const grad = withGrad ? ws.dz[ws.dz.length - 1].ptr : 0;
  if (loss === 'cross-entropy') return k.softmaxCrossEntropy(outF, batch, logits.ptr, ws.labels.ptr, grad, scale);
  // targets arrive [B, out]; the kernels want them feature-major like the logits
  k.transpose(batch, outF, ws.outputRows.ptr, ws.targets.ptr);
  return loss === 'bce'
    ? k.bceWithLogits(outF * batch, logits.ptr, ws.targets.ptr, grad, scale)
    : k.mse(outF * batch, logits.ptr, ws.targets.ptr, grad, scale);
}
