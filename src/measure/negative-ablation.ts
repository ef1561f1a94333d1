import { ConfigError, Rng, ShapeError, type Tensor } from '../engine/index.js';
import { applyLoss, checkDataset, type Dataset, type MLP, type ModelInputs } from '../nn/index.js';
import { checkCount, checkMatrix } from './check.js';
import { hiddenPreActivations } from './model-activations.js';
import { unitWasserstein } from './wasserstein.js';
import { rankDescending } from './wasserstein-neurons.js';

/** Options of negativeAblation; defaults in brackets. */
export interface NegativeAblationOptions {
  /** Fraction p in (0, 1] of each ablated layer's units in the top-WD and random selections [0.01, Kong et al.'s ≈1%]. */
  top?: number;
  /** Random-control draws, an integer >= 1 [10]; draw d picks its units with new Rng(seed).fork(d). */
  draws?: number;
  seed?: number;
  /** Hidden layers to ablate, as indices into model.layers (the output layer is not one) [all hidden layers]. */
  layers?: readonly number[];
  /** Samples per forward pass [1024]. */
  batch?: number;
}

/** Name of an ablation selection: no clamp, the top-WD units, random units, the loss-matched lowest-WD units. */
export type AblationSelectionName = 'none' | 'top-wd' | 'random' | 'bottom-wd';

/**
 * Test-set effect of clamping one selection: accuracy, mean cross-entropy, their change from the
 * baseline ('none'; lossIncrease = loss − base, accuracyDrop = base − accuracy), and the same per
 * class ([classes] arrays; NaN for a class without test samples). `draw` is null except for 'random';
 * `units` lists the clamped units of each hidden layer (empty for layers not ablated).
 */
export interface AblationResult {
  selection: AblationSelectionName;
  draw: number | null;
  units: Int32Array[];
  unitsPerLayer: number[];
  accuracy: number;
  loss: number;
  lossIncrease: number;
  accuracyDrop: number;
  classAccuracy: number[];
  classAccuracyChange: number[];
}

/** Mean, sample standard deviation (n − 1; NaN for one value), min and max of some values. */
export type AblationSpread = { mean: number; sd: number; min: number; max: number };

/** The random control: each metric's spread over the draws, the mean change per class, and where the top-WD selection ranks. */
export interface RandomSummary {
  draws: number;
  accuracy: AblationSpread;
  loss: AblationSpread;
  lossIncrease: AblationSpread;
  accuracyDrop: AblationSpread;
  classAccuracyChange: number[];
  /** Draws whose loss increase is at least the top-WD selection's. */
  atLeastTop: number;
  /** Monte Carlo p-value of "top-WD hurts no more than random units": (1 + atLeastTop) / (draws + 1), never below 1 / (draws + 1). */
  pValue: number;
}

/** How the bottom-WD control was grown to match the top-WD loss increase. */
export interface MatchedControl {
  /** False when clamping every unit of the ablated layers still raises the loss less than the top-WD selection. */
  matched: boolean;
  /** m in 0..M (M = widest ablated layer): each ablated layer clamps its ceil(m·units/M) lowest-WD units; 0 if target <= 0. */
  count: number;
  /** m / M: the share of every ablated layer's units clamped (rounded up per layer). */
  fraction: number;
  /** The top-WD loss increase to reach (>=). */
  target: number;
  /** Loss increase at m − 1 (below the target when matched); null when m = 0 or unmatched. */
  belowLossIncrease: number | null;
  /** Every evaluated m with its loss increase, in evaluation order. */
  steps: Array<{ count: number; lossIncrease: number }>;
}

/** One ablated hidden layer: WD of each unit's calibration pre-activations and the units by decreasing WD. */
export interface AblationLayer {
  layer: number;
  units: number;
  wd: Float64Array;
  ranking: Int32Array;
}

/** What negativeAblation measured; `selections` are none, top-wd, random (one per draw), bottom-wd in that order. */
export interface NegativeAblation {
  top: number;
  layers: AblationLayer[];
  selections: AblationResult[];
  randomSummary: RandomSummary;
  matched: MatchedControl;
}

/** Activations for which clamping negative pre-activations to 0 changes the output (relu already maps them to 0). */
const CLAMPABLE = ['gelu', 'sigmoid', 'identity'];
const OPTION_KEYS = ['top', 'draws', 'seed', 'layers', 'batch'];

/**
 * Negative pre-activation ablation (Kong et al., arXiv 2509.24198): ranks each ablated hidden
 * layer's units by WD on `calibration`, then evaluates `test` (cross-entropy labels) with
 * z ← max(z, 0) applied to the selected units' pre-activations before the activation: none, the
 * max(1, round(top·units)) highest-WD units per layer, as many random units per layer (`draws`
 * times), and the lowest-WD units grown by bisection over m until the loss increase reaches the
 * top-WD one. The bisection assumes the loss increase grows with m; it returns an m whose loss
 * increase is >= the target while m − 1's is below (both measured, see `steps`), the minimal m when
 * the assumption holds. GELU, sigmoid and identity networks are allowed; relu is refused.
 * Example: `negativeAblation(model, { x: train.x, size: 512 }, test, { top: 0.03 }).selections`.
 */
export function negativeAblation(
  model: MLP,
  calibration: ModelInputs,
  test: Dataset,
  options: NegativeAblationOptions = {},
): NegativeAblation {
  const { top = 0.01, draws = 10, seed = 0, batch = 1024 } = options;
  const hidden = model.layers.length - 1;
  const layers = checkOptions(model, calibration, test, options, { top, draws, seed, batch });
  const ranked: AblationLayer[] = layers.map((l) => {
    const units = model.layers[l].outFeatures;
    const wd = unitWasserstein(hiddenPreActivations(model, calibration, l, batch), units, calibration.size);
    return { layer: l, units, wd, ranking: rankDescending(wd) };
  });
  const pick = (choose: (l: AblationLayer) => Int32Array): Int32Array[] => {
    const units: Int32Array[] = Array.from({ length: hidden }, () => new Int32Array(0));
    for (const l of ranked) units[l.layer] = choose(l);
    return units;
  };
  const n = (l: AblationLayer): number => Math.max(1, Math.round(top * l.units));
  const empty = pick(() => new Int32Array(0));
  const base = clampedEvaluation(model, test, empty, batch);
  const result = (selection: AblationSelectionName, draw: number | null, units: Int32Array[]): AblationResult => {
    const e = units === base.units ? base : clampedEvaluation(model, test, units, batch);
    return {
      selection,
      draw,
      units,
      unitsPerLayer: units.map((u) => u.length),
      accuracy: e.accuracy,
      loss: e.loss,
      lossIncrease: e.loss - base.loss,
      accuracyDrop: base.accuracy - e.accuracy,
      classAccuracy: e.classAccuracy,
      classAccuracyChange: e.classAccuracy.map((a, c) => a - base.classAccuracy[c]),
    };
  };
  const none = result('none', null, base.units);
  const highest = pick((l) => l.ranking.slice(0, n(l)));
  const topWd = result('top-wd', null, highest);
  const random = Array.from({ length: draws }, (_, d) => {
    const rng = new Rng(seed).fork(d);
    const units = pick((l) => rng.shuffle(Int32Array.from({ length: l.units }, (_, i) => i)).slice(0, n(l)));
    return result('random', d, units);
  });
  // bottom-WD control: the same share m/M of every ablated layer, by bisection over m
  const widest = Math.max(...ranked.map((l) => l.units));
  const bottom = (m: number): Int32Array[] => pick((l) => l.ranking.slice(l.units - Math.ceil((m * l.units) / widest)));
  const tried = new Map<number, AblationResult>([[0, { ...none, selection: 'bottom-wd' }]]);
  const at = (m: number): AblationResult => {
    let r = tried.get(m);
    if (r === undefined) {
      r = result('bottom-wd', null, bottom(m));
      tried.set(m, r);
    }
    return r;
  };
  const target = topWd.lossIncrease;
  const { matched, count } = bisectCount((m) => at(m).lossIncrease, widest, target);
  const spread = (pickValue: (r: AblationResult) => number): AblationSpread => summarize(random.map(pickValue));
  const atLeastTop = random.filter((r) => r.lossIncrease >= target).length;
  return {
    top,
    layers: ranked,
    selections: [none, topWd, ...random, at(count)],
    randomSummary: {
      draws,
      accuracy: spread((r) => r.accuracy),
      loss: spread((r) => r.loss),
      lossIncrease: spread((r) => r.lossIncrease),
      accuracyDrop: spread((r) => r.accuracyDrop),
      classAccuracyChange: Array.from({ length: model.outFeatures }, (_, c) => summarize(random.map((r) => r.classAccuracyChange[c])).mean),
      atLeastTop,
      pValue: (1 + atLeastTop) / (draws + 1),
    },
    matched: {
      matched,
      count,
      fraction: count / widest,
      target,
      belowLossIncrease: matched && count > 0 ? at(count - 1).lossIncrease : null,
      steps: [...tried].slice(1).map(([m, r]) => ({ count: m, lossIncrease: r.lossIncrease })), // tried[0] is the baseline
    },
  };
}

/**
 * The least m in 0..widest with lossAt(m) >= target, by bisection (lossAt(0) is 0, the baseline,
 * so a target <= 0 needs no units); assumes lossAt grows with m, and else returns an m where it
 * crosses the target from below.
 */
function bisectCount(lossAt: (m: number) => number, widest: number, target: number): { matched: boolean; count: number } {
  if (target <= 0) return { matched: true, count: 0 };
  if (lossAt(widest) < target) return { matched: false, count: widest };
  let [lo, hi] = [0, widest]; // lossAt(lo) < target <= lossAt(hi)
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (lossAt(mid) >= target) hi = mid;
    else lo = mid;
  }
  return { matched: true, count: hi };
}

/** Mean, sample sd, min and max of `v` (at least one value). */
function summarize(v: number[]): AblationSpread {
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const ss = v.reduce((s, x) => s + (x - mean) ** 2, 0);
  return { mean, sd: v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : Number.NaN, min: Math.min(...v), max: Math.max(...v) };
}

type Clamped = Pick<AblationResult, 'units' | 'accuracy' | 'loss' | 'classAccuracy'>;

/** Accuracy, mean cross-entropy (as evaluate computes it) and per-class accuracy of `model` on `test` with units[l]'s negative pre-activations clamped to 0. */
function clampedEvaluation(model: MLP, test: Dataset, units: Int32Array[], batch: number): Clamped {
  const clamp = (layer: number, z: Tensor, b: number): void => {
    const d = z.data; // [units, b]; a fresh view, memory may have grown since the last pass
    for (const u of units[layer]) for (let t = u * b; t < (u + 1) * b; t++) if (d[t] < 0) d[t] = 0;
  };
  const hooks = units.some((u) => u.length > 0) ? { preActivation: clamp } : undefined;
  const [inF, classes] = [model.inFeatures, model.outFeatures];
  const [correct, count] = [new Float64Array(classes), new Float64Array(classes)];
  const chunk = Math.min(batch, test.size);
  let sum = 0;
  for (let start = 0; start < test.size; start += chunk) {
    const b = Math.min(chunk, test.size - start);
    const y = (test.y as Int32Array).subarray(start, start + b);
    const ws = model.forward(test.x.subarray(start * inF, (start + b) * inF), b, hooks);
    const z = ws.logits.data; // [classes, b]
    for (let t = 0; t < b; t++) {
      let best = 0;
      for (let c = 1; c < classes; c++) if (z[c * b + t] > z[best * b + t]) best = c;
      count[y[t]]++;
      if (best === y[t]) correct[y[t]]++;
    }
    sum += applyLoss(model.engine, 'cross-entropy', ws, y, false);
  }
  const right = correct.reduce((s, v) => s + v, 0);
  return { units, accuracy: right / test.size, loss: sum / test.size, classAccuracy: Array.from(correct, (v, c) => v / count[c]) };
}

/** Validates everything negativeAblation takes; returns the hidden layers to ablate. */
function checkOptions(
  model: MLP,
  calibration: ModelInputs,
  test: Dataset,
  options: NegativeAblationOptions,
  o: { top: number; draws: number; seed: number; batch: number },
): number[] {
  const unknown = Object.keys(options).filter((k) => !OPTION_KEYS.includes(k));
  const allowed = OPTION_KEYS.join(', ');
  const where = 'negativeAblation options';
  if (unknown.length > 0)
    throw new ConfigError(`negativeAblation: unknown option ${unknown}; allowed: ${allowed}`, { where, got: unknown, allowed });
  const hidden = model.layers.length - 1;
  if (hidden < 1) {
    throw new ShapeError(`negativeAblation needs a model with a hidden layer; this one has ${model.layers.length} layer`, {
      where: 'negativeAblation model',
      got: model.layers.length,
      allowed: '>= 2 layers',
    });
  }
  if (!CLAMPABLE.includes(model.activation)) {
    throw new ConfigError(
      `negativeAblation: the model's hidden activation is ${model.activation}, which already maps negative pre-activations to 0, so clamping them changes nothing; allowed activations: ${CLAMPABLE.join(', ')}`,
      { where: 'negativeAblation model.activation', got: model.activation, allowed: CLAMPABLE.join(', ') },
    );
  }
  if (!(typeof o.top === 'number' && o.top > 0 && o.top <= 1)) {
    throw new ConfigError(`negativeAblation: top must be a fraction in (0, 1] of each layer's units, got ${o.top}`, {
      where: 'negativeAblation.top',
      got: o.top,
      allowed: '(0, 1]',
    });
  }
  checkCount(o.draws, 1, 'negativeAblation draws');
  checkCount(o.batch, 1, 'negativeAblation batch');
  if (!Number.isInteger(o.seed)) {
    throw new ConfigError(`negativeAblation seed must be an integer, got ${o.seed}`, { where: 'negativeAblation seed', got: o.seed });
  }
  checkCount(calibration.size, 2, 'negativeAblation calibration.size');
  checkMatrix(calibration.x, calibration.size, model.inFeatures, 'negativeAblation calibration.x (size x in)');
  checkDataset(test, model.inFeatures, model.outFeatures, 'cross-entropy', 'negativeAblation test');
  const layers = options.layers ?? Array.from({ length: hidden }, (_, l) => l);
  const bad = layers.filter((l, i) => !Number.isInteger(l) || l < 0 || l >= hidden || layers.indexOf(l) !== i);
  if (layers.length === 0 || bad.length > 0) {
    throw new ConfigError(
      `negativeAblation layers must be distinct hidden-layer indices in [0, ${hidden - 1}], at least one; got [${layers.join(', ')}]`,
      { where: 'negativeAblation layers', got: layers, allowed: `0..${hidden - 1}` },
    );
  }
  return [...layers].sort((a, b) => a - b);
}
