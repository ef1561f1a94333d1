import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { expandTrials, resolveExperimentConfig, type TrialRecord } from '../../../src/index.js';
import {
  buildId,
  cleanQueue,
  createQueuePool,
  type QueueWorker,
  type QueueWorkerEvent,
  queueStatus,
  redisOptions,
  retryFailedJobs,
  runExperiment,
  startQueueWorker,
} from '../../../src/node/index.js';
import { QUEUE_NAME } from '../../../src/node/queue/redis-connection.js';
import { byId, stored } from '../run/helpers.js';
import { redisSkipReason, startTestRedis, type TestRedis } from './redis-server.js';

const fresh = (): string => mkdtempSync(join(tmpdir(), 'widen-queue-'));

/** 8 trials of a fraction of a second each. */
const TINY = {
  name: 'tiny',
  task: { n: 8, m: 4, trainSize: 256, testSize: 128 },
  model: { h: 4 },
  seeds: 2,
  training: { warmupEpochs: 8, afterSplitEpochs: 8, batchSize: 64, evalEvery: 4 },
};
/** One trial of ~2 s here (2026-12-08; 3000 + 3000 epochs had come down to 0.99 s): twice the 1 s lock of the lock test, more on a busy machine. */
const SLOW = {
  name: 'slow',
  task: { n: 8, m: 4, trainSize: 1024, testSize: 128 },
  model: { h: 8 },
  seeds: 1,
  methods: ['dense'],
  training: { warmupEpochs: 6000, afterSplitEpochs: 6000, batchSize: 64, evalEvery: 2000 },
};

/** Job counts of the queue at `url`. */
async function counts(url: string): Promise<Record<string, number>> {
  const queue = new Queue(QUEUE_NAME, { connection: redisOptions(url) });
  try {
    return await queue.getJobCounts('waiting', 'active', 'completed', 'failed');
  } finally {
    await queue.close();
  }
}

/** Waits (polling every 50 ms, at most `seconds`) until `check` holds. */
async function until(check: () => boolean | Promise<boolean>, what: string, seconds = 60): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the Redis queue', { skip: redisSkipReason() }, () => {
  let redis: TestRedis;
  let db = 0;
  const workers: QueueWorker[] = [];
  /** A fresh database of the test server for each test, so that tests share no jobs. */
  const nextUrl = (): string => redis.url(db++);
  const worker = (url: string, options: Parameters<typeof startQueueWorker>[1] = {}): QueueWorkerEvent[] => {
    const events: QueueWorkerEvent[] = [];
    workers.push(startQueueWorker(url, { ...options, onEvent: (e) => events.push(e) }));
    return events;
  };
  const closeWorkers = async (): Promise<void> => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
  };
  let local: TrialRecord[];

  before(async () => {
    redis = await startTestRedis();
    const dir = fresh();
    await runExperiment(TINY, { out: dir, workers: 1 });
    local = stored(dir);
  });
  after(async () => {
    await closeWorkers();
    await redis?.stop();
  });

  it('runs a sweep on queue workers into the run folder, with the records of a local run', async () => {
    const url = nextUrl();
    worker(url, { concurrency: 2 });
    const statuses: number[] = [];
    const dir = fresh();
    const s = await runExperiment(TINY, { out: dir, queue: { url, pollMs: 100, onStatus: (q) => statuses.push(q.running) } });
    assert.deepEqual([s.total, s.ran, s.skipped, s.failed], [8, 8, 0, []]);
    assert.deepEqual(byId(stored(dir)), byId(local));
    assert.ok(statuses.length > 0);
    // delivered results leave Redis once stored; a second run finds everything in the store
    assert.deepEqual(await counts(url), { waiting: 0, active: 0, completed: 0, failed: 0 });
    const again = await runExperiment(TINY, { out: dir, queue: { url } });
    assert.deepEqual([again.ran, again.skipped], [0, 8]);
    await closeWorkers();
  });

  it('adds nothing when a trial is enqueued twice, and both coordinators get its record', async () => {
    const url = nextUrl();
    const config = resolveExperimentConfig(TINY);
    const trial = expandTrials(config)[0];
    const task = { id: trial.id, experiment: 'tiny', config: trial.config };
    const [a, b] = [createQueuePool({ url, experiment: config, pollMs: 100 }), createQueuePool({ url, experiment: config, pollMs: 100 })];
    const first = a.run(task);
    await until(async () => (await counts(url)).waiting === 1, 'the first job');
    const second = b.run(task);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await counts(url)).waiting, 1, 'the second add is a no-op: the job id is the trial id');
    worker(url);
    const [ra, rb] = await Promise.all([first, second]);
    assert.deepEqual(byId([ra]), byId(local.filter((r) => r.id === trial.id)));
    assert.deepEqual(rb, ra);
    await Promise.all([a.destroy(), b.destroy()]);
    await closeWorkers();
  });

  it('runs a trial that outlasts the lock once: the lock is renewed while a thread computes', async () => {
    const url = nextUrl();
    // two workers, each of which would take the job over if it looked stalled
    const events = [...[worker(url, { lockDuration: 1000 }), worker(url, { lockDuration: 1000 })]];
    const dir = fresh();
    const s = await runExperiment(SLOW, { out: dir, queue: { url, pollMs: 100 } });
    assert.deepEqual([s.ran, s.failed], [1, []]);
    const [record] = stored(dir);
    assert.ok(record.timings.seconds > 1, `the trial must outlast the 1 s lock; it took ${record.timings.seconds} s`);
    const started = events.flat().filter((e) => e.kind === 'started');
    assert.deepEqual(
      started.map((e) => e.id),
      [record.id],
      'started once',
    );
    assert.deepEqual(
      events.flat().filter((e) => e.kind === 'error' || e.kind === 'failed'),
      [],
    );
    await closeWorkers();
  });

  it('retries a throwing trial, then reports it failed with its error; retry-failed and status see it', async () => {
    const url = nextUrl();
    const events = worker(url);
    const config = {
      name: 'missing-data',
      task: { kind: 'dataset', data: { kind: 'npy', x: '/nonexistent/x.npy', y: '/nonexistent/y.npy', test: 0.25 } },
      methods: ['dense'],
      seeds: 1,
    };
    const s = await runExperiment(config, { out: fresh(), queue: { url, attempts: 2, pollMs: 100 } });
    assert.equal(s.failed.length, 1);
    assert.match(s.failed[0].message, /nonexistent\/x\.npy.*\(after 2 attempt\(s\)\)$/);
    assert.equal(events.filter((e) => e.kind === 'started').length, 2, 'tried twice');
    const status = await queueStatus(url);
    assert.deepEqual([status.failed, status.failures[0].id], [1, s.failed[0].id]);
    assert.match(status.failures[0].reason, /nonexistent\/x\.npy/);
    assert.equal(await retryFailedJobs(url), 1);
    await until(async () => (await counts(url)).failed === 1, 'the retried job to fail again');
    assert.equal(await cleanQueue(url), 1);
    assert.deepEqual(await counts(url), { waiting: 0, active: 0, completed: 0, failed: 0 });
    await closeWorkers();
  });

  it('refuses a job of another widen version or engine build, and says so', async () => {
    const url = nextUrl();
    const events = worker(url, { build: { version: '0.0.9', engineHash: 'none' } });
    const s = await runExperiment({ ...TINY, seeds: 1, methods: ['dense'] }, { out: fresh(), queue: { url, pollMs: 100 } });
    assert.equal(s.failed.length, 1);
    const mine = buildId();
    assert.match(
      s.failed[0].message,
      new RegExp(
        `enqueued by widen ${mine.version}, engine ${mine.engineHash.slice(0, 12)} but this worker runs widen 0\\.0\\.9, engine none; .*\\(after 1 attempt\\(s\\)\\)`,
      ),
    );
    assert.deepEqual(
      events.map((e) => e.kind),
      ['refused'],
    );
    await closeWorkers();
  });

  it('refuses a job whose data fails the experiment schema', async () => {
    const url = nextUrl();
    const events = worker(url);
    const queue = new Queue(QUEUE_NAME, { connection: redisOptions(url) });
    const { version, engineHash } = buildId();
    await queue.add('trial', { version, engineHash, trial: '0123456789abcdef', experiment: { name: 'x', training: { epochs: 3 } } });
    await until(async () => (await counts(url)).failed === 1, 'the job to be refused');
    await queue.close();
    assert.equal(events[0].kind, 'refused');
    assert.match(events[0].message ?? '', /unknown key 'experiment config\.training\.epochs'/);
    await closeWorkers();
  });

  it('finishes when Redis is killed mid-run and started again empty: workers reconnect, the coordinator re-adds', async () => {
    const url = nextUrl();
    // trials of a few tenths of a second, so that the kill comes while most are still to run
    const config = {
      ...TINY,
      name: 'restart',
      task: { ...TINY.task, trainSize: 512 },
      training: { ...TINY.training, warmupEpochs: 60, afterSplitEpochs: 60 },
    };
    const [localDir, dir] = [fresh(), fresh()];
    await runExperiment(config, { out: localDir, workers: 1 });
    worker(url, { concurrency: 2 });
    let restarted: Promise<void> | undefined;
    let doneAtKill = -1;
    const s = await runExperiment(config, {
      out: dir,
      queue: { url, pollMs: 100 },
      onProgress: (p) => {
        if (p.done >= 1 && restarted === undefined) {
          doneAtKill = p.done;
          restarted = (async () => {
            await redis.stop();
            await new Promise((r) => setTimeout(r, 500));
            await redis.start();
          })();
        }
      },
    });
    await restarted;
    assert.ok(doneAtKill < 8, `Redis was killed mid-run (${doneAtKill} of 8 trials done)`);
    assert.deepEqual([s.ran, s.failed], [8, []]);
    assert.deepEqual(byId(stored(dir)), byId(stored(localDir)));
    await closeWorkers();
  });
});
