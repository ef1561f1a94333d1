import { expandCompact, type MLP, type OptimizerState, type StateSlot } from '../nn/index.js';
import type { MaskedLayer } from './budget.js';

/** Where every entry of a grown network came from: per weight matrix, new row -> old row and new column -> old column. */
export interface Provenance {
  /** [weight matrices] of [out'] old row indices. */
  rowSource: Int32Array[];
  /** [weight matrices] of [in'] old column indices. */
  colSource: Int32Array[];
}

/**
 * The optimizer state of `parent` moved onto the grown layers: every kept weight (r, c) takes
 * the state of the parent's weight (rowSource[r], colSource[c]) and every bias r the state of
 * bias rowSource[r], so children inherit their parent's state, duplicated outgoing columns copy
 * theirs, and pruned weights drop theirs. Config and step count are kept.
 */
export function carryState(
  state: OptimizerState,
  slots: readonly StateSlot[],
  parent: MLP,
  grown: MaskedLayer[],
  from: Provenance,
): OptimizerState {
  const buffers: Record<string, Float32Array> = {};
  grown.forEach((layer, l) => {
    const old = parent.layers[l];
    const oldMask = old.mask();
    const [rows, cols] = [from.rowSource[l], from.colSource[l]];
    for (const s of slots) {
      const dense = expandCompact(oldMask, state.buffers[`layers.${l}.weight.${s}`]); // [out, in] of the parent
      const compact: number[] = []; // CSR order of the grown mask
      for (let r = 0; r < layer.outFeatures; r++) {
        for (let c = 0; c < layer.inFeatures; c++) {
          if (layer.mask[r * layer.inFeatures + c] !== 0) compact.push(dense[rows[r] * old.inFeatures + cols[c]]);
        }
      }
      buffers[`layers.${l}.weight.${s}`] = Float32Array.from(compact);
      const bias = state.buffers[`layers.${l}.bias.${s}`];
      buffers[`layers.${l}.bias.${s}`] = Float32Array.from(rows, (r) => bias[r]);
    }
  });
  return { config: { ...state.config }, stepCount: state.stepCount, buffers };
}
