import { ShapeError } from '../engine/index.js';
import { forwardInChunks, type MLP, type ModelInputs, type Workspace } from '../nn/index.js';
import { checkCount } from './check.js';

/**
 * Pre-activations of hidden layer `layer` [0] of `model` over `data`, feature-major [units, size]
 * (row u = unit u over every sample), computed by forward passes of at most `batch` [1024] samples.
 * Example: `unitWasserstein(hiddenPreActivations(model, test), h, test.size)`.
 */
export function hiddenPreActivations(model: MLP, data: ModelInputs, layer = 0, batch = 1024): Float32Array {
  const hidden = model.layers.length - 1;
  if (!Number.isInteger(layer) || layer < 0 || layer >= hidden) {
    throw new ShapeError(`hiddenPreActivations layer must be an integer in [0, ${hidden - 1}] (the hidden layers), got ${layer}`, {
      where: 'hiddenPreActivations layer',
      got: layer,
      allowed: `0..${hidden - 1}`,
    });
  }
  const units = model.layers[layer].outFeatures;
  const out = new Float32Array(units * data.size);
  forEachChunk(model, data, batch, 'hiddenPreActivations', (start, b, ws) => {
    const z = ws.z[layer].data; // [units, b]
    for (let u = 0; u < units; u++) out.set(z.subarray(u * b, (u + 1) * b), u * data.size + start);
  });
  return out;
}

/** The model's outputs (logits) [size, out] row-major over `data`, in forward passes of at most `batch` [1024] samples. */
export function modelOutputs(model: MLP, data: ModelInputs, batch = 1024): Float32Array {
  const outF = model.outFeatures;
  const out = new Float32Array(data.size * outF);
  forEachChunk(model, data, batch, 'modelOutputs', (start, b, ws) => {
    const z = ws.logits.data; // [out, b]
    for (let c = 0; c < outF; c++) for (let t = 0; t < b; t++) out[(start + t) * outF + c] = z[c * b + t];
  });
  return out;
}

function forEachChunk(
  model: MLP,
  data: ModelInputs,
  batch: number,
  where: string,
  use: (start: number, b: number, ws: Workspace) => void,
): void {
  checkCount(batch, 1, `${where} batch`);
  checkCount(data.size, 1, `${where} data.size`);
  const inF = model.inFeatures;
  if (data.x.length !== data.size * inF) {
    throw new ShapeError(`${where} data.x must hold size x in = ${data.size} x ${inF} values, got ${data.x.length}`, {
      where: `${where} data.x`,
      got: data.x.length,
      allowed: String(data.size * inF),
    });
  }
  forwardInChunks(model, data, Math.min(batch, data.size), use);
}
