/**
 * What a sweep over the Redis queue costs: `node --import tsx bench/queue.bench.ts [--quick] [--json]`.
 * Needs Debian's redis-server (`apt-get install -y redis-server`); starts its own on a free
 * loopback port, without persistence, and stops it at the end.
 *
 * 1. The quick Boolean study's config (headline-quick: 4 methods × 5 seeds, 300 + 300 epochs; with
 *    --quick 2 seeds and 100 + 100 epochs) three ways: locally on one worker thread
 *    (`widen run --workers 1`), through the queue with one `widen worker --concurrency 1` process,
 *    and with two such processes. The workers are started (and ready) before the clock starts.
 *    Overhead per job = (wall time × processes − the trials' own seconds) / trials: time a worker
 *    spends on anything but training.
 * 2. The queue's own cost per job, without training: 200 jobs with real payloads (the experiment
 *    config) and real results (a stored trial record) go through one BullMQ worker, which
 *    validates each payload as `widen worker` does and returns the record; the coordinator side
 *    (createQueuePool) collects them. Target: under 5% of a 2-second trial (100 ms).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'bullmq';
import { parse } from 'yaml';
import { booleanStudyPlan } from '../src/experiments/studies/boolean.js';
import { createMemoryStore, expandTrials, resolveExperimentConfig, runTrials, type TrialRecord } from '../src/index.js';
import { buildId, createQueuePool, openStore, packageRoot, redisOptions, runExperiment, useNodePlatform } from '../src/node/index.js';
import { QUEUE_NAME } from '../src/node/queue/redis-connection.js';
import { taskOfJob } from '../src/node/queue/trial-job.js';
import { startTestRedis } from '../test/node/queue/redis-server.js';

useNodePlatform();
const quick = process.argv.includes('--quick');
const json = process.argv.includes('--json');
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const studyFile = (name: string) => parse(readFileSync(join(packageRoot(), 'experiments', 'boolean', `${name}.yaml`), 'utf8'));
const [plan] = booleanStudyPlan({ headline: studyFile('headline'), sweeps: studyFile('sweeps') }, true);
const raw = quick
  ? { ...plan, name: 'headline-bench', seeds: 2, training: { ...(plan.training as object), warmupEpochs: 100, afterSplitEpochs: 100 } }
  : plan;
const config = resolveExperimentConfig(raw);
const trials = expandTrials(config).length;

interface Measure {
  how: string;
  processes: number;
  seconds: number;
  trialSeconds: number;
  overheadMsPerJob: number;
}

function summarise(how: string, processes: number, seconds: number, dir: string): Measure {
  const store = openStore(dir);
  const records = store.trials();
  store.close();
  const trialSeconds = records.reduce((s, r) => s + r.timings.seconds, 0);
  return { how, processes, seconds, trialSeconds, overheadMsPerJob: ((seconds * processes - trialSeconds) / records.length) * 1000 };
}

/** Starts `widen worker url --concurrency 1` and resolves once it waits for jobs. */
function startWorker(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/widen-cli.ts', 'worker', url, '--concurrency', '1'], {
    env: { ...process.env, WIDEN_THREADS: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr?.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('at a time from')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`widen worker exited with ${code}: ${text}`)));
  });
}

async function stopWorker(child: ChildProcess): Promise<void> {
  child.removeAllListeners('exit');
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await gone;
}

/** 200 jobs through the queue with real payloads and results, no training: the queue's own cost per job. */
async function queueOnly(url: string, record: TrialRecord): Promise<number> {
  const jobs = 200;
  const build = buildId();
  const worker = new Worker(
    QUEUE_NAME,
    async (job) => {
      taskOfJob(job.data, build);
      return record;
    },
    { connection: redisOptions(url), concurrency: 1 },
  );
  // distinct trial ids: the same trial under seeds 0..199 (the worker re-derives each from the config)
  const many = resolveExperimentConfig({ ...raw, name: 'queue-only', seeds: jobs, methods: ['dense'] });
  const all = expandTrials(many);
  const t0 = performance.now();
  await runTrials(all, {
    experiment: many.name,
    store: createMemoryStore(),
    concurrency: jobs,
    pool: () => createQueuePool({ url, experiment: many, pollMs: 100 }),
  });
  const ms = (performance.now() - t0) / jobs;
  await worker.close();
  return ms;
}

const redis = await startTestRedis();
const results: Measure[] = [];
try {
  const file = join(mkdtempSync(join(tmpdir(), 'widen-queue-bench-')), 'config.json');
  writeFileSync(file, JSON.stringify(raw));
  log(`${config.name}: ${trials} trials; local run on 1 worker thread`);
  let dir = mkdtempSync(join(tmpdir(), 'widen-queue-bench-'));
  let t0 = performance.now();
  await runExperiment(config, { out: dir, workers: 1 });
  results.push(summarise('local, 1 worker thread', 1, (performance.now() - t0) / 1000, dir));
  const record = openStore(dir).trials()[0];
  for (const [i, processes] of [1, 2].entries()) {
    const url = redis.url(i);
    log(`queue with ${processes} worker process(es)`);
    const workers = await Promise.all(Array.from({ length: processes }, () => startWorker(url)));
    dir = mkdtempSync(join(tmpdir(), 'widen-queue-bench-'));
    t0 = performance.now();
    await runExperiment(config, { out: dir, queue: { url } });
    results.push(summarise(`queue, ${processes} worker process(es)`, processes, (performance.now() - t0) / 1000, dir));
    await Promise.all(workers.map(stopWorker));
  }
  log('the queue alone: 200 jobs without training');
  const perJob = await queueOnly(redis.url(5), record);
  const lines = [
    `${config.name}: ${trials} trials, ${buildId().engineHash === 'none' ? 'ref' : 'wasm'} kernels`,
    "| run | wall s | trials' own s | overhead per job |",
    '| --- | ---: | ---: | ---: |',
    ...results.map((r) => `| ${r.how} | ${r.seconds.toFixed(1)} | ${r.trialSeconds.toFixed(1)} | ${r.overheadMsPerJob.toFixed(0)} ms |`),
    `queue alone (200 jobs, payload validation, record in Redis and back): ${perJob.toFixed(1)} ms per job = ${((perJob / 2000) * 100).toFixed(2)}% of a 2-second trial (target < 5%: ${perJob < 100 ? 'met' : 'MISSED'})`,
  ];
  console.log(lines.join('\n'));
  if (json) console.log(JSON.stringify({ experiment: config.name, trials, runs: results, queueOnlyMsPerJob: perJob }));
} finally {
  await redis.stop();
}
