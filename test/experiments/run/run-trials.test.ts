import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createMemoryStore,
  expandTrials,
  type RunProgress,
  resolveExperimentConfig,
  runTrials,
  type TrialPool,
  type TrialRecord,
  type TrialTask,
} from '../../../src/index.js';

const trials = expandTrials(resolveExperimentConfig({ name: 'fake', seeds: 3, methods: ['dense', 'fpe-random'] }));

/** A record for a task, as a pool would return it (the metrics are made up). */
function recordOf(task: TrialTask, i: number): TrialRecord {
  return {
    id: task.id,
    experiment: task.experiment,
    config: { ...task.config },
    metrics: {
      accuracy: i / 10,
      testLoss: 1,
      nnz: 1,
      width: 1,
      capacityMean: 0,
      capacitySum: 0,
      cosineMean: 0,
      coverage: 0,
      collisionsPerUnit: 0,
      wasserstein: [],
      mappingDifficulty: 0,
    },
    curves: { epoch: [], trainLoss: [], testLoss: [], testAccuracy: [] },
    timings: { seconds: 0 },
    finishedAt: new Date(0).toISOString(),
  };
}

/**
 * A pool that finishes tasks in the reverse order of their dispatch (each waits on a later one),
 * fails the trials in `failing`, and counts what it ran and how many were in flight at once.
 */
function fakePool(failing: Set<string> = new Set()) {
  const ran: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let destroyed = false;
  let count = 0;
  const pool: TrialPool = {
    run: async (task) => {
      const i = count++;
      ran.push(task.id);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // later dispatches finish sooner: completion order differs from dispatch order
      await new Promise((r) => setTimeout(r, 30 - 5 * (i % 5)));
      inFlight--;
      if (failing.has(task.id)) throw new Error(`trial ${task.id} blew up`);
      return recordOf(task, i);
    },
    destroy: async () => {
      destroyed = true;
    },
  };
  return { pool, ran, max: () => maxInFlight, destroyed: () => destroyed };
}

describe('runTrials (in-memory store, fake pool)', () => {
  it('runs every trial once, stores each as it finishes, in whatever order they complete', async () => {
    const store = createMemoryStore();
    const fake = fakePool();
    const seen: RunProgress[] = [];
    let lanes = 0;
    const run = await runTrials(trials, {
      experiment: 'fake',
      store,
      pool: (n) => {
        lanes = n;
        return fake.pool;
      },
      concurrency: 3,
      onProgress: (p) => seen.push(p),
    });
    assert.deepEqual(run, { total: trials.length, skipped: 0, ran: trials.length, failed: [] });
    assert.equal(lanes, 3);
    assert.ok(fake.max() <= 3 && fake.max() >= 2, 'at most `concurrency` trials in flight');
    assert.ok(fake.destroyed(), 'the pool is destroyed at the end');
    assert.deepEqual([...store.ids()].sort(), trials.map((t) => t.id).sort());
    assert.deepEqual(
      store.trials().map((r) => r.experiment),
      Array(trials.length).fill('fake'),
    );
    assert.deepEqual(
      seen.map((p) => p.done),
      Array.from({ length: trials.length + 1 }, (_, i) => i),
    );
    assert.deepEqual(
      store.attempts().map((a) => a.session),
      Array(trials.length).fill(1),
    );
  });

  it('skips the trials already stored and makes no pool when nothing is left', async () => {
    const store = createMemoryStore();
    const first = fakePool();
    await runTrials(trials.slice(0, 2), { experiment: 'fake', store, pool: () => first.pool, concurrency: 2 });
    const second = fakePool();
    const run = await runTrials(trials, { experiment: 'fake', store, pool: () => second.pool, concurrency: 8 });
    assert.equal(run.skipped, 2);
    assert.equal(run.ran, trials.length - 2);
    assert.deepEqual(
      second.ran.sort(),
      trials
        .slice(2)
        .map((t) => t.id)
        .sort(),
      'stored trials are not run again',
    );
    assert.ok(second.max() <= trials.length - 2, 'no more lanes than trials to run');
    let made = false;
    const none = await runTrials(trials, {
      experiment: 'fake',
      store,
      pool: () => {
        made = true;
        return fakePool().pool;
      },
      concurrency: 2,
    });
    assert.deepEqual(none, { total: trials.length, skipped: trials.length, ran: 0, failed: [] });
    assert.equal(made, false);
    assert.deepEqual([...new Set(store.attempts().map((a) => a.session))], [1, 2], 'one session per call that ran something');
  });

  it('reports a failing trial, does not store it, and retries it on the next call', async () => {
    const store = createMemoryStore();
    const bad = trials[1].id;
    const errors: string[] = [];
    const run = await runTrials(trials, {
      experiment: 'fake',
      store,
      pool: () => fakePool(new Set([bad])).pool,
      concurrency: 2,
      onProgress: (p) => p.error && errors.push(p.error.message),
    });
    assert.equal(run.ran, trials.length - 1);
    assert.deepEqual(
      run.failed.map((f) => [f.id, f.message]),
      [[bad, `trial ${bad} blew up`]],
    );
    assert.deepEqual(errors, [`trial ${bad} blew up`]);
    assert.ok(!store.ids().has(bad));
    const retry = fakePool();
    const again = await runTrials(trials, { experiment: 'fake', store, pool: () => retry.pool, concurrency: 2 });
    assert.deepEqual(retry.ran, [bad]);
    assert.deepEqual(again.failed, []);
    assert.equal(store.ids().size, trials.length);
  });
});

describe('createMemoryStore', () => {
  it('keeps the first record of an id and hands out copies', () => {
    const store = createMemoryStore();
    const r = recordOf({ id: 'a', experiment: 'x', config: trials[0].config }, 1);
    assert.equal(store.insert(r), true);
    assert.equal(store.insert({ ...r, experiment: 'y' }), false);
    const [back] = store.trials();
    assert.deepEqual(back, r);
    back.metrics.accuracy = 7;
    assert.equal(store.trials()[0].metrics.accuracy, 0.1);
  });
});
