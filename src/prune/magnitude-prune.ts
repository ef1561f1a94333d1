import { z } from 'zod';
import { ConfigError } from '../engine/index.js';
import { applyMask, FORCED, maskFromScores, pruneLowest } from './select.js';
import {
  checkLayer,
  LAYER_OPTIONS,
  type LayerPruneOptions,
  type PruneLayer,
  type PruneResult,
  parseOptions,
  resolveTarget,
} from './target.js';

/**
 * Prunes the weights of smallest |W| in one layer: unstructured over the whole layer
 * (round(s·out·in) zeros; existing mask zeros count and stay zero) or N:M per row; ties go to the
 * lowest flat index. Example: `magnitudePrune({ weight, inFeatures: 24, outFeatures: 12 }, { sparsity: 0.5 })`.
 */
export function magnitudePrune(layer: PruneLayer, options: LayerPruneOptions): PruneResult {
  const where = `magnitudePrune ${options?.name ?? 'layer'}`;
  parseOptions(z.strictObject(LAYER_OPTIONS), options, where);
  const keep = checkLayer(layer, where);
  const target = resolveTarget(options, layer.inFeatures, where);
  const mask = maskFromScores(magnitudes(layer.weight, keep), layer.outFeatures, layer.inFeatures, target, 'layer');
  return { mask, weight: applyMask(layer.weight, mask) };
}

/**
 * Prunes the round(s·N) weights of smallest |W| over all `layers` together (N = their total
 * size), so layers of small weights lose more; ties go to the lowest index in the concatenation of
 * the flattened layers. Example: `globalMagnitudePrune([l0, l1], { sparsity: 0.9 })`.
 */
export function globalMagnitudePrune(layers: readonly PruneLayer[], options: { sparsity: number }): PruneResult[] {
  const where = 'globalMagnitudePrune';
  parseOptions(z.strictObject({ sparsity: z.unknown().optional() }), options, where);
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new ConfigError(`${where}: give at least one layer`, { where, got: layers });
  }
  const keeps = layers.map((l, i) => checkLayer(l, `${where} layers.${i}`));
  if (options.sparsity === undefined) {
    throw new ConfigError(
      `${where}: sparsity is required (in [0, 1)); N:M patterns are per row, so prune them per layer with magnitudePrune`,
      {
        where: `${where}.sparsity`,
        allowed: '[0, 1)',
      },
    );
  }
  resolveTarget({ sparsity: options.sparsity }, 1, where);
  const total = layers.reduce((s, l) => s + l.weight.length, 0);
  const scores = new Float64Array(total);
  let offset = 0;
  layers.forEach((l, i) => {
    scores.set(magnitudes(l.weight, keeps[i]), offset);
    offset += l.weight.length;
  });
  const keep = new Uint8Array(total).fill(1);
  pruneLowest(scores, keep, 0, total, Math.round(options.sparsity * total));
  offset = 0;
  return layers.map((l) => {
    const mask = keep.slice(offset, offset + l.weight.length);
    offset += l.weight.length;
    return { mask, weight: applyMask(l.weight, mask) };
  });
}

/** |W| per entry, FORCED where the existing mask is 0. */
function magnitudes(weight: Float32Array, keep: Uint8Array): Float64Array {
  return Float64Array.from(weight, (w, i) => (keep[i] !== 0 ? Math.abs(w) : FORCED));
}
