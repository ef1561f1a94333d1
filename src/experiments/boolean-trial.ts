import { defaultEngine, type Engine } from '../engine/index.js';
import { sparseInit, splitNeurons } from '../expand/index.js';
import { createOptimizer, evaluate, fit, MLP, type Optimizer } from '../nn/index.js';
import { type BooleanTask, makeBooleanTask } from '../tasks/boolean.js';
import type { BooleanTrialConfig } from './experiment-grid.js';
import { finalMetrics, type SplitMetrics, splitMetrics } from './trial-metrics.js';
import type { TrialCurves, TrialRecord } from './trial-record.js';
import { trialStreams } from './trial-seeds.js';

/** Options of runBooleanTrial. */
export interface BooleanTrialOptions {
  engine?: Engine;
  /** Stored in the record (default: empty; the runner passes the trial id and the experiment name). */
  id?: string;
  experiment?: string;
}

/** The split strategy of each splitting method. */
const STRATEGY = { 'fpe-random': 'random', 'fpe-clause': 'clause', 'fpe-gram': 'gram', overlap: 'overlap' } as const;
type SplitMethod = keyof typeof STRATEGY;

/**
 * Runs one trial of the Boolean protocol (spec boolean-tasks.md §3): makes the seeded task, then
 * - dense: width h for E1 + E2 epochs;
 * - sparse-init: width alpha·h with random masks at the dense nnz, E1 + E2 epochs;
 * - fpe-random / fpe-clause / fpe-gram / overlap: dense width h for E1 epochs, splitNeurons with
 *   the method's strategy (collisions measured on the split masks, before the budget restore),
 *   then E2 epochs of the expanded network.
 * Returns the TrialRecord with test metrics, curves (every `evalEvery` epochs, at the split and at
 * the end) and timings in seconds per phase: task, warmup and split (FPE only), train (all of a
 * dense or sparse-init run; after the split for FPE), metrics. Same config, same record
 * (timings and finishedAt aside).
 * Example: `runBooleanTrial(expandTrials(resolveExperimentConfig({ name: 'x' }))[0].config)`.
 */
export function runBooleanTrial(config: BooleanTrialConfig, options: BooleanTrialOptions = {}): TrialRecord {
  const engine = options.engine ?? defaultEngine();
  const c = config;
  const timings: TrialRecord['timings'] = { seconds: 0 };
  let t = performance.now();
  const lap = (phase: string): void => {
    const now = performance.now();
    timings[phase] = (now - t) / 1000;
    t = now;
  };
  const start = t;
  const task = makeBooleanTask({ n: c.n, m: c.m, k: c.k, mode: c.mode, trainSize: c.trainSize, testSize: c.testSize, seed: c.seed });
  lap('task');
  const seeds = trialStreams(c.seed);
  const sizes = [c.n, c.h, task.outputs];
  const total = c.warmupEpochs + c.afterSplitEpochs;
  const curves: TrialCurves = { epoch: [], trainLoss: [], testLoss: [], testAccuracy: [] };
  let model =
    c.method === 'sparse-init'
      ? sparseInit({ sizes, alpha: c.alpha, activation: c.activation, seed: seeds.model }, engine)
      : MLP.create({ sizes, activation: c.activation, seed: seeds.model }, engine);
  let optimizer = createOptimizer(model, c.optimizer);
  let split: SplitMetrics | undefined;
  try {
    if (c.method in STRATEGY) {
      train(model, optimizer, task, c, seeds.shuffle, 0, c.warmupEpochs, curves);
      lap('warmup');
      const parentMask = model.layers[0].mask();
      const fpe = splitNeurons(
        model,
        {
          alpha: c.alpha,
          strategy: STRATEGY[c.method as SplitMethod],
          clauses: task.clauses,
          seed: seeds.split,
          resetOptimizer: c.resetOptimizer,
          overlapFactor: c.overlapFactor,
        },
        optimizer,
      );
      [model, optimizer] = swap(model, optimizer, fpe.model, fpe.optimizer as Optimizer);
      split = splitMetrics(parentMask, fpe.splitMasks[0], model, task, c.alpha);
      curves.splitEpoch = c.warmupEpochs;
      lap('split');
      train(model, optimizer, task, c, seeds.shuffle, c.warmupEpochs, total, curves);
    } else {
      train(model, optimizer, task, c, seeds.shuffle, 0, total, curves);
    }
    lap('train');
    const metrics = finalMetrics(model, task, split);
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

/** Frees the parent network and its optimizer once FPE has built the children. */
function swap(model: MLP, optimizer: Optimizer, wide: MLP, next: Optimizer): [MLP, Optimizer] {
  optimizer.dispose();
  model.dispose();
  return [wide, next];
}

/**
 * Trains epochs [from, to) with fit (epoch e's batch order depends only on (seed, e), so a split
 * run repeats the dense run's order). The curves get a point every `evalEvery` epochs and at
 * `to`: that epoch's mean train loss and a test evaluation (evaluating every epoch would cost
 * more than the training of these tiny networks).
 */
function train(
  model: MLP,
  optimizer: Optimizer,
  task: BooleanTask,
  c: BooleanTrialConfig,
  seed: number,
  from: number,
  to: number,
  curves: TrialCurves,
): void {
  if (to <= from) return;
  fit(model, task.train, {
    epochs: to,
    initialEpoch: from,
    batchSize: c.batchSize,
    optimizer,
    loss: task.loss,
    seed,
    callbacks: {
      onEpoch: ({ epoch, trainLoss }) => {
        const done = epoch + 1;
        if (done % c.evalEvery !== 0 && done !== to) return;
        const test = evaluate(model, task.test, task.loss);
        curves.epoch.push(done);
        curves.trainLoss.push(trainLoss);
        curves.testLoss.push(test.loss);
        curves.testAccuracy.push(test.accuracy);
      },
    },
  });
}
