import { z } from 'zod';
import { ConfigError, ShapeError } from '../../engine/index.js';
import { fitKMeans, fitPca } from '../../math/index.js';
import { ActivationStep, type LayerPath, type LayerWeights, type MLP, SparseLinear } from '../../nn/index.js';
import { PRUNER_NAMES, PRUNERS, type PrunerName } from '../pruners.js';
import { SPARSE_GPT_SETTINGS } from '../sparse-gpt-prune.js';
import {
  type Calibration,
  checkCalibration,
  integerOption,
  nameOption,
  type PruneResult,
  type PruneTarget,
  parseOptions,
  resolveTarget,
} from '../target.js';
import { type ExpandedLayer, ExpandedMLP, runLayer } from './expanded-mlp.js';
import { type LayerRouter, projectRows, routeRows } from './router.js';

/** Pruners Sparse Expansion can apply to each expert: every one of PRUNERS. */
export const EXPANSION_PRUNERS = PRUNER_NAMES;
/** Name of an expert pruner. */
export type ExpansionPruner = PrunerName;

/**
 * Options of sparseExpand: experts `k`, the per-expert target (sparsity or nm), the pruner
 * ['sparsegpt'], the PCA reduction factor `reduce` [8: a 512-input layer keeps 64 dimensions, as a
 * 2048-wide LLM layer does with the paper's 32], k-means `restarts` [10] and `iterations` [300],
 * `seed` [0] (layer l's k-means uses seed + l), SparseGPT's percdamp/blockSize, the forward batch [1024] and the experts' path ['auto'].
 */
export interface SparseExpansionOptions extends PruneTarget {
  k: number;
  pruner?: ExpansionPruner;
  reduce?: number;
  restarts?: number;
  iterations?: number;
  seed?: number;
  percdamp?: number;
  blockSize?: number;
  batch?: number;
  path?: LayerPath;
  /**
   * Routers to reuse between calls on the same calibration set (pass the same cache each time): a
   * layer's router and calibration labels depend only on its inputs and k, reduce, restarts,
   * iterations and seed, so calls that differ in pruner or sparsity share the first layer's. Keyed
   * by the input array itself: do not modify calibration.x between calls.
   */
  routers?: RouterCache;
}

/** Fitted routers with their calibration labels, by input array and settings (see SparseExpansionOptions.routers). */
export type RouterCache = WeakMap<Float32Array, Map<string, { router: LayerRouter; labels: Int32Array }>>;

// checked after the defaults are filled in, so an explicit undefined is refused as before
const OPTIONS = z.strictObject({
  k: z.unknown().optional(),
  sparsity: z.unknown().optional(),
  nm: z.unknown().optional(),
  pruner: nameOption('pruner', EXPANSION_PRUNERS),
  reduce: z.unknown().optional(),
  restarts: integerOption('restarts', 1),
  iterations: integerOption('iterations', 1),
  seed: integerOption('seed', 0),
  // checked by the pruner (PRUNERS[pruner].check)
  ...Object.fromEntries(Object.keys(SPARSE_GPT_SETTINGS).map((k) => [k, z.unknown().optional()])),
  batch: integerOption('batch', 1),
  path: z.unknown().optional(),
  routers: z.unknown().optional(),
});

/**
 * Sparse Expansion (Sawmya et al.): for each layer in order, its calibration inputs (propagated
 * through the already-expanded earlier layers) are projected by PCA to ⌊d/reduce⌋ dimensions and
 * clustered by k-means into k clusters; each cluster gets its own copy of the layer, pruned by the
 * pruner on that cluster's inputs only. With k = 1 there is no router and the result equals
 * pruneModel with the same pruner. The input model is left untouched.
 * Example: `sparseExpand(model, { x: train.x, size: 512 }, { k: 16, sparsity: 0.9 })`.
 */
export function sparseExpand(model: MLP, calibration: Calibration, options: SparseExpansionOptions): ExpandedMLP {
  const where = 'sparseExpand';
  const o = checkOptions(model, calibration, options, where);
  const act = new ActivationStep(model.activation, model.engine);
  const layers: ExpandedLayer[] = [];
  let x = calibration.x;
  try {
    model.layers.forEach((source, l) => {
      const original: LayerWeights = {
        weight: source.weight(),
        mask: source.mask(),
        bias: source.bias(),
        inFeatures: source.inFeatures,
        outFeatures: source.outFeatures,
      };
      const d = original.inFeatures;
      const { router, labels } =
        o.k > 1 ? fitRouter(x, calibration.size, d, o, o.seed + l) : { router: null, labels: new Int32Array(calibration.size) };
      const pruned = Array.from({ length: o.k }, (_, c) => pruneExpert(original, members(x, d, labels, c), o, `layers.${l}.experts.${c}`));
      if (l < model.layers.length - 1) {
        // propagate on the dense-masked kernels, as pruneModel does, so k = 1 matches it exactly
        const dense: ExpandedLayer = { router, experts: pruned.map((p) => expertLayer(original, p, 'dense', model)) };
        try {
          x = propagate(dense, act, x, calibration.size, o.batch);
        } finally {
          for (const e of dense.experts) e.dispose();
        }
      }
      layers.push({ router, experts: [] });
      for (const p of pruned) layers[l].experts.push(expertLayer(original, p, o.path, model));
    });
  } catch (err) {
    for (const l of layers) for (const e of l.experts) e.dispose();
    throw err;
  }
  return new ExpandedMLP(layers, model.activation, model.engine);
}

type Resolved = Required<Omit<SparseExpansionOptions, 'sparsity' | 'nm' | 'percdamp' | 'blockSize' | 'routers'>> & SparseExpansionOptions;

/** PCA to ⌊d/reduce⌋ dimensions and k-means of the inputs x [size, d], with each row's cluster; from o.routers when there. */
function fitRouter(x: Float32Array, size: number, d: number, o: Resolved, seed: number): { router: LayerRouter; labels: Int32Array } {
  const key = `${o.k}|${o.reduce}|${o.restarts}|${o.iterations}|${seed}`;
  const cached = o.routers?.get(x)?.get(key);
  if (cached !== undefined) return cached;
  const pca = fitPca(x, size, d, Math.floor(d / o.reduce));
  const fit = fitKMeans(projectRows(pca, x, size), size, pca.dim, { k: o.k, restarts: o.restarts, iterations: o.iterations, seed });
  const router: LayerRouter = { pca, k: o.k, centroids: fit.centroids };
  const made = { router, labels: routeRows(router, x, size) };
  if (o.routers !== undefined) {
    const byKey = o.routers.get(x) ?? new Map();
    byKey.set(key, made);
    o.routers.set(x, byKey);
  }
  return made;
}

function checkOptions(model: MLP, calibration: Calibration, options: SparseExpansionOptions, where: string): Resolved {
  if (options === null || typeof options !== 'object') parseOptions(OPTIONS, options, where);
  const o = { pruner: 'sparsegpt', reduce: 8, restarts: 10, iterations: 300, seed: 0, batch: 1024, path: 'auto', ...options } as Resolved;
  parseOptions(OPTIONS, o, where);
  checkCalibration(calibration, model.inFeatures, where);
  if (!Number.isInteger(o.k) || o.k < 1 || o.k > calibration.size) {
    throw new ConfigError(
      `${where}: k = ${o.k} experts is not allowed with a calibration set of ${calibration.size} samples; k must be an integer in [1, ${calibration.size}] (every cluster needs a sample)`,
      { where: `${where}.k`, got: o.k, allowed: `1..${calibration.size}` },
    );
  }
  parseOptions(z.object({ reduce: integerOption('reduce', 1) }), o, where);
  model.layers.forEach((l, i) => {
    const target = resolveTarget({ sparsity: o.sparsity, nm: o.nm }, l.inFeatures, `${where} layers.${i}`);
    PRUNERS[o.pruner].check(o, target, `${where} layers.${i}`);
    if (o.k > 1 && Math.floor(l.inFeatures / o.reduce) < 1) {
      throw new ShapeError(
        `${where}: reduce = ${o.reduce} leaves floor(${l.inFeatures} / ${o.reduce}) = 0 PCA dimensions for layers.${i} (${l.inFeatures} inputs); reduce must be an integer in [1, ${l.inFeatures}]`,
        { where: `${where}.reduce`, got: o.reduce, allowed: `1..${l.inFeatures}` },
      );
    }
  });
  return o;
}

/** The rows of x [size, d] labelled c, in order; all rows when none is (an expert no calibration sample reaches). */
function members(x: Float32Array, d: number, labels: Int32Array, c: number): Calibration {
  let count = 0;
  for (const l of labels) if (l === c) count++;
  if (count === 0) return { x, size: labels.length };
  const out = new Float32Array(count * d);
  let at = 0;
  labels.forEach((l, t) => {
    if (l !== c) return;
    out.set(x.subarray(t * d, (t + 1) * d), at * d);
    at++;
  });
  return { x: out, size: count };
}

function pruneExpert(layer: LayerWeights, cal: Calibration, o: Resolved, name: string): PruneResult {
  return PRUNERS[o.pruner].prune(layer, cal, { sparsity: o.sparsity, nm: o.nm, name }, { percdamp: o.percdamp, blockSize: o.blockSize });
}

function expertLayer(original: LayerWeights, pruned: PruneResult, path: LayerPath, model: MLP): SparseLinear {
  const { inFeatures, outFeatures } = original;
  const layer = new SparseLinear({ inFeatures, outFeatures, mask: pruned.mask, path, engine: model.engine });
  layer.setWeight(pruned.weight);
  layer.setBias(original.bias);
  return layer;
}

/** The activations [size, out] of an expanded hidden layer over x [size, in], in chunks of `batch`. */
function propagate(layer: ExpandedLayer, act: ActivationStep, x: Float32Array, size: number, batch: number): Float32Array {
  const [inF, out] = [layer.experts[0].inFeatures, layer.experts[0].outFeatures];
  const h = new Float32Array(size * out);
  for (let start = 0; start < size; start += batch) {
    const b = Math.min(batch, size - start);
    h.set(runLayer(layer, act, x.subarray(start * inF, (start + b) * inF), b, true).h, start * out);
  }
  return h;
}
