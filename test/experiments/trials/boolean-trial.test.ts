import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  type BooleanTrialConfig,
  createEngine,
  expandTrials,
  resolveExperimentConfig,
  runBooleanTrial,
  type TrialRecord,
} from '../../../src/index.js';

const engine = createEngine({ threads: 1 });
after(() => engine.dispose());

/** Trials of a tiny experiment: n = 8, m = 4, h = 4, 10 + 10 epochs of 256 samples. */
function tiny(extra: Record<string, unknown> = {}): BooleanTrialConfig[] {
  const config = resolveExperimentConfig({
    name: 'tiny',
    task: { n: 8, m: 4, trainSize: 256, testSize: 128 },
    model: { h: 4 },
    methods: ['dense', 'sparse-init', 'fpe-random', 'fpe-clause', 'fpe-gram', 'overlap'],
    seeds: [3],
    training: { warmupEpochs: 10, afterSplitEpochs: 10, batchSize: 64, evalEvery: 5 },
    ...extra,
  });
  return expandTrials(config).map((t) => t.config as BooleanTrialConfig);
}

const strip = (r: TrialRecord) => ({ ...r, timings: undefined, finishedAt: undefined });

describe('boolean trial', () => {
  const records = new Map(tiny().map((c) => [c.method, runBooleanTrial(c, { engine })]));

  it('gives every method the dense non-zero count, at width h (dense) or alpha·h', () => {
    for (const [method, r] of records) {
      assert.equal(r.metrics.nnz, 8 * 4 + 4 * 4, method);
      assert.equal(r.metrics.width, method === 'dense' ? 4 : 8, method);
      assert.ok(r.metrics.accuracy >= 0 && r.metrics.accuracy <= 1, method);
      assert.equal(r.metrics.wasserstein.length, r.metrics.width);
      for (const key of [
        'testLoss',
        'capacityMean',
        'capacitySum',
        'cosineMean',
        'coverage',
        'collisionsPerUnit',
        'mappingDifficulty',
      ] as const) {
        assert.ok(Number.isFinite(r.metrics[key]), `${method} ${key} = ${r.metrics[key]}`);
      }
    }
  });

  it('records curves every evalEvery epochs, the split, and collisions right after it', () => {
    for (const [method, r] of records) {
      assert.deepEqual(r.curves.epoch, [5, 10, 15, 20], method);
      for (const k of ['trainLoss', 'testLoss', 'testAccuracy'] as const) assert.equal(r.curves[k].length, 4);
      const splits = method !== 'dense' && method !== 'sparse-init';
      assert.equal(r.curves.splitEpoch, splits ? 10 : undefined, method);
      for (const key of ['coverageAfterSplit', 'collisionsPerUnitAfterSplit', 'collisionsPredicted', 'accuracyAfterSplit'] as const) {
        assert.equal(Number.isFinite(r.metrics[key]), splits, `${method} ${key}`);
      }
      assert.deepEqual(
        Object.keys(r.timings).sort(),
        splits ? ['metrics', 'seconds', 'split', 'task', 'train', 'warmup'] : ['metrics', 'seconds', 'task', 'train'],
      );
    }
  });

  it('pairs methods by seed: an FPE warm-up repeats the dense run up to the split', () => {
    const dense = records.get('dense')!.curves;
    for (const method of ['fpe-random', 'fpe-clause', 'fpe-gram', 'overlap'] as const) {
      const fpe = records.get(method)!.curves;
      assert.deepEqual(fpe.testAccuracy.slice(0, 2), dense.testAccuracy.slice(0, 2), method);
      assert.deepEqual(fpe.trainLoss.slice(0, 2), dense.trainLoss.slice(0, 2), method);
    }
  });

  it('is deterministic: the same config gives the same record, timings aside', () => {
    for (const c of tiny()) assert.deepEqual(strip(runBooleanTrial(c, { engine })), strip(records.get(c.method)!), c.method);
  });

  it('runs the multi-label and dnf modes with their metrics', () => {
    const [ml] = tiny({ task: { n: 8, m: 4, mode: 'multi-label', trainSize: 256, testSize: 128 }, methods: ['fpe-random'] });
    const r = runBooleanTrial(ml, { engine });
    assert.ok(Number.isFinite(r.metrics.exactMatch) && Number.isFinite(r.metrics.macroF1));
    const [dnf] = tiny({ task: { n: 8, m: 4, mode: 'dnf', trainSize: 256, testSize: 128 }, methods: ['fpe-clause'] });
    const d = runBooleanTrial(dnf, { engine });
    assert.equal(d.metrics.nnz, 8 * 4 + 4 * 1);
    assert.equal(d.metrics.exactMatch, undefined);
  });
});
