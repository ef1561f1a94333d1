import { ShapeError } from '../engine/index.js';
import { type Calibration, checkCalibration, checkLayer, type PruneLayer } from './target.js';

/**
 * ||WX − W'X||_F over the calibration samples: the Frobenius norm of (W − W')·Xᵀ for the original
 * layer W [out, in], a pruned weight W' [out, in] and inputs x [n, in], accumulated in float64.
 * Example: `reconstructionError(layer, sparseGptPrune(layer, cal, { sparsity: 0.5 }).weight, cal)`.
 */
export function reconstructionError(layer: PruneLayer, pruned: Float32Array, calibration: Calibration): number {
  const where = 'reconstructionError';
  checkLayer(layer, where);
  const { inFeatures: inF, outFeatures: out } = layer;
  if (!(pruned instanceof Float32Array) || pruned.length !== out * inF) {
    throw new ShapeError(
      `${where}: pruned must be a Float32Array of out x in = ${out * inF} values like the layer's weight, got ${pruned?.length}`,
      {
        where: `${where}.pruned`,
        got: pruned?.length,
        allowed: String(out * inF),
      },
    );
  }
  checkCalibration(calibration, inF, where);
  const diff = Float64Array.from(layer.weight, (w, i) => w - pruned[i]);
  const x = new Float64Array(inF);
  let sum = 0;
  for (let t = 0; t < calibration.size; t++) {
    for (let j = 0; j < inF; j++) x[j] = calibration.x[t * inF + j];
    for (let r = 0; r < out; r++) {
      let y = 0;
      for (let j = 0; j < inF; j++) y += diff[r * inF + j] * x[j];
      sum += y * y;
    }
  }
  return Math.sqrt(sum);
}
