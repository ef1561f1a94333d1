import type { ResolvedTarget } from './target.js';

/** Score of an entry that must be pruned (already masked): sorts before every real score. */
export const FORCED = Number.NEGATIVE_INFINITY;

/**
 * Sets keep[start + i] = 0 for the lowest-scored entries of scores[start, start + len): the
 * max(k, forced) lowest, where the forced entries (score FORCED) always go first. Ties go to the
 * lowest index, so the choice is deterministic.
 */
export function pruneLowest(scores: Float64Array, keep: Uint8Array, start: number, len: number, k: number): void {
  const order = new Int32Array(len);
  let forced = 0;
  for (let i = 0; i < len; i++) {
    order[i] = start + i;
    if (scores[start + i] === FORCED) forced++;
  }
  // FORCED - FORCED is NaN, which falls through to the index
  order.sort((a, b) => scores[a] - scores[b] || a - b);
  const count = Math.max(k, forced);
  for (let i = 0; i < count; i++) keep[order[i]] = 0;
}

/**
 * A mask [out, in] (1 = kept) from per-entry scores (FORCED where already masked). Unstructured:
 * prune round(s·out·in) entries compared over the whole layer (`group` 'layer') or round(s·in) per
 * output row (`group` 'row'); N:M: prune m − n of every m consecutive inputs of each row.
 */
export function maskFromScores(scores: Float64Array, out: number, inF: number, target: ResolvedTarget, group: 'layer' | 'row'): Uint8Array {
  const keep = new Uint8Array(out * inF).fill(1);
  if (target.kind === 'nm') {
    for (let g = 0; g < out * inF; g += target.m) pruneLowest(scores, keep, g, target.m, target.m - target.n);
  } else if (group === 'layer') {
    pruneLowest(scores, keep, 0, out * inF, Math.round(target.sparsity * out * inF));
  } else {
    for (let r = 0; r < out; r++) pruneLowest(scores, keep, r * inF, inF, Math.round(target.sparsity * inF));
  }
  return keep;
}

/** The weight with the pruned entries set to 0. */
export function applyMask(weight: Float32Array, keep: Uint8Array): Float32Array {
  return weight.map((w, i) => (keep[i] !== 0 ? w : 0));
}
