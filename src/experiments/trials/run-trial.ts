import { defaultEngine, type Engine, Rng } from '../../engine/index.js';
import { allocateChildren, type FpeOptions, type SplitStrategy, sparseInit, splitNeurons } from '../../expand/index.js';
import { createOptimizer, type Dataset, evaluate, fit, type LossName, MLP, type Optimizer } from '../../nn/index.js';
import type { TrialConfig } from './experiment-grid.js';
import { SPLIT_VARIANTS, type SplitVariant, type UnitRanking } from './split-variants.js';
import type { Method, TrialCurves, TrialMetrics, TrialRecord } from './trial-record.js';
import { trialStreams } from './trial-seeds.js';

/** Options of runTrial (and of runBooleanTrial and runDatasetTrial). */
export interface TrialOptions {
  engine?: Engine;
  /** Stored in the record (default: empty; the runner passes the trial id and the experiment name). */
  id?: string;
  experiment?: string;
}

/** The split strategy of each splitting method, per trial kind (real data has no clauses, and 'overlap' is a Boolean-only control). */
export const SPLIT_STRATEGY = {
  boolean: {
    'fpe-random': 'random',
    'fpe-clause': 'clause',
    'fpe-gram': 'gram',
    overlap: 'overlap',
    'fpe-partition': 'random',
    'fpe-partition-scaled': 'random',
    'fpe-layer-restore': 'random',
    'fpe-selective-wd': 'random',
    'fpe-selective-collisions': 'random',
    'fpe-schedule': 'random',
    'fpe-clause-routed': 'clause',
  },
  dataset: {
    'fpe-random': 'random',
    'fpe-gram': 'gram',
    'fpe-partition': 'random',
    'fpe-partition-scaled': 'random',
    'fpe-layer-restore': 'random',
    'fpe-selective-wd': 'random',
    'fpe-schedule': 'random',
  },
} as const satisfies Record<TrialConfig['task'], Partial<Record<Method, SplitStrategy>>>;

/** The task-specific parts of one trial: the data, the loss, the network's sizes, and what is measured at the split and the end. */
export interface TrialKind {
  /** Layer sizes before expansion (inputs, hidden..., outputs). */
  sizes: number[];
  train: Dataset;
  test: Dataset;
  loss: LossName;
  /** The kind's row of SPLIT_STRATEGY: methods not in it train without a split. */
  strategies: Partial<Record<Method, SplitStrategy>>;
  /** splitNeurons options beyond alpha, strategy, seed and resetOptimizer (the Boolean task's clauses and overlap factor). */
  splitOptions: Pick<FpeOptions, 'clauses' | 'overlapFactor'>;
  /** Metrics right after the split, from the parent's and the split first-layer masks, the expanded network and the split's alpha. */
  atSplit(parentMask: Uint8Array, splitMask: Uint8Array, wide: MLP, alpha: number): Partial<TrialMetrics>;
  /** Selective split: a score per unit of hidden layer `layer` of `model`, higher = more entangled (from the training set, never the test set). */
  unitScores(model: MLP, layer: number, by: UnitRanking): Float64Array;
  /** Test metrics at the end, with atSplit's (undefined without a split). */
  atEnd(model: MLP, split: Partial<TrialMetrics> | undefined): TrialMetrics;
}

/** Where a trial's clock started and the phases timed before runTrial (the Boolean task's making). */
export interface TrialClock {
  start: number;
  timings: TrialRecord['timings'];
}

/**
 * The FPE trial protocol, one routine for every trial kind:
 * - dense: width h for E1 + E2 epochs;
 * - sparse-init: every hidden layer alpha·h wide with random masks at the dense nnz, E1 + E2 epochs;
 * - a splitting method of the kind: dense for E1 epochs, splitNeurons with the method's strategy
 *   (the kind measures at the split, before further training), then E2 epochs of the expanded network.
 * Curves get a point every `evalEvery` epochs and at the split and the end. Timings in seconds per
 * phase: warmup and split (splitting methods only), train, metrics, and total `seconds` from
 * `clock.start`. Random streams: the model, the batch shuffle and the split each have their own
 * (trialStreams of the seed). Example: `runTrial(config, booleanTrialKind(task, config))`.
 */
export function runTrial(
  config: TrialConfig,
  kind: TrialKind,
  options: TrialOptions = {},
  clock: TrialClock = { start: performance.now(), timings: { seconds: 0 } },
): TrialRecord {
  const engine = options.engine ?? defaultEngine();
  const c = config;
  const { timings, start } = clock;
  let t = performance.now();
  const lap = (phase: string): void => {
    const now = performance.now();
    timings[phase] = (now - t) / 1000;
    t = now;
  };
  const seeds = trialStreams(c.seed);
  const { sizes } = kind;
  const total = c.warmupEpochs + c.afterSplitEpochs;
  const curves: TrialCurves = { epoch: [], trainLoss: [], testLoss: [], testAccuracy: [] };
  let model =
    c.method === 'sparse-init'
      ? sparseInit({ sizes, alpha: c.alpha, activation: c.activation, seed: seeds.model }, engine)
      : MLP.create({ sizes, activation: c.activation, seed: seeds.model }, engine);
  let optimizer = createOptimizer(model, c.optimizer);
  let split: Partial<TrialMetrics> | undefined;
  try {
    const run = (from: number, to: number): void => train(model, optimizer, kind, c, seeds.shuffle, from, to, curves);
    const strategy = kind.strategies[c.method];
    if (strategy !== undefined) {
      const variant: SplitVariant = SPLIT_VARIANTS[c.method] ?? {};
      // one stream for every split of the trial (a plain FPE trial draws from it exactly as from its seed)
      const rng = new Rng(seeds.split);
      const steps = variant.schedule ? Math.round(Math.log2(c.alpha)) : 1;
      const restored = { pruned: 0, after: 0, inputPruned: 0, inputAfter: 0 };
      let from = 0;
      for (let t = 1; t <= steps; t++) {
        const at = Math.round((c.warmupEpochs * t) / steps);
        run(from, at);
        from = at;
        lap(t === 1 ? 'warmup' : `warmup${t}`);
        const alpha = variant.schedule ? 2 : c.alpha;
        const parentMask = model.layers[0].mask();
        const children = variant.select ? selectiveChildren(model, kind, variant.select, alpha) : undefined;
        const fpe = splitNeurons(
          model,
          { alpha, strategy, seed: rng, resetOptimizer: c.resetOptimizer, ...kind.splitOptions, ...variant.options, children },
          optimizer,
        );
        // the parent network and its optimizer are freed once FPE has built the children
        optimizer.dispose();
        model.dispose();
        [model, optimizer] = [fpe.model, fpe.optimizer as Optimizer];
        restored.pruned += fpe.pruned;
        restored.after += fpe.nnzAfterSplit;
        restored.inputPruned += fpe.prunedPerLayer[0];
        restored.inputAfter += fpe.splitMasks[0].reduce((s, m) => s + m, 0);
        split = {
          ...kind.atSplit(parentMask, fpe.splitMasks[0], model, alpha),
          restoreFraction: restored.pruned / restored.after,
          restoreInputFraction: restored.inputPruned / restored.inputAfter,
          ...(children ? { splitChildren: Array.from(children[0]) } : {}),
        };
        lap(t === 1 ? 'split' : `split${t}`);
      }
      curves.splitEpoch = c.warmupEpochs;
      run(c.warmupEpochs, total);
    } else {
      run(0, total);
    }
    lap('train');
    const metrics = kind.atEnd(model, split);
    lap('metrics');
    timings.seconds = (performance.now() - start) / 1000;
    return {
      id: options.id ?? '',
      experiment: options.experiment ?? '',
      // a copy: TrialRecord.config is a plain record type, which an interface is not assignable to
      config: { ...c },
      metrics,
      curves,
      timings,
      finishedAt: new Date().toISOString(),
    };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/** Selective split: the children of every hidden layer's units from their ranking, alpha·h in all, at most one per non-zero input. */
function selectiveChildren(model: MLP, kind: TrialKind, by: UnitRanking, alpha: number): number[][] {
  return model.layers.slice(0, -1).map((layer, k) => {
    const mask = layer.mask();
    const limit = Array.from({ length: layer.outFeatures }, (_, r) =>
      mask.subarray(r * layer.inFeatures, (r + 1) * layer.inFeatures).reduce((s, m) => s + m, 0),
    );
    return Array.from(allocateChildren(kind.unitScores(model, k, by), alpha * layer.outFeatures, { limit }));
  });
}

/**
 * Trains epochs [from, to) with fit (epoch e's batch order depends only on (seed, e), so a split
 * run repeats the dense run's order). The curves get a point every `evalEvery` epochs and at
 * `to`: that epoch's mean train loss and a test evaluation (evaluating every epoch would cost
 * more than the training of the small Boolean networks).
 */
function train(
  model: MLP,
  optimizer: Optimizer,
  kind: TrialKind,
  c: TrialConfig,
  seed: number,
  from: number,
  to: number,
  curves: TrialCurves,
): void {
  if (to <= from) return;
  fit(model, kind.train, {
    epochs: to,
    initialEpoch: from,
    batchSize: c.batchSize,
    optimizer,
    loss: kind.loss,
    seed,
    callbacks: {
      onEpoch: ({ epoch, trainLoss }) => {
        const done = epoch + 1;
        if (done % c.evalEvery !== 0 && done !== to) return;
        const test = evaluate(model, kind.test, kind.loss);
        curves.epoch.push(done);
        curves.trainLoss.push(trainLoss);
        curves.testLoss.push(test.loss);
        curves.testAccuracy.push(test.accuracy);
      },
    },
  });
}
