import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { expandTrials, resolveExperimentConfig, type TrialRecord } from '../../src/index.js';
import { openStore, runExperiment } from '../../src/node/index.js';
import { redisSkipReason, startTestRedis, type TestRedis } from '../node/queue/redis-server.js';
import { widen as widenSync } from './helpers.js';

// A sweep as users run it: `widen run --queue` and two `widen worker` processes from source on one
// machine, a private redis-server on a free loopback port, and kill -9 for a worker and the coordinator.

/**
 * 12 trials (3 seeds × 4 methods) of about half a second each here (2026-12-08: 0.28-0.40 s at
 * 1500 + 1500 epochs). At 150 + 150 they took 0.04-0.16 s, and worker B could finish all 12
 * before the coordinator was killed, leaving no trial to finish while none runs.
 */
const CONFIG = {
  name: 'sweep',
  task: { n: 8, m: 4, trainSize: 512, testSize: 128 },
  model: { h: 4 },
  seeds: 3,
  training: { warmupEpochs: 2000, afterSplitEpochs: 2000, batchSize: 64, evalEvery: 500 },
};
const LOCK_MS = '1000';

interface Proc {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output: () => string;
  /** Resolves with the first match of `pattern` in the output (at most `seconds` later). */
  waitFor: (pattern: RegExp, seconds?: number) => Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

const procs: Proc[] = [];

/** Starts `widen ARGS` from source, single-threaded engines. */
function widen(...args: string[]): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/e2e/widen.ts', ...args], {
    env: { ...process.env, WIDEN_THREADS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer): void => {
    text += d.toString();
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const proc: Proc = {
    child,
    output: () => text,
    exited,
    waitFor: (pattern, seconds = 90) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const m = text.match(pattern);
          if (m === null) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(m);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no ${pattern} within ${seconds} s; output:\n${text}`));
        }, seconds * 1000);
        listeners.add(check);
        check();
      }),
  };
  procs.push(proc);
  return proc;
}

/** kill -9 and wait for the process to be gone. */
async function kill9(p: Proc): Promise<void> {
  p.child.kill('SIGKILL');
  await p.exited;
}

let redis: TestRedis | undefined;
after(async () => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
  await redis?.stop();
});

const skip = redisSkipReason();
test('a sweep over two worker processes survives kill -9 of a worker and of the coordinator, storing each trial once', {
  skip,
}, async () => {
  redis = await startTestRedis();
  const url = redis.url(0);
  const dir = mkdtempSync(join(tmpdir(), 'widen-e2e-queue-'));
  const file = join(dir, 'sweep.json');
  writeFileSync(file, JSON.stringify(CONFIG));
  const out = join(dir, 'run');
  const ids = expandTrials(resolveExperimentConfig(CONFIG)).map((t) => t.id);

  // worker A takes the first trial; kill -9 it mid-trial
  const a = widen('worker', url, '--concurrency', '1', '--lock-duration', LOCK_MS);
  await a.waitFor(/takes 1 trial\(s\) at a time/);
  const first = widen('run', file, '--queue', url, '--out', out);
  const [, lost] = await a.waitFor(/started ([0-9a-f]{16})/);
  await kill9(a);

  // worker B finds A's job stalled (its lock lapses after 1 s) and runs it with the rest
  const b = widen('worker', url, '--concurrency', '1', '--lock-duration', LOCK_MS);
  await first.waitFor(/trials [1-9]\d*\/12 /);
  await kill9(first);
  // a trial finishes while no coordinator runs: its result must wait in Redis
  const finishedBefore = b.output().match(/finished/g)?.length ?? 0;
  await b.waitFor(new RegExp(`(finished [0-9a-f]{16}[^]*){${finishedBefore + 1}}`));

  const second = widen('run', file, '--queue', url, '--out', out, '--json');
  assert.equal(await second.exited, 0, second.output());
  const summary = JSON.parse(second.output().trim().split('\n').at(-1) ?? '');
  assert.equal(summary.total, 12);
  assert.equal(summary.skipped + summary.ran, 12);
  assert.ok(summary.skipped >= 1, 'the first coordinator stored some trials');
  assert.deepEqual(summary.failed, []);
  assert.match(b.output(), new RegExp(`started ${lost}`), "A's trial ran on B");
  b.child.kill('SIGTERM');
  assert.equal(await b.exited, 0, b.output());

  const db = new Database(join(out, 'trials.sqlite'), { readonly: true });
  const rows = db.prepare('SELECT id FROM trials').pluck().all() as string[];
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  db.close();
  assert.deepEqual([...rows].sort(), [...ids].sort(), 'every trial stored exactly once');

  // the same metrics as a local run of the config
  const localDir = join(dir, 'local');
  await runExperiment(CONFIG, { out: localDir, workers: 2 });
  const strip = (records: TrialRecord[]) => new Map(records.map((r) => [r.id, { ...r, timings: undefined, finishedAt: undefined }]));
  const read = (d: string) => {
    const s = openStore(d);
    try {
      return strip(s.trials());
    } finally {
      s.close();
    }
  };
  assert.deepEqual(read(out), read(localDir));

  // the operator's view: whatever is left (results stored just before the kill) is cleaned away
  const clean = widen('queue', 'clean', url);
  assert.equal(await clean.exited, 0, clean.output());
  const status = widen('queue', 'status', url, '--json');
  assert.equal(await status.exited, 0, status.output());
  const s = JSON.parse(status.output().trim().split('\n').at(-1) ?? '');
  assert.deepEqual([s.waiting, s.running, s.completed, s.failed, s.workers], [0, 0, 0, 0, []]);
});

test('the queue commands refuse clashing flags and bad URLs, naming the fix', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'widen-e2e-queue-')), 'c.json');
  writeFileSync(file, JSON.stringify(CONFIG));
  const clash = widenSync('run', file, '--queue', 'redis://127.0.0.1:1/0', '--workers', '2');
  assert.equal(clash.code, 1);
  assert.match(
    clash.stderr,
    /cannot combine --workers with --queue: the workers run the trials; pass --concurrency to each `widen worker`/,
  );
  const bad = widenSync('worker', 'http://:hunter2@127.0.0.1:6379');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /widen: error: invalid Redis URL http:\/\/:\*\*\*@127\.0\.0\.1:6379\/: the scheme is http:/);
  assert.doesNotMatch(bad.stderr, /hunter2/);
  // a coordinator with a bad URL makes no run folder
  const out = join(dirname(file), 'never');
  const coordinator = widenSync('run', file, '--queue', 'not a url', '--out', out);
  assert.equal(coordinator.code, 1);
  assert.match(coordinator.stderr, /widen: error: invalid Redis URL <invalid URL>: it is not a URL/);
  assert.equal(existsSync(out), false);
  const action = widenSync('queue', 'list', 'redis://127.0.0.1:1/0');
  assert.match(action.stderr, /unknown queue action 'list'; pass one of: status, retry-failed, clean/);
});
