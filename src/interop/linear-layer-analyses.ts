import { ConfigError, defaultEngine, type Engine, Rng } from '../engine/index.js';
import { linearLayerNeurons, type NeuronLayer, rankDescending } from '../measure/index.js';
import { MLP } from '../nn/index.js';
import { type ExpandedMLP, PRUNERS, type PruneResult, type PrunerName, type PruneTarget, sparseExpand } from '../prune/index.js';
import { type LayerRows, type LinearLayer, type OutputError, outputError } from './linear-layer.js';

/** Options of pruneLinearLayer: the pruner ['sparsegpt'], the target, SparseGPT's settings. */
export interface LinearPruneOptions extends PruneTarget {
  pruner?: PrunerName;
  percdamp?: number;
  blockSize?: number;
}

/** A pruned layer with its non-zeros and its output error on the calibration and held-out rows. */
export interface LinearPruneResult extends PruneResult {
  nnzBefore: number;
  nnzAfter: number;
  heldOutError: OutputError;
}

/**
 * Prunes one linear layer with a pruner of PRUNERS (SparseGPT, Wanda, magnitude) on its
 * calibration rows and measures the output error on the held-out rows, the stand-in for accuracy
 * when the rest of the model is elsewhere. Example: `pruneLinearLayer(layer, splitRows(x, n, d, 0.25), { sparsity: 0.5 })`.
 */
export function pruneLinearLayer(layer: LinearLayer, rows: LayerRows, options: LinearPruneOptions): LinearPruneResult {
  const { pruner = 'sparsegpt', sparsity, nm, percdamp, blockSize } = options;
  const result = PRUNERS[pruner].prune(layer, rows.calibration, { sparsity, nm, name: layer.weightName }, { percdamp, blockSize });
  let nnzBefore = 0;
  for (const v of layer.weight) if (v !== 0) nnzBefore++;
  let nnzAfter = 0;
  for (const m of result.mask) nnzAfter += m;
  return {
    ...result,
    nnzBefore,
    nnzAfter,
    heldOutError: outputError(layer, result.weight, rows.heldOut),
  };
}

/** Options of expandLinearLayer: experts k, per-expert target and pruner, PCA reduction, k-means restarts and seed. */
export interface LinearExpandOptions extends LinearPruneOptions {
  k: number;
  reduce?: number;
  restarts?: number;
  seed?: number;
}

/** A Sparse Expansion of one layer (an ExpandedMLP of one layer: dispose it) and its held-out output error and costs. */
export interface LinearExpandResult {
  model: ExpandedMLP;
  heldOutError: OutputError;
  nnzStored: number;
  nnzPerInput: number;
  routingFlops: number;
}

/**
 * Sparse Expansion of one linear layer: sparseExpand on the layer alone (PCA + k-means routing
 * of its inputs to k copies pruned on their cluster's rows), and the held-out error of the routed
 * outputs against the dense layer's. Example: `expandLinearLayer(layer, rows, { k: 16, sparsity: 0.9 })`.
 */
export function expandLinearLayer(
  layer: LinearLayer,
  rows: LayerRows,
  options: LinearExpandOptions,
  engine: Engine = defaultEngine(),
): LinearExpandResult {
  const { inFeatures, outFeatures } = layer;
  const bias = layer.bias ?? new Float32Array(outFeatures);
  const dense = MLP.fromWeights(
    [{ weight: layer.weight, bias, inFeatures, outFeatures }],
    { activation: 'identity', path: 'dense' },
    engine,
  );
  let model: ExpandedMLP;
  let want: Float32Array;
  try {
    model = sparseExpand(dense, rows.calibration, { ...options, pruner: options.pruner ?? 'sparsegpt' });
    want = dense.predict(rows.heldOut.x, rows.heldOut.size);
  } finally {
    dense.dispose();
  }
  const [pass] = model.trace(rows.heldOut.x, rows.heldOut.size);
  let [diff, base] = [0, 0];
  for (let i = 0; i < want.length; i++) {
    diff += (want[i] - pass.z[i]) ** 2;
    base += (want[i] - bias[i % outFeatures]) ** 2;
  }
  const absolute = Math.sqrt(diff);
  return {
    model,
    heldOutError: { absolute, relative: base === 0 ? 0 : absolute / Math.sqrt(base) },
    nnzStored: model.nnzStored(),
    nnzPerInput: model.nnzPerInput([pass.labels]),
    routingFlops: model.routingFlops(),
  };
}

/** One selection of the single-layer importance test: its units and the held-out output error after sparsifying them. */
export interface LayerImportance {
  selection: string;
  draw: number | null;
  units: number;
  heldOutError: OutputError;
}

/** Options of linearLayerImportance: fraction `top` of units [0.03], random `draws` [5], `seed` [0], the pruner ['sparsegpt'] and per-unit `sparsity` [0.9]. */
export interface LayerImportanceOptions {
  top?: number;
  draws?: number;
  seed?: number;
  pruner?: PrunerName;
  sparsity?: number;
}

/**
 * The importance test on one layer (importanceTest with accuracy replaced by the held-out output
 * error): sparsify the incoming weights of the max(1, round(top·units)) units of highest WD,
 * output mean, variance and weight magnitude, and of random units `draws` times; a more damaging
 * selection gives a larger error. Example: `linearLayerImportance(layer, rows, linearLayerNeurons(...))`.
 */
export function linearLayerImportance(
  layer: LinearLayer,
  rows: LayerRows,
  stats: NeuronLayer,
  options: LayerImportanceOptions = {},
): LayerImportance[] {
  const { top = 0.03, draws = 5, seed = 0, pruner = 'sparsegpt', sparsity = 0.9 } = options;
  if (!(top > 0 && top <= 1))
    throw new ConfigError(`top must be a fraction in (0, 1] of the layer's units, got ${top}`, { where: 'top', got: top });
  const { inFeatures: inF, outFeatures: units } = layer;
  const n = Math.max(1, Math.round(top * units));
  const run = (selection: string, draw: number | null, chosen: Int32Array): LayerImportance => {
    const sub = { weight: new Float32Array(n * inF), inFeatures: inF, outFeatures: n };
    chosen.forEach((u, r) => {
      sub.weight.set(layer.weight.subarray(u * inF, (u + 1) * inF), r * inF);
    });
    const pruned = PRUNERS[pruner].prune(sub, rows.calibration, { sparsity, name: `${layer.weightName} selected units` }, {});
    const weight = Float32Array.from(layer.weight);
    chosen.forEach((u, r) => {
      weight.set(pruned.weight.subarray(r * inF, (r + 1) * inF), u * inF);
    });
    return { selection, draw, units: n, heldOutError: outputError(layer, weight, rows.heldOut) };
  };
  const scores: Record<string, Float64Array> = {
    'top-wd': stats.wd,
    mean: stats.mean,
    variance: stats.variance,
    magnitude: stats.magnitude,
  };
  const results = Object.entries(scores).map(([name, s]) => run(name, null, rankDescending(s).slice(0, n)));
  const rng = new Rng(seed);
  for (let d = 0; d < draws; d++)
    results.push(run('random', d, Int32Array.from(rng.shuffle(Array.from({ length: units }, (_, i) => i)).slice(0, n))));
  return results;
}

/** The neuron statistics of one layer (linearLayerNeurons) over its calibration rows. */
export function layerNeurons(layer: LinearLayer, rows: LayerRows, options: { seed?: number; pairs?: number } = {}): NeuronLayer {
  return linearLayerNeurons(layer, rows.calibration.x, rows.calibration.size, options);
}
