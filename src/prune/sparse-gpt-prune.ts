import { z } from 'zod';
import { ConfigError, NumericError } from '../engine/index.js';
import { NotPositiveDefinite } from '../math/index.js';
import { calibrationHessian, inverseHessianFactorInPlace } from './hessian.js';
import { FORCED, pruneLowest } from './select.js';
import {
  type Calibration,
  checkCalibration,
  checkLayer,
  integerOption,
  LAYER_OPTIONS,
  type LayerPruneOptions,
  type PruneLayer,
  type PruneResult,
  parseOptions,
  type ResolvedTarget,
  resolveTarget,
} from './target.js';

/** Options of sparseGptPrune; defaults percdamp 0.01 and blockSize 128 (the SparseGPT paper's and Sparse Expansion's). */
export interface SparseGptOptions extends LayerPruneOptions {
  /** Dampening λ = percdamp·mean(diag H) added to the Hessian diagonal; >= 0. */
  percdamp?: number;
  /** Columns per lazy-update block (and per unstructured mask selection); for N:M a multiple of m. */
  blockSize?: number;
}

const PERCDAMP = (issue: { input?: unknown }): string =>
  `percdamp must be a finite number >= 0 (dampening as a fraction of mean(diag H), e.g. 0.01), got ${String(issue.input)}`;

/** SparseGPT's own settings as a zod shape; null or absent take the defaults (0.01 and 128). */
export const SPARSE_GPT_SETTINGS = {
  percdamp: z.number({ error: PERCDAMP }).min(0, { error: PERCDAMP }).nullish(),
  blockSize: integerOption('blockSize', 1, ' (columns per lazy-update block, e.g. 128)').nullish(),
};

const OPTIONS = z.strictObject({ ...LAYER_OPTIONS, ...SPARSE_GPT_SETTINGS });

/**
 * SparseGPT: prunes a layer column by column with Optimal Brain Surgeon updates of the remaining
 * weights, minimising ||WX − ŴX||² on the calibration inputs. H = 2XᵀX/n (float64); inputs never
 * seen (diag H = 0) get diag 1 and weight 0; λ = percdamp·mean(diag H) is added to the diagonal;
 * U is the upper Cholesky factor of H⁻¹. Per block of B columns: unstructured targets pick the
 * block's pruned weights up front as the lowest w²/U_jj² over all rows of the block (adaptive
 * mask selection; block k prunes round(s·out·end_k) − round(s·out·start_k) so the layer gets
 * exactly round(s·out·in)); N:M picks the m − n lowest per row at the start of each group of m.
 * Each column's error (w − q)/U_jj updates the later columns of its block at once and the columns
 * after the block in one product per block (lazy batch updates). Existing mask zeros always count
 * as pruned; ties go to the lowest index. Example: `sparseGptPrune(layer, { x, size }, { nm: { n: 2, m: 4 } })`.
 */
export function sparseGptPrune(layer: PruneLayer, calibration: Calibration, options: SparseGptOptions): PruneResult {
  const name = options?.name ?? 'layer';
  const where = `sparseGptPrune ${name}`;
  parseOptions(OPTIONS, options, where);
  const keep = checkLayer(layer, where);
  const { inFeatures: inF, outFeatures: out } = layer;
  const target = resolveTarget(options, inF, where);
  const { percdamp, blockSize } = checkSparseGptSettings(options, target, where);
  checkCalibration(calibration, inF, where);

  const h = calibrationHessian(calibration.x, calibration.size, inF);
  const w = Float64Array.from(layer.weight);
  let diagSum = 0;
  for (let j = 0; j < inF; j++) {
    if (h[j * inF + j] === 0) {
      h[j * inF + j] = 1;
      for (let r = 0; r < out; r++) w[r * inF + j] = 0;
    }
    diagSum += h[j * inF + j];
  }
  const damp = (percdamp * diagSum) / inF;
  for (let j = 0; j < inF; j++) h[j * inF + j] += damp;
  let u: Float64Array; // h itself, overwritten: the only [in, in] matrix SparseGPT holds
  try {
    u = inverseHessianFactorInPlace(h, inF);
  } catch (err) {
    if (!(err instanceof NotPositiveDefinite)) throw err;
    const few = calibration.size < inF ? ' (fewer samples than inputs, so XᵀX is singular)' : '';
    throw new NumericError(
      `${where}: the dampened calibration Hessian is not positive definite (Cholesky failed at input ${err.index}); the calibration set has ${calibration.size} samples for input width ${inF}${few}; raise percdamp (now ${percdamp}, e.g. 0.01 to 0.1) or use more calibration samples`,
      { where, got: percdamp, allowed: 'percdamp > 0 or calibration.size >= inFeatures' },
    );
  }
  for (let start = 0; start < inF; start += blockSize) pruneBlock(w, u, keep, out, inF, start, Math.min(start + blockSize, inF), target);
  return { mask: keep, weight: Float32Array.from(w) };
}

/**
 * Prunes columns [start, end) of w [out, in] in place (pruned entries of keep set to 0), then
 * applies the block's accumulated errors to the columns after it: W[:, end:] −= E·U[start:end, end:].
 */
function pruneBlock(
  w: Float64Array,
  u: Float64Array,
  keep: Uint8Array,
  out: number,
  inF: number,
  start: number,
  end: number,
  target: ResolvedTarget,
): void {
  const cols = end - start;
  if (target.kind === 'unstructured') {
    // scores and keep flags of the block, [out, cols] row-major
    const scores = new Float64Array(out * cols);
    const blockKeep = new Uint8Array(out * cols).fill(1);
    for (let r = 0; r < out; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * inF + start + c;
        const d = u[(start + c) * inF + start + c];
        scores[r * cols + c] = keep[i] !== 0 ? (w[i] * w[i]) / (d * d) : FORCED;
      }
    }
    const s = target.sparsity;
    pruneLowest(scores, blockKeep, 0, out * cols, Math.round(s * out * end) - Math.round(s * out * start));
    for (let r = 0; r < out; r++) for (let c = 0; c < cols; c++) keep[r * inF + start + c] = blockKeep[r * cols + c];
  }
  const err = new Float64Array(out * cols); // [out, cols]
  for (let c = 0; c < cols; c++) {
    const j = start + c;
    if (target.kind === 'nm' && c % target.m === 0) selectGroup(w, u, keep, out, inF, j, target);
    const d = u[j * inF + j];
    for (let r = 0; r < out; r++) {
      const row = r * inF;
      if (keep[row + j] !== 0) continue;
      // a pruned weight: fix it at 0 and move its error onto the later columns of the block
      const e = w[row + j] / d;
      w[row + j] = 0;
      err[r * cols + c] = e;
      if (e === 0) continue;
      for (let t = j + 1; t < end; t++) w[row + t] -= e * u[j * inF + t];
    }
  }
  if (end === inF) return;
  for (let r = 0; r < out; r++) {
    const row = r * inF;
    for (let c = 0; c < cols; c++) {
      const e = err[r * cols + c];
      if (e === 0) continue;
      const uRow = (start + c) * inF;
      for (let t = end; t < inF; t++) w[row + t] -= e * u[uRow + t];
    }
  }
}

/** N:M: in every row, prunes the m − n lowest w²/U_jj² of columns [j, j + m), using the weights as updated so far. */
function selectGroup(
  w: Float64Array,
  u: Float64Array,
  keep: Uint8Array,
  out: number,
  inF: number,
  j: number,
  target: { n: number; m: number },
): void {
  const { n, m } = target;
  const scores = new Float64Array(m);
  const groupKeep = new Uint8Array(m);
  for (let r = 0; r < out; r++) {
    const row = r * inF;
    for (let t = 0; t < m; t++) {
      const d = u[(j + t) * inF + j + t];
      scores[t] = keep[row + j + t] !== 0 ? (w[row + j + t] * w[row + j + t]) / (d * d) : FORCED;
    }
    groupKeep.fill(1);
    pruneLowest(scores, groupKeep, 0, m, m - n);
    for (let t = 0; t < m; t++) keep[row + j + t] = groupKeep[t];
  }
}

/**
 * SparseGPT's settings with their defaults, checked for a layer's target: percdamp finite >= 0,
 * blockSize an integer >= 1 and, for N:M, a multiple of m; ConfigError naming `where` otherwise.
 */
export function checkSparseGptSettings(
  settings: { percdamp?: number | null; blockSize?: number | null },
  target: ResolvedTarget,
  where: string,
): { percdamp: number; blockSize: number } {
  const parsed = parseOptions(z.object(SPARSE_GPT_SETTINGS), settings, where);
  const percdamp = parsed.percdamp ?? 0.01;
  const blockSize = parsed.blockSize ?? 128;
  if (target.kind === 'nm' && blockSize % target.m !== 0) {
    throw new ConfigError(
      `${where}: blockSize ${blockSize} is not a multiple of nm.m = ${target.m}; an N:M group must not straddle two blocks`,
      {
        where: `${where}.blockSize`,
        got: blockSize,
        allowed: `a multiple of ${target.m}`,
      },
    );
  }
  return { percdamp, blockSize };
}
