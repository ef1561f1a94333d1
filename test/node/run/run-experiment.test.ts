import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expandTrials, resolveExperimentConfig } from '../../../src/index.js';
import { openStore, runExperiment } from '../../../src/node/index.js';
import { workerFile } from '../../../src/node/run/local-pool.js';
import { byId, stored } from './helpers.js';

const fresh = (): string => mkdtempSync(join(tmpdir(), 'widen-run-'));

/** 12 trials of a tiny experiment, a fraction of a second each. */
const CONFIG = {
  name: 'tiny',
  task: { n: 8, m: 4, trainSize: 256, testSize: 128 },
  model: { h: 4 },
  seeds: 3,
  training: { warmupEpochs: 8, afterSplitEpochs: 8, batchSize: 64, evalEvery: 4 },
};

describe('runExperiment', () => {
  it('resolves the worker entry as .ts from source and .js from dist', () => {
    assert.equal(workerFile('file:///p/src/node/run/local-pool.ts'), 'file:///p/src/node/run/trial-worker.ts');
    assert.equal(workerFile('file:///p/dist/src/node/run/local-pool.js'), 'file:///p/dist/src/node/run/trial-worker.js');
    assert.match(workerFile(), /\/src\/node\/run\/trial-worker\.ts$/, 'under tsx this module is the .ts source');
  });

  it('stores every trial once, and 2 workers give the same records as 1', async () => {
    const [one, two] = [fresh(), fresh()];
    const progress: number[] = [];
    const s1 = await runExperiment(CONFIG, { out: one, workers: 1, onProgress: (p) => progress.push(p.done) });
    const s2 = await runExperiment(CONFIG, { out: two, workers: 2 });
    assert.deepEqual([s1.total, s1.ran, s1.skipped, s1.failed], [12, 12, 0, []]);
    assert.deepEqual([s2.total, s2.ran, s2.skipped, s2.failed], [12, 12, 0, []]);
    assert.deepEqual(progress, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const [r1, r2] = [stored(one), stored(two)];
    assert.deepEqual(new Set(r1.map((r) => r.id)), new Set(expandTrials(resolveExperimentConfig(CONFIG)).map((t) => t.id)));
    assert.deepEqual(byId(r2), byId(r1));
    assert.ok(r1.every((r) => r.experiment === 'tiny' && r.timings.seconds > 0));
    assert.deepEqual(JSON.parse(readFileSync(join(one, 'config.json'), 'utf8')), resolveExperimentConfig(CONFIG));
  });

  it('skips the trials already stored and runs only the rest', async () => {
    const dir = fresh();
    const first = await runExperiment({ ...CONFIG, seeds: 2 }, { out: fresh(), workers: 2 });
    assert.equal(first.ran, 8);
    // a store holding the 8 trials of seeds 0 and 1, as an interrupted run of CONFIG leaves it
    const partial = stored(first.runDir);
    const store = openStore(dir);
    for (const r of partial) store.insert(r);
    store.close();
    const s = await runExperiment(CONFIG, { out: dir, workers: 2 });
    assert.deepEqual([s.total, s.skipped, s.ran], [12, 8, 4]);
    const again = await runExperiment(CONFIG, { out: dir, workers: 2 });
    assert.deepEqual([again.skipped, again.ran], [12, 0]);
    const log = openStore(dir);
    const attempts = log.attempts();
    log.close();
    assert.equal(attempts.length, 4, 'only the 4 missing trials were started, in one session');
    assert.ok(attempts.every((a) => a.session === 1 && !partial.some((r) => r.id === a.trial)));
  });

  it('reports a trial that throws, stores nothing for it, and retries it on the next run', async () => {
    const dir = fresh();
    const boom = { ...CONFIG, seeds: [0], methods: ['dense'], training: { ...CONFIG.training, optimizer: { kind: 'sgd', lr: 1e30 } } };
    const s = await runExperiment(boom, { out: dir });
    assert.equal(s.ran, 0);
    assert.equal(s.failed.length, 1);
    assert.equal(s.failed[0].config.method, 'dense');
    assert.match(s.failed[0].message, /loss is NaN at step \d+; .*lower the learning rate/);
    assert.deepEqual(stored(dir), []);
    assert.equal((await runExperiment(boom, { out: dir })).failed.length, 1, 'retried, and failing again');
  });

  it('refuses a run folder of another experiment or of another config of the same one', async () => {
    const dir = fresh();
    await runExperiment({ ...CONFIG, seeds: [0], methods: ['dense'] }, { out: dir });
    await assert.rejects(runExperiment({ ...CONFIG, name: 'other', seeds: [0], methods: ['dense'] }, { out: dir }), {
      name: 'ConfigError',
      message: `run folder ${dir} holds experiment 'tiny', not 'other'; pass a new --out folder or rerun 'tiny'`,
    });
    await assert.rejects(runExperiment({ ...CONFIG, seeds: [0], methods: ['dense'], alpha: 4 }, { out: dir }), {
      name: 'ConfigError',
      message: `run folder ${dir} holds a different config of experiment 'tiny' (alpha: 2 -> 4); pass a new --out folder to run this config`,
    });
  });
});
