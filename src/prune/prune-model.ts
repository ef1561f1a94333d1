import { z } from 'zod';
import { ConfigError } from '../engine/index.js';
import { type LayerPath, type LayerWeights, layerInputs, MLP } from '../nn/index.js';
import { globalMagnitudePrune } from './magnitude-prune.js';
import { PRUNERS, type PrunerName } from './pruners.js';
import { SPARSE_GPT_SETTINGS } from './sparse-gpt-prune.js';
import {
  type Calibration,
  checkCalibration,
  integerOption,
  nameOption,
  type PruneResult,
  type PruneTarget,
  parseOptions,
  resolveTarget,
} from './target.js';

/** One-shot pruning methods of pruneModel: each pruner of PRUNERS, and 'global-magnitude', which compares |W| across all layers at once. */
export const PRUNE_METHODS = ['magnitude', 'global-magnitude', 'wanda', 'sparsegpt'] as const satisfies readonly (
  | PrunerName
  | 'global-magnitude'
)[];
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

const OPTIONS = z.strictObject({
  method: nameOption('method', PRUNE_METHODS),
  sparsity: z.unknown().optional(),
  nm: z.unknown().optional(),
  // checked by the method's pruner (PRUNERS[method].check): a wanda run ignores them
  ...Object.fromEntries(Object.keys(SPARSE_GPT_SETTINGS).map((k) => [k, z.unknown().optional()])),
  batch: integerOption('batch', 1).optional(),
  path: z
    .enum(['auto', 'csr', 'dense'], { error: (issue) => `path must be one of auto, csr, dense, got ${JSON.stringify(issue.input)}` })
    .optional(),
});

/**
 * A pruned copy of `model` (the input is left untouched): every layer is pruned in order, the
 * calibration-based methods seeing each layer's inputs as propagated through the already-pruned
 * earlier layers (SparseGPT's sequential scheme). Existing mask zeros stay zero; biases are kept.
 * `calibration` holds network inputs [size, in]; magnitude methods ignore it (null is fine).
 * Example: `pruneModel(model, { x: train.x, size: 256 }, { method: 'sparsegpt', sparsity: 0.5 })`.
 */
export function pruneModel(model: MLP, calibration: Calibration | null, options: PruneModelOptions): MLP {
  const where = 'pruneModel';
  parseOptions(OPTIONS, options, where);
  const { method, batch = 1024, path = 'auto' } = options;
  if (method === 'global-magnitude' && options.nm !== undefined) {
    throw new ConfigError(`${where}: method 'global-magnitude' takes sparsity only; N:M patterns are per row, use method 'magnitude'`, {
      where: `${where}.nm`,
    });
  }
  const target = { sparsity: options.sparsity, nm: options.nm };
  // every check before any work: a bad N:M width in the last layer must not cost the earlier ones
  const pruner = method === 'global-magnitude' ? null : PRUNERS[method];
  const settings = { percdamp: options.percdamp, blockSize: options.blockSize };
  model.layers.forEach((l, i) => {
    const resolved = resolveTarget(target, l.inFeatures, `${where} layers.${i}`);
    pruner?.check(settings, resolved, `${where} layers.${i}`);
  });
  if (pruner?.calibrated) checkCalibration(calibration as Calibration, model.inFeatures, where);

  const originals: LayerWeights[] = model.layers.map((l) => ({
    weight: l.weight(),
    mask: l.mask(),
    bias: l.bias(),
    inFeatures: l.inFeatures,
    outFeatures: l.outFeatures,
  }));
  let results: PruneResult[];
  if (pruner === null) {
    results = globalMagnitudePrune(originals, { sparsity: options.sparsity as number });
  } else {
    results = [];
    originals.forEach((layer, l) => {
      const name = `layers.${l}`;
      // magnitude needs no inputs: skip the forward passes
      const x =
        l === 0 || !pruner.calibrated
          ? (calibration as Calibration)
          : prunedInputs(model, originals, results, calibration as Calibration, l, batch);
      results.push(pruner.prune(layer, x, { ...target, name }, settings));
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
