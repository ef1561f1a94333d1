import type { MLP } from './mlp.js';
import type { Workspace } from './workspace.js';

/** Inputs to run a model on: x [size, in] row-major (a Dataset or a pruner's Calibration fits). */
export interface ModelInputs {
  x: Float32Array;
  size: number;
}

/**
 * Runs data.x through `model` in forward passes of at most `batch` samples, in order; `use` sees
 * each pass's first sample, its sample count b and the workspace (valid until the next pass).
 */
export function forwardInChunks(
  model: MLP,
  data: ModelInputs,
  batch: number,
  use: (start: number, b: number, ws: Workspace) => void,
): void {
  const inF = model.inFeatures;
  for (let start = 0; start < data.size; start += batch) {
    const b = Math.min(batch, data.size - start);
    use(start, b, model.forward(data.x.subarray(start * inF, (start + b) * inF), b));
  }
}

/**
 * The inputs [size, in_l] of each layer l in `layers` (default: every layer) of `model` over the
 * calibration inputs data.x [size, in], in model.layers order: data.x itself for layer 0, the
 * hidden activation h[l−1] after; one forward pass per `batch` [1024] samples. Pruners read these.
 * Example: `const [x1] = layerInputs(model, { x: train.x, size: 256 }, [1])`.
 */
export function layerInputs(model: MLP, data: ModelInputs, layers?: readonly number[], batch = 1024): Float32Array[] {
  const wanted = layers ?? model.layers.map((_, l) => l);
  const inputs = wanted.map((l) => (l === 0 ? data.x : new Float32Array(data.size * model.layers[l].inFeatures)));
  if (wanted.every((l) => l === 0)) return inputs;
  forwardInChunks(model, data, batch, (start, b, ws) => {
    wanted.forEach((l, i) => {
      if (l === 0) return;
      const h = ws.h[l - 1].data; // [width, b]
      const width = model.layers[l].inFeatures;
      const out = inputs[i];
      for (let j = 0; j < width; j++) for (let t = 0; t < b; t++) out[(start + t) * width + j] = h[j * b + t];
    });
  });
  return inputs;
}
