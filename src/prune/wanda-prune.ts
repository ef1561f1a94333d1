import { z } from 'zod';
import { applyMask, FORCED, maskFromScores } from './select.js';
import {
  type Calibration,
  checkCalibration,
  checkLayer,
  LAYER_OPTIONS,
  type LayerPruneOptions,
  type PruneLayer,
  type PruneResult,
  parseOptions,
  resolveTarget,
} from './target.js';

/**
 * Wanda (pruning by weights and activations): scores each weight by |W_ij|·||X_j||_2, the input
 * feature's L2 norm over the calibration samples, and compares the scores within each output row
 * (Wanda's comparison group: every neuron keeps the same share of its inputs), so unstructured
 * sparsity s prunes round(s·in) weights of every row; N:M prunes m − n of every m inputs per row.
 * Existing mask zeros count and stay zero; ties go to the lowest index.
 * Example: `wandaPrune(layer, { x, size: 64 }, { sparsity: 0.5 })`.
 */
export function wandaPrune(layer: PruneLayer, calibration: Calibration, options: LayerPruneOptions): PruneResult {
  const where = `wandaPrune ${options?.name ?? 'layer'}`;
  parseOptions(z.strictObject(LAYER_OPTIONS), options, where);
  const keep = checkLayer(layer, where);
  const { inFeatures: inF, outFeatures: out } = layer;
  const target = resolveTarget(options, inF, where);
  checkCalibration(calibration, inF, where);
  const norms = inputNorms(calibration.x, calibration.size, inF);
  const scores = Float64Array.from(layer.weight, (w, i) => (keep[i] !== 0 ? Math.abs(w) * norms[i % inF] : FORCED));
  const mask = maskFromScores(scores, out, inF, target, 'row');
  return { mask, weight: applyMask(layer.weight, mask) };
}

/** ||X_j||_2 over the samples of x [size, in], per input j. */
function inputNorms(x: Float32Array, size: number, inF: number): Float64Array {
  const sq = new Float64Array(inF);
  for (let t = 0; t < size; t++) {
    for (let j = 0; j < inF; j++) {
      const v = x[t * inF + j];
      sq[j] += v * v;
    }
  }
  return sq.map(Math.sqrt);
}
