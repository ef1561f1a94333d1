import {
  type BooleanTrialConfig,
  type Engine,
  evaluate,
  evaluateExpanded,
  expandTrials,
  fit,
  MLP,
  makeBlobs,
  resolveExperimentConfig,
  runBooleanTrial,
  sparseExpand,
} from '../../index.js';

/** The FPE act of the demo: dense vs FPE (random, clause split) at one non-zero count on a Boolean code task. */
export interface FpeAct {
  task: string;
  rows: { method: string; width: number; accuracy: number; nnz: number }[];
  seconds: number;
}

/**
 * The headline cell of the Boolean study (which-clause, n = 32, m = 16 clauses on h = 8 neurons,
 * α = 2) with a short schedule (150 + 150 epochs, the demo's seed): dense width 8 against the same network
 * split into 16 neurons at the same non-zero count, by a random and by the clause-aligned split.
 */
export function fpeAct(seed: number, engine: Engine): FpeAct {
  const t0 = performance.now();
  const config = resolveExperimentConfig({
    name: 'demo-fpe',
    task: { mode: 'which-clause', n: 32, k: 3, m: 16 },
    model: { h: 8 },
    methods: ['dense', 'fpe-random', 'fpe-clause'],
    alpha: 2,
    seeds: [seed],
    training: { warmupEpochs: 150, afterSplitEpochs: 150 },
  });
  const rows = expandTrials(config).map((t) => {
    const c = t.config as BooleanTrialConfig;
    const r = runBooleanTrial(c, { engine });
    return { method: c.method, width: c.method === 'dense' ? c.h : c.h * c.alpha, accuracy: r.metrics.accuracy, nnz: r.metrics.nnz };
  });
  return { task: 'which-clause n=32 k=3 m=16 (16 clauses on 8 neurons)', rows, seconds: (performance.now() - t0) / 1000 };
}

/** The Sparse Expansion act of the demo: one pruner at 90% per expert, K = 1 (the pruner alone) vs K = 4. */
export interface ExpansionAct {
  dense: number;
  rows: { k: number; accuracy: number; nnzStored: number; nnzPerInput: number }[];
  seconds: number;
}

/**
 * A dense GELU MLP 32-64-64-4 trained 8 epochs on blobs, then pruned to 90% per layer by SparseGPT
 * alone (K = 1) and by Sparse Expansion into 4 experts per layer, each pruned on its own cluster
 * of 512 calibration samples (same non-zeros per input, 4x the non-zeros stored).
 */
export function expansionAct(seed: number, engine: Engine): ExpansionAct {
  const t0 = performance.now();
  const { train, test } = makeBlobs({ classes: 4, features: 32, clustersPerClass: 3, trainSize: 4096, testSize: 1024, noise: 1.2, seed });
  const model = MLP.create({ sizes: [32, 64, 64, 4], activation: 'gelu', density: 1, seed }, engine);
  try {
    fit(model, train, { epochs: 8, batchSize: 64, optimizer: { kind: 'adam', lr: 3e-3 }, loss: 'cross-entropy', seed });
    const calibration = { x: train.x.subarray(0, 512 * 32), size: 512 };
    const rows = [1, 4].map((k) => {
      const expanded = sparseExpand(model, calibration, { k, sparsity: 0.9, pruner: 'sparsegpt', restarts: 3, seed });
      const e = evaluateExpanded(expanded, test);
      const row = { k, accuracy: e.accuracy, nnzStored: expanded.nnzStored(), nnzPerInput: e.nnzPerInput };
      expanded.dispose();
      return row;
    });
    const dense = evaluate(model, test, 'cross-entropy').accuracy;
    return { dense, rows, seconds: (performance.now() - t0) / 1000 };
  } finally {
    model.dispose();
  }
}
