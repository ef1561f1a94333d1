import { ConfigError } from '../engine/index.js';
import { type LayerPath, type LayerWeights, layerInputs, MLP } from '../nn/index.js';
import { globalMagnitudePrune, magnitudePrune } from './magnitude-prune.js';
import { checkSparseGptSettings, type SparseGptOptions, sparseGptPrune } from './sparse-gpt-prune.js';
import { type Calibration, checkCalibration, checkKeys, type PruneResult, type PruneTarget, resolveTarget } from './target.js';
import { wandaPrune } from './wanda-prune.js';

/** One-shot pruning methods of pruneModel; 'global-magnitude' compares |W| across all layers at once. */
export const PRUNE_METHODS = ['magnitude', 'global-magnitude', 'wanda', 'sparsegpt'] as const;
/** Name of a one-shot pruning method. */
export type PruneMethod = (typeof PRUNE_METHODS)[number];

/** Options of pruneModel: a method, a target, SparseGPT's settings, the forward batch [1024] and the new layers' path ['auto']. */
export interface PruneModelOptions extends PruneTarget {
  method: PruneMethod;
  percdamp?: number;
  blockSize?: number;
  batch?: number;
  path?: LayerPath;
}

const KEYS = ['method', 'sparsity', 'nm', 'percdamp', 'blockSize', 'batch', 'path'];

/**
 * A pruned copy of `model` (the input is left untouched): every layer is pruned in order, the
 * calibration-based methods seeing each layer's inputs as propagated through the already-pruned
 * earlier layers (SparseGPT's sequential scheme). Existing mask zeros stay zero; biases are kept.
 * `calibration` holds network inputs [size, in]; magnitude methods ignore it (null is fine).
 * Example: `pruneModel(model, { x: train.x, size: 256 }, { method: 'sparsegpt', sparsity: 0.5 })`.
 */
export function pruneModel(model: MLP, calibration: Calibration | null, options: PruneModelOptions): MLP {
  const where = 'pruneModel';
  checkKeys(options, KEYS, where);
  const { method, batch = 1024, path = 'auto' } = options;
  if (!(PRUNE_METHODS as readonly string[]).includes(method)) {
    throw new ConfigError(`${where}: unknown method ${JSON.stringify(method)}; allowed: ${PRUNE_METHODS.join(', ')}`, {
      where: `${where}.method`,
      got: method,
      allowed: PRUNE_METHODS.join(', '),
    });
  }
  if (method === 'global-magnitude' && options.nm !== undefined) {
    throw new ConfigError(`${where}: method 'global-magnitude' takes sparsity only; N:M patterns are per row, use method 'magnitude'`, {
      where: `${where}.nm`,
    });
  }
  if (!Number.isInteger(batch) || batch < 1) {
    throw new ConfigError(`${where}: batch must be an integer >= 1, got ${batch}`, { where: `${where}.batch`, got: batch });
  }
  if (!['auto', 'csr', 'dense'].includes(path)) {
    throw new ConfigError(`${where}: path must be one of auto, csr, dense, got ${JSON.stringify(path)}`, {
      where: `${where}.path`,
      got: path,
    });
  }
  const target = { sparsity: options.sparsity, nm: options.nm };
  // every check before any work: a bad N:M width in the last layer must not cost the earlier ones
  model.layers.forEach((l, i) => {
    const resolved = resolveTarget(target, l.inFeatures, `${where} layers.${i}`);
    if (method === 'sparsegpt')
      checkSparseGptSettings(options.percdamp ?? 0.01, options.blockSize ?? 128, resolved, `${where} layers.${i}`);
  });
  if (method === 'wanda' || method === 'sparsegpt') checkCalibration(calibration as Calibration, model.inFeatures, where);

  const originals: LayerWeights[] = model.layers.map((l) => ({
    weight: l.weight(),
    mask: l.mask(),
    bias: l.bias(),
    inFeatures: l.inFeatures,
    outFeatures: l.outFeatures,
  }));
  let results: PruneResult[];
  if (method === 'global-magnitude') {
    results = globalMagnitudePrune(originals, { sparsity: options.sparsity as number });
  } else {
    results = [];
    originals.forEach((layer, l) => {
      const name = `layers.${l}`;
      if (method === 'magnitude') {
        results.push(magnitudePrune(layer, { ...target, name }));
        return;
      }
      const x = l === 0 ? (calibration as Calibration) : prunedInputs(model, originals, results, calibration as Calibration, l, batch);
      if (method === 'wanda') results.push(wandaPrune(layer, x, { ...target, name }));
      else {
        const gpt: SparseGptOptions = { ...target, name, percdamp: options.percdamp, blockSize: options.blockSize };
        results.push(sparseGptPrune(layer, x, gpt));
      }
    });
  }
  const layers = originals.map((l, i) => ({ ...l, weight: results[i].weight, mask: results[i].mask }));
  return MLP.fromWeights(layers, { activation: model.activation, path }, model.engine);
}

/**
 * The inputs [size, in_l] of layer l: the calibration set run through the pruned layers 0..l−1
 * (a temporary model of those plus layer l, whose hidden activation h[l−1] feeds layer l).
 */
function prunedInputs(
  model: MLP,
  originals: LayerWeights[],
  pruned: PruneResult[],
  calibration: Calibration,
  l: number,
  batch: number,
): Calibration {
  const prefix = originals.slice(0, l).map((o, i) => ({ ...o, weight: pruned[i].weight, mask: pruned[i].mask }));
  const net = MLP.fromWeights([...prefix, originals[l]], { activation: model.activation, path: 'dense' }, model.engine);
  try {
    return { x: layerInputs(net, calibration, [l], batch)[0], size: calibration.size };
  } finally {
    net.dispose();
  }
}
