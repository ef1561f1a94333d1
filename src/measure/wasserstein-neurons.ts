import { ShapeError } from '../engine/index.js';
import { forwardInChunks, type MLP, type ModelInputs } from '../nn/index.js';
import { checkCount } from './check.js';
import { mappingDifficulty } from './mapping-difficulty.js';
import { unitWasserstein } from './wasserstein.js';

/** Per-unit statistics of one hidden layer's pre-activations over a calibration set. */
export interface NeuronLayer {
  /** Index into model.layers. */
  layer: number;
  units: number;
  /** [units] Wasserstein distance of each unit's z-scored pre-activations to N(0, 1). */
  wd: Float64Array;
  /** Units by decreasing WD (ties to the lower index). */
  ranking: Int32Array;
  /** [units] mean and (population) variance of each unit's pre-activations. */
  mean: Float64Array;
  variance: Float64Array;
  /** [units] mean |w| of each unit's incoming weights (masked ones count as 0). */
  magnitude: Float64Array;
  /** [units] mapping difficulty of each unit: layer input -> its pre-activation. */
  unitDifficulty: Float64Array;
  /** Mapping difficulty of the whole layer: input -> all pre-activations. */
  difficulty: number;
  /** Spearman rank correlation of wd and unitDifficulty over the units. */
  wdDifficultyCorrelation: number;
}

/** Options of wassersteinNeurons: random pairs per mapping difficulty [1024], their seed [0], forward batch [1024]. */
export interface WassersteinNeuronsOptions {
  pairs?: number;
  seed?: number;
  batch?: number;
}

/**
 * Wasserstein neurons (Sawmya et al.): for every hidden layer of `model`, the WD of each unit's
 * pre-activations over `data` (unitWasserstein), the ranking by WD, the units' output mean,
 * variance and weight magnitude (the importance test's other selections) and mapping difficulty
 * per unit and per layer. Example: `wassersteinNeurons(model, { x: train.x, size: 512 })[0].ranking`.
 */
export function wassersteinNeurons(model: MLP, data: ModelInputs, options: WassersteinNeuronsOptions = {}): NeuronLayer[] {
  const { pairs = 1024, seed = 0, batch = 1024 } = options;
  checkCount(data.size, 2, 'wassersteinNeurons data.size');
  checkCount(batch, 1, 'wassersteinNeurons batch');
  if (model.layers.length < 2) {
    throw new ShapeError(`wassersteinNeurons needs a model with a hidden layer; this one has ${model.layers.length} layer`, {
      where: 'wassersteinNeurons model',
      got: model.layers.length,
      allowed: '>= 2 layers',
    });
  }
  const { inputs, pre } = layerActivations(model, data, batch);
  return pre.map((z, l) => {
    const layer = model.layers[l];
    return neuronStats(l, inputs[l], z, layer.weight(), layer.inFeatures, data.size, { pairs, seed });
  });
}

/**
 * wassersteinNeurons on one linear layer given alone, e.g. a projection of a large model: the
 * pre-activations z = W·x + b over the rows of x [size, in] (float64 sums), then the same per-unit
 * statistics. Example: `linearLayerNeurons({ weight, bias, inFeatures: 768, outFeatures: 3072 }, x, 256)`.
 */
export function linearLayerNeurons(
  layer: { weight: Float32Array; bias?: Float32Array | null; inFeatures: number; outFeatures: number },
  x: Float32Array,
  size: number,
  options: Omit<WassersteinNeuronsOptions, 'batch'> = {},
): NeuronLayer {
  const { pairs = 1024, seed = 0 } = options;
  const { weight, bias, inFeatures: inF, outFeatures: units } = layer;
  checkCount(size, 2, 'linearLayerNeurons size');
  if (weight.length !== units * inF || x.length < size * inF || (bias != null && bias.length !== units)) {
    throw new ShapeError(
      `linearLayerNeurons: weight [${units}, ${inF}] needs ${units * inF} values (got ${weight.length}), x [${size}, ${inF}] ${size * inF} (got ${x.length}), bias ${units} (got ${bias?.length ?? 'none'})`,
      { where: 'linearLayerNeurons' },
    );
  }
  const z = new Float32Array(units * size); // [units, size]
  for (let u = 0; u < units; u++) {
    const w = weight.subarray(u * inF, (u + 1) * inF);
    for (let t = 0; t < size; t++) {
      let s = bias == null ? 0 : bias[u];
      const base = t * inF;
      for (let j = 0; j < inF; j++) s += w[j] * x[base + j];
      z[u * size + t] = s;
    }
  }
  return neuronStats(0, x.subarray(0, size * inF), z, weight, inF, size, { pairs, seed });
}

/** The statistics of one layer from its inputs [size, in] and pre-activations z [units, size]. */
function neuronStats(
  l: number,
  input: Float32Array,
  z: Float32Array,
  w: Float32Array,
  inF: number,
  size: number,
  md: { pairs: number; seed: number },
): NeuronLayer {
  const units = z.length / size;
  const wd = unitWasserstein(z, units, size);
  const mean = new Float64Array(units);
  const variance = new Float64Array(units);
  const unitDifficulty = new Float64Array(units);
  const rows = new Float32Array(size * units); // [size, units] for the layer-level difficulty
  for (let u = 0; u < units; u++) {
    const y = z.subarray(u * size, (u + 1) * size);
    let s = 0;
    for (const v of y) s += v;
    mean[u] = s / size;
    let ss = 0;
    for (const v of y) ss += (v - mean[u]) ** 2;
    variance[u] = ss / size;
    for (let t = 0; t < size; t++) rows[t * units + u] = y[t];
    unitDifficulty[u] = mappingDifficulty(input, y, size, md);
  }
  const magnitude = Float64Array.from({ length: units }, (_, u) => {
    let s = 0;
    for (let j = 0; j < inF; j++) s += Math.abs(w[u * inF + j]);
    return s / inF;
  });
  return {
    layer: l,
    units,
    wd,
    ranking: rankDescending(wd),
    mean,
    variance,
    magnitude,
    unitDifficulty,
    difficulty: mappingDifficulty(input, rows, size, md),
    wdDifficultyCorrelation: spearman(wd, unitDifficulty),
  };
}

/** Indices of `scores` by decreasing score, ties to the lower index. */
export function rankDescending(scores: ArrayLike<number>): Int32Array {
  return Int32Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
}

/** Spearman rank correlation (average ranks for ties); NaN when either side is constant. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const [ra, rb] = [ranks(a), ranks(b)];
  const n = ra.length;
  const mean = (n - 1) / 2;
  let [sab, saa, sbb] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    sab += (ra[i] - mean) * (rb[i] - mean);
    saa += (ra[i] - mean) ** 2;
    sbb += (rb[i] - mean) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

function ranks(v: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: v.length }, (_, i) => i).sort((x, y) => v[x] - v[y]);
  const r = new Float64Array(v.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && v[order[j + 1]] === v[order[i]]) j++;
    for (let t = i; t <= j; t++) r[order[t]] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}

/** Inputs [size, in_l] (row-major) and pre-activations [units, size] (feature-major) of every hidden layer. */
function layerActivations(model: MLP, data: ModelInputs, batch: number): { inputs: Float32Array[]; pre: Float32Array[] } {
  const hidden = model.layers.slice(0, -1);
  const inputs = hidden.map((l) => new Float32Array(data.size * l.inFeatures));
  const pre = hidden.map((l) => new Float32Array(data.size * l.outFeatures));
  inputs[0].set(data.x.subarray(0, data.size * model.inFeatures));
  forwardInChunks(model, data, batch, (start, b, ws) => {
    hidden.forEach((layer, l) => {
      const z = ws.z[l].data; // [units, b]
      const units = layer.outFeatures;
      for (let u = 0; u < units; u++) pre[l].set(z.subarray(u * b, (u + 1) * b), u * data.size + start);
      if (l + 1 >= hidden.length) return;
      const h = ws.h[l].data; // [units, b], the next layer's input
      for (let u = 0; u < units; u++) for (let t = 0; t < b; t++) inputs[l + 1][(start + t) * units + u] = h[u * b + t];
    });
  });
  return { inputs, pre };
}
