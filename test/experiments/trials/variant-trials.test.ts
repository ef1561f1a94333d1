import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  type BooleanTrialConfig,
  beyondCells,
  beyondTarget,
  createEngine,
  expandTrials,
  resolveExperimentConfig,
  runBooleanTrial,
  SPLIT_VARIANTS,
  type TrialRecord,
} from '../../../src/index.js';

// The issue-11 variants as trial methods: each at the dense non-zero count, with the mechanism measured.

const engine = createEngine({ threads: 1 });
after(() => engine.dispose());

const VARIANTS = Object.keys(SPLIT_VARIANTS);

/** n = 12, m = 6, h = 4, alpha = 4, 8 + 8 epochs of 256 samples. */
function tiny(methods: string[], seeds: number[] = [3]): BooleanTrialConfig[] {
  const config = resolveExperimentConfig({
    name: 'tiny',
    task: { n: 12, m: 6, trainSize: 256, testSize: 128 },
    model: { h: 4 },
    methods,
    alpha: 4,
    seeds,
    training: { warmupEpochs: 8, afterSplitEpochs: 8, batchSize: 64, evalEvery: 4 },
  });
  return expandTrials(config).map((t) => t.config as BooleanTrialConfig);
}

describe('variant trials', () => {
  const records = new Map(tiny(['dense', 'fpe-random', ...VARIANTS]).map((c) => [c.method as string, runBooleanTrial(c, { engine })]));
  const dense = 12 * 4 + 4 * 6;

  it('every variant holds the dense non-zero count at width alpha·h', () => {
    for (const [method, r] of records) {
      assert.equal(r.metrics.nnz, dense, method);
      assert.equal(r.metrics.width, method === 'dense' ? 4 : 16, method);
      assert.equal(r.metrics.weightNorms?.length, 2, method);
      assert.ok(r.metrics.deadUnits !== undefined && r.metrics.deadUnits >= 0 && r.metrics.deadUnits <= 1, method);
    }
  });

  it('measures what the restore removed', () => {
    // copies: (alpha − 1)·h·C of the 2·(alpha·h·C)... exactly (4 − 1)·4·6 = 72 of 48 + 96 weights
    assert.equal(records.get('fpe-random')?.metrics.restoreFraction, 72 / (48 + 96));
    for (const m of ['fpe-partition', 'fpe-partition-scaled', 'fpe-clause-routed']) {
      assert.equal(records.get(m)?.metrics.restoreFraction, 0, m);
      assert.equal(records.get(m)?.metrics.restoreInputFraction, 0, m);
    }
    // per-layer: the input layer keeps every weight, the copies lose 72
    assert.equal(records.get('fpe-layer-restore')?.metrics.restoreInputFraction, 0);
    assert.equal(records.get('fpe-layer-restore')?.metrics.restoreFraction, 72 / (48 + 96));
    // the schedule removes 4·6 of 48 + 48 at the first split, then 8·6 of (the input layer's <= 48) + 96
    const f = records.get('fpe-schedule')?.metrics.restoreFraction as number;
    const removed = 24 + 48;
    assert.ok(Number.isInteger(removed / f - 96 - 96) && f >= removed / (96 + 144) && f <= removed / (96 + 96), String(f));
    assert.equal(records.get('dense')?.metrics.restoreFraction, undefined);
  });

  it('selective splits give the top half more children, alpha·h in all', () => {
    for (const m of ['fpe-selective-wd', 'fpe-selective-collisions']) {
      const children = records.get(m)?.metrics.splitChildren as number[];
      assert.equal(children.length, 4, m);
      assert.equal(
        children.reduce((s, c) => s + c, 0),
        16,
        m,
      );
      assert.equal(children.filter((c) => c === 1).length, 2, m);
    }
  });

  it('the schedule splits twice: the curves run through both splits', () => {
    const r = records.get('fpe-schedule') as TrialRecord;
    assert.ok(r.timings.split !== undefined && r.timings.split2 !== undefined);
    assert.equal(r.curves.splitEpoch, 8);
    assert.equal(r.curves.epoch[r.curves.epoch.length - 1], 16);
  });

  it('is deterministic', () => {
    const again = runBooleanTrial(tiny(['fpe-selective-wd'])[0], { engine });
    assert.equal(again.metrics.accuracy, records.get('fpe-selective-wd')?.metrics.accuracy);
    assert.deepEqual(again.metrics.splitChildren, records.get('fpe-selective-wd')?.metrics.splitChildren);
  });
});

describe('variant configs', () => {
  it('refuses fpe-schedule at an alpha that is not a power of 2', () => {
    assert.throws(
      () => resolveExperimentConfig({ name: 'x', methods: ['fpe-schedule'], alpha: 3 }),
      /alpha must be a power of 2 for fpe-schedule \(repeated alpha = 2 splits\), got 3/,
    );
  });
  it('refuses the clause variants on real data', () => {
    for (const method of ['fpe-selective-collisions', 'fpe-clause-routed']) {
      assert.throws(
        () => resolveExperimentConfig({ name: 'x', task: { kind: 'dataset', data: { kind: 'fashion-mnist' } }, methods: [method] }),
        new RegExp(`'${method}' is not available on real data`),
      );
    }
  });
});

describe('beyondCells', () => {
  const record = (method: string, seed: number, accuracy: number, alpha = 4): TrialRecord =>
    ({
      id: `${method}-${seed}`,
      experiment: 'x',
      config: { task: 'boolean', method, mode: 'which-clause', n: 32, m: 16, k: 3, h: 8, alpha: method === 'dense' ? 1 : alpha, seed },
      metrics: { accuracy, nnz: 384, deadUnits: 0.25, weightNorms: [1, 2] },
      curves: { epoch: [], trainLoss: [], testLoss: [], testAccuracy: [] },
      timings: { seconds: 1 },
      finishedAt: '',
    }) as unknown as TrialRecord;
  const records = [
    ...[0.8, 0.9, 0.85].map((a, s) => record('fpe-random', s, a)),
    ...[0.9, 0.95, 0.97].map((a, s) => record('sparse-init', s, a)),
    ...[0.95, 0.99, 0.96].map((a, s) => record('fpe-partition', s, a)),
    ...[0.7, 0.75].map((a, s) => record('dense', s, a)),
  ];
  const cells = beyondCells(records, ['dense', 'sparse-init', 'fpe-random', 'fpe-partition']);

  it('pairs each method with FPE random, sparse-init and dense over the shared seeds', () => {
    assert.deepEqual(
      cells.map((c) => c.method),
      ['dense', 'sparse-init', 'fpe-random', 'fpe-partition'],
    );
    const p = cells.find((c) => c.method === 'fpe-partition')!;
    assert.equal(p.seeds, 3);
    assert.ok(Math.abs(p.mean - 0.9666666666666667) < 1e-12);
    // differences 0.15, 0.09, 0.11: mean 0.11667, sd 0.030551, t(2) 4.302653
    const d = p.paired_vs_fpe_random!;
    assert.ok(Math.abs(d.mean - 0.11666666666666667) < 1e-12);
    assert.ok(Math.abs(d.hi! - d.mean - (4.302652729749464 * 0.030550504633038926) / Math.sqrt(3)) < 1e-9);
    assert.equal(p.paired_vs_dense?.seeds, 2);
    assert.equal(p.mechanism.deadUnits, 0.25);
    assert.equal(p.mechanism.outputNorm, 2);
    assert.equal(cells.find((c) => c.method === 'fpe-random')!.paired_vs_fpe_random, null);
  });

  it("gives accuracies a bootstrap interval inside the seeds' range (never past 100%)", () => {
    const perfect = beyondCells([1, 1, 0.98].map((a, s) => record('fpe-partition', s, a)));
    const [lo, hi] = perfect[0].ci95!;
    assert.equal(hi, 1);
    assert.ok(lo >= 0.98 && lo < 1, `lo ${lo}`);
    // a t interval would reach 1.0115 here: mean 0.99333, sd 0.011547, t(2) 4.3027
    const p = cells.find((c) => c.method === 'fpe-partition')!;
    assert.ok(p.ci95![0] >= 0.95 && p.ci95![1] <= 0.99, `ci ${p.ci95}`);
  });

  it('judges the target and names the cells not run', () => {
    const t = beyondTarget(cells, 'fpe-partition');
    assert.equal(t.met, false);
    assert.deepEqual(t.missing, ['boolean m=32', 'Fashion-MNIST']);
  });
});
