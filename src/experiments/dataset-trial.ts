import type { LoadedDataset } from '../data/index.js';
import { DataError, defaultEngine, type Engine } from '../engine/index.js';
import { sparseInit, splitNeurons } from '../expand/index.js';
import { featureCapacity, meanPairwiseCosine } from '../measure/index.js';
import { createOptimizer, type Dataset, evaluate, fit, MLP, type Optimizer } from '../nn/index.js';
import type { DatasetTrialConfig } from './experiment-grid.js';
import type { TrialCurves, TrialMetrics, TrialRecord } from './trial-record.js';
import { trialStreams } from './trial-seeds.js';

/** Options of runDatasetTrial. */
export interface DatasetTrialOptions {
  engine?: Engine;
  /** Stored in the record (default: empty; the runner passes the trial id and the experiment name). */
  id?: string;
  experiment?: string;
}

/** The split strategy of each splitting method available on real data. */
const STRATEGY = { 'fpe-random': 'random', 'fpe-gram': 'gram' } as const;
type SplitMethod = keyof typeof STRATEGY;

/**
 * Runs one real-data trial on a loaded dataset (its train split to train, its test split to
 * measure), with `depth` hidden layers of width h:
 * - dense: E1 + E2 epochs;
 * - sparse-init: every hidden layer alpha·h wide with random masks at the dense nnz, E1 + E2 epochs;
 * - fpe-random / fpe-gram: dense for E1 epochs, every hidden layer split into alpha children
 *   (the budget restore keeps the dense nnz), then E2 epochs.
 * Curves get a test evaluation every `evalEvery` epochs and at the split and the end. Timings in
 * seconds per phase: warmup and split (FPE only), train, metrics. Same config and data, same
 * record (timings and finishedAt aside).
 * Example: `runDatasetTrial(trial, await loadDataset(trial.dataset))`.
 */
export function runDatasetTrial(config: DatasetTrialConfig, data: LoadedDataset, options: DatasetTrialOptions = {}): TrialRecord {
  const engine = options.engine ?? defaultEngine();
  const c = config;
  const test = data.test;
  if (test === null)
    throw new DataError(`dataset ${c.datasetName} has no test split; set task.data.test to a fraction such as 0.2`, {
      where: c.datasetName,
    });
  const timings: TrialRecord['timings'] = { seconds: 0 };
  const start = performance.now();
  let t = start;
  const lap = (phase: string): void => {
    const now = performance.now();
    timings[phase] = (now - t) / 1000;
    t = now;
  };
  const seeds = trialStreams(c.seed);
  const sizes = [data.features, ...Array<number>(c.depth).fill(c.h), data.classes];
  const total = c.warmupEpochs + c.afterSplitEpochs;
  const curves: TrialCurves = { epoch: [], trainLoss: [], testLoss: [], testAccuracy: [] };
  let model =
    c.method === 'sparse-init'
      ? sparseInit({ sizes, alpha: c.alpha, activation: c.activation, seed: seeds.model }, engine)
      : MLP.create({ sizes, activation: c.activation, seed: seeds.model }, engine);
  let optimizer = createOptimizer(model, c.optimizer);
  let accuracyAfterSplit: number | undefined;
  try {
    const run = (from: number, to: number): void => train(model, optimizer, data.train, test, c, seeds.shuffle, from, to, curves);
    if (c.method in STRATEGY) {
      run(0, c.warmupEpochs);
      lap('warmup');
      const fpe = splitNeurons(
        model,
        { alpha: c.alpha, strategy: STRATEGY[c.method as SplitMethod], seed: seeds.split, resetOptimizer: c.resetOptimizer },
        optimizer,
      );
      optimizer.dispose();
      model.dispose();
      [model, optimizer] = [fpe.model, fpe.optimizer as Optimizer];
      accuracyAfterSplit = evaluate(model, test, 'cross-entropy').accuracy;
      curves.splitEpoch = c.warmupEpochs;
      lap('split');
      run(c.warmupEpochs, total);
    } else {
      run(0, total);
    }
    lap('train');
    const metrics = finalMetrics(model, test, accuracyAfterSplit);
    lap('metrics');
    timings.seconds = (performance.now() - start) / 1000;
    return {
      id: options.id ?? '',
      experiment: options.experiment ?? '',
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

/**
 * Test metrics at the end. Capacity and cosine are of the first hidden layer's weights; the
 * Boolean-only metrics (clause coverage, collisions, Wasserstein, mapping difficulty, the last two
 * quadratic in the 10,000 test samples) are NaN or empty: real data has no clauses.
 */
function finalMetrics(model: MLP, test: Dataset, accuracyAfterSplit: number | undefined): TrialMetrics {
  const first = model.layers[0];
  const [width, inputs] = [first.outFeatures, first.inFeatures];
  const w1 = first.weight(); // [width, inputs], zeros where masked
  const capacity = featureCapacity(w1, width, inputs);
  const end = evaluate(model, test, 'cross-entropy');
  return {
    accuracy: end.accuracy,
    testLoss: end.loss,
    nnz: model.nnz(),
    width,
    widths: model.layers.slice(0, -1).map((l) => l.outFeatures),
    capacityMean: capacity.mean,
    capacitySum: capacity.sum,
    cosineMean: meanPairwiseCosine(w1, width, inputs),
    coverage: Number.NaN,
    collisionsPerUnit: Number.NaN,
    ...(accuracyAfterSplit === undefined ? {} : { accuracyAfterSplit }),
    wasserstein: [],
    mappingDifficulty: Number.NaN,
  };
}

/**
 * Trains epochs [from, to) with fit (epoch e's batch order depends only on (seed, e), so a split
 * run repeats the dense run's order); the curves get that epoch's mean train loss and a test
 * evaluation every `evalEvery` epochs and at `to`.
 */
function train(
  model: MLP,
  optimizer: Optimizer,
  data: Dataset,
  test: Dataset,
  c: DatasetTrialConfig,
  seed: number,
  from: number,
  to: number,
  curves: TrialCurves,
): void {
  if (to <= from) return;
  fit(model, data, {
    epochs: to,
    initialEpoch: from,
    batchSize: c.batchSize,
    optimizer,
    loss: 'cross-entropy',
    seed,
    callbacks: {
      onEpoch: ({ epoch, trainLoss }) => {
        const done = epoch + 1;
        if (done % c.evalEvery !== 0 && done !== to) return;
        const e = evaluate(model, test, 'cross-entropy');
        curves.epoch.push(done);
        curves.trainLoss.push(trainLoss);
        curves.testLoss.push(e.loss);
        curves.testAccuracy.push(e.accuracy);
      },
    },
  });
}
