import { clusterWeightedWasserstein, type NeuronLayer, type WassersteinShift, wassersteinShift } from '../../../measure/index.js';
import type { Calibration, ExpandedMLP } from '../../../prune/index.js';

/** How Sparse Expansion moved one hidden layer's WD: per unit before (dense) and after (cluster-weighted), and the shift summaries. */
export interface LayerWassersteinShift {
  layer: number;
  units: number;
  /** [units] WD of the dense model's pre-activations (NeuronLayer.wd). */
  before: Float64Array;
  /** [units] cluster-weighted WD of the expanded layer's pre-activations, each cluster z-scored on its own. */
  after: Float64Array;
  /** The max(1, round(top·units)) highest-WD units of the dense model. */
  top: WassersteinShift;
  all: WassersteinShift;
}

/**
 * The cluster-weighted WD of each hidden unit after Sparse Expansion against its dense WD (paper 2:
 * 98% of Wasserstein neurons drop, median -42%, on Pythia 1.4B): the expanded model runs on the
 * calibration set `layers` was measured on, each layer's pre-activations are split by the expert
 * each input went to. Example: `expansionWassersteinShift(sparseExpand(m, cal, { k: 16, sparsity: 0.9 }), cal, wassersteinNeurons(m, cal), 0.03)`.
 */
export function expansionWassersteinShift(
  expanded: ExpandedMLP,
  calibration: Calibration,
  layers: readonly NeuronLayer[],
  top: number,
): LayerWassersteinShift[] {
  const size = calibration.size;
  const passes = expanded.trace(calibration.x, size);
  return layers.map((l) => {
    const z = passes[l.layer].z; // [size, units] -> feature-major for the measure
    const pre = new Float32Array(z.length);
    for (let t = 0; t < size; t++) for (let u = 0; u < l.units; u++) pre[u * size + t] = z[t * l.units + u];
    const after = clusterWeightedWasserstein(pre, l.units, size, passes[l.layer].labels);
    const n = Math.max(1, Math.round(top * l.units));
    return {
      layer: l.layer,
      units: l.units,
      before: l.wd,
      after,
      top: wassersteinShift(l.wd, after, l.ranking.subarray(0, n)),
      all: wassersteinShift(l.wd, after, l.ranking),
    };
  });
}

/**
 * The importance test's scores per selection (paper 2, Fig. 3) from a Wasserstein-neuron analysis:
 * WD, |output mean|, output variance and weight magnitude per hidden layer; the output layer is not
 * scored (empty). Example: `importanceTest(model, cal, test, importanceScores(wassersteinNeurons(model, cal)))`.
 */
export function importanceScores(layers: readonly NeuronLayer[]): Record<string, Float64Array[]> {
  const scores = (pick: (l: NeuronLayer) => Float64Array): Float64Array[] => [...layers.map(pick), new Float64Array(0)];
  return {
    'top-wd': scores((l) => l.wd),
    mean: scores((l) => l.mean.map(Math.abs)),
    variance: scores((l) => l.variance),
    magnitude: scores((l) => l.magnitude),
  };
}
