import { Queue } from 'bullmq';
import { WidenError } from '../../engine/index.js';
import type { TrialPool } from '../../experiments/run/trial-pool.js';
import type { ExperimentConfig } from '../../experiments/trials/experiment-config.js';
import type { TrialRecord } from '../../experiments/trials/trial-record.js';
import { type BuildId, buildId } from './build-id.js';
import { connectRedis, QUEUE_NAME } from './redis-connection.js';
import { type TrialJobData, trialJobData } from './trial-job.js';

/** Options of createQueuePool. */
export interface QueuePoolOptions {
  /** redis:// or rediss:// URL of the queue (see redisOptions). */
  url: string;
  /** The resolved experiment config: every job carries it, and workers re-derive their trial from it. */
  experiment: ExperimentConfig;
  /** Runs of a trial that throws before it is reported as failed (default 3). */
  attempts?: number;
  /** How often the queue is read for finished jobs and counts, in ms (default 500). */
  pollMs?: number;
  /** The code the jobs must run on (default: this process's buildId()). */
  build?: BuildId;
  /** Called after each read of the queue with the sweep's state over all machines. */
  onStatus?: (status: QueueProgress) => void;
}

/** The state of a sweep over all machines, as the coordinator sees it. */
export interface QueueProgress {
  /** Jobs waiting for a worker (including retries). */
  waiting: number;
  /** Jobs a worker is running now. */
  running: number;
  /** Per worker (host:pid): trials it is running and trials of this run it finished. */
  workers: Record<string, { running: number; done: number }>;
}

/** Default runs of a throwing trial. */
const DEFAULT_ATTEMPTS = 3;

interface Waiter {
  resolve: (record: TrialRecord) => void;
  reject: (err: Error) => void;
}

/**
 * A TrialPool whose trials run on `widen worker` processes anywhere: run(task) adds a BullMQ job
 * whose id is the trial id (adding an existing id adds nothing) and resolves with the record a
 * worker returned. Results stay in Redis until delivered and stored: a delivered job is removed at
 * the next read of the queue, after runTrials stored its record, so a coordinator killed at any
 * point finds the finished jobs on its next run. A job found failed (its attempts used up) is
 * tried afresh, like a local rerun. Jobs lost with Redis's memory are added again when the
 * connection comes back. Example: `runTrials(trials, { store, pool: () => createQueuePool({ url, experiment }), ... })`.
 */
export function createQueuePool(options: QueuePoolOptions): TrialPool {
  const build = options.build ?? buildId();
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const connection = connectRedis(options.url);
  const queue = new Queue<TrialJobData, TrialRecord>(QUEUE_NAME, { connection });
  queue.on('error', () => {}); // a lost connection: the commands wait for it to come back
  const pending = new Map<string, Waiter>();
  /** Trials whose record was handed to the runner: removed from Redis at the next read. */
  const delivered: string[] = [];
  const done = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let reading: Promise<void> | undefined;
  let ready = false;
  connection.on('ready', () => {
    // a reconnect: Redis may have restarted empty, so add every awaited job again (a no-op if it is there)
    if (ready) for (const id of pending.keys()) enqueue(id).catch(() => {});
    ready = true;
  });

  const sameBuild = (data: TrialJobData): boolean => data.version === build.version && data.engineHash === build.engineHash;

  async function enqueue(id: string): Promise<void> {
    const existing = await queue.getJob(id);
    if (existing !== undefined && (await existing.isFailed())) await existing.remove();
    await queue.add('trial', trialJobData(options.experiment, id, build), {
      jobId: id,
      attempts,
      removeOnComplete: false,
      removeOnFail: false,
    });
  }

  async function read(): Promise<void> {
    for (const id of delivered.splice(0)) await queue.remove(id);
    if (pending.size === 0) return;
    const completed = await queue.getJobs(['completed'], 0, -1);
    const failed = await queue.getJobs(['failed'], 0, -1);
    const active = options.onStatus === undefined ? [] : await queue.getJobs(['active'], 0, -1);
    const settle: Array<() => void> = [];
    for (const job of completed) {
      const waiter = job.id === undefined ? undefined : pending.get(job.id);
      if (waiter === undefined || job.id === undefined) continue;
      if (!sameBuild(job.data)) {
        // finished by another build (left from an older sweep): run it again on this one
        await job.remove();
        await enqueue(job.id);
        continue;
      }
      pending.delete(job.id);
      delivered.push(job.id);
      const worker = job.processedBy ?? 'unknown';
      done.set(worker, (done.get(worker) ?? 0) + 1);
      settle.push(() => waiter.resolve(job.returnvalue));
    }
    for (const job of failed) {
      const waiter = job.id === undefined ? undefined : pending.get(job.id);
      if (waiter === undefined || job.id === undefined) continue;
      pending.delete(job.id);
      settle.push(() => waiter.reject(new WidenError('data', `${job.failedReason} (after ${job.attemptsMade} attempt(s))`)));
    }
    if (options.onStatus !== undefined) {
      const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed');
      const workers: QueueProgress['workers'] = {};
      for (const [name, n] of done) workers[name] = { running: 0, done: n };
      for (const job of active) {
        const name = job.processedBy ?? 'unknown';
        workers[name] ??= { running: 0, done: 0 };
        workers[name].running++;
      }
      options.onStatus({ waiting: counts.waiting + counts.prioritized + counts.delayed, running: active.length, workers });
    }
    // after the status, so that the runner's progress line for each trial shows the counts with it
    for (const s of settle) s();
  }

  const tick = (): void => {
    // one read at a time; a read that fails (Redis away) is simply retried at the next tick
    reading ??= read()
      .catch(() => {})
      .finally(() => {
        reading = undefined;
      });
  };

  return {
    run: (task) =>
      new Promise<TrialRecord>((resolve, reject) => {
        if (task.experiment !== options.experiment.name) {
          reject(new WidenError('usage', `this queue pool runs experiment '${options.experiment.name}', not '${task.experiment}'`));
          return;
        }
        pending.set(task.id, { resolve, reject });
        enqueue(task.id).catch((err: Error) => {
          pending.delete(task.id);
          reject(err);
        });
        timer ??= setInterval(tick, options.pollMs ?? 500);
      }),
    destroy: async () => {
      clearInterval(timer);
      await reading;
      // the runner stored every delivered record before it destroys the pool
      for (const id of delivered.splice(0)) await queue.remove(id).catch(() => {});
      await queue.close();
      await connection.quit().catch(() => {});
    },
  };
}
