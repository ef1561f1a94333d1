import { ConfigError } from '../engine/index.js';
import type { LayerWeights } from '../nn/index.js';

/** A layer with an explicit mask, as the budget functions edit it. */
export type MaskedLayer = LayerWeights & { mask: Uint8Array };

/**
 * Global magnitude pruning: removes the `count` kept weights of smallest |w| over all layers,
 * ties broken by the lowest flat index (layer 0's [out, in] entries row-major, then layer 1's,
 * ...). Edits the layers' weight and mask in place and returns the removed flat indices in
 * removal order. Example: `pruneSmallest(layers, model.nnz() - budget)`.
 */
export function pruneSmallest(layers: MaskedLayer[], count: number): Int32Array {
  const offsets = layers.map((_, l) => layers.slice(0, l).reduce((s, x) => s + x.mask.length, 0));
  const kept = layers.reduce((s, x) => s + x.mask.reduce((a, m) => a + m, 0), 0);
  if (!Number.isInteger(count) || count < 0 || count > kept) {
    throw new ConfigError(`cannot prune ${count} weights: the layers keep ${kept}; prune an integer in 0..${kept}`, {
      where: 'pruneSmallest',
      got: count,
      allowed: `0..${kept}`,
    });
  }
  const flat = new Int32Array(kept); // every kept weight's flat index, ascending
  const magnitude = new Float32Array(kept);
  let e = 0;
  layers.forEach((x, l) => {
    for (let i = 0; i < x.mask.length; i++) {
      if (x.mask[i] === 0) continue;
      flat[e] = offsets[l] + i;
      magnitude[e++] = Math.abs(x.weight[i]);
    }
  });
  // sort positions into `flat` by (|w|, flat index): positions ascend with the flat index
  const order = Int32Array.from(flat.keys()).sort((a, b) => magnitude[a] - magnitude[b] || a - b);
  const removed = new Int32Array(count);
  for (let t = 0; t < count; t++) {
    const f = flat[order[t]];
    let l = layers.length - 1;
    while (offsets[l] > f) l--;
    layers[l].mask[f - offsets[l]] = 0;
    layers[l].weight[f - offsets[l]] = 0;
    removed[t] = f;
  }
  return removed;
}
