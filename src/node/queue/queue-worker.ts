import { hostname } from 'node:os';
import { UnrecoverableError, Worker } from 'bullmq';
import type { BackendName } from '../../engine/index.js';
import type { TrialRecord } from '../../experiments/trials/trial-record.js';
import { createTrialPool } from '../run/local-pool.js';
import { type BuildId, buildId } from './build-id.js';
import { QUEUE_NAME, redisOptions } from './redis-connection.js';
import { type TrialJobData, taskOfJob } from './trial-job.js';

/** Options of startQueueWorker. */
export interface QueueWorkerOptions {
  /** Trials run at once, one worker thread each (default 1). */
  concurrency?: number;
  /** Kernel table of the threads' engines. */
  backend?: BackendName;
  /**
   * How long a job's lock lasts in ms (default 30000); the worker renews it every half of that
   * while the trial runs. A job whose lock lapsed (its worker died) is run by another worker after
   * at most one more such interval.
   */
  lockDuration?: number;
  /** This worker's name in the coordinator's progress (default host:pid). */
  name?: string;
  /** The code this worker runs (default: this process's buildId()); jobs of another build are refused. */
  build?: BuildId;
  /** Called as jobs start, finish, fail or are refused, and on connection errors. */
  onEvent?: (event: QueueWorkerEvent) => void;
}

/** Something that happened on a queue worker. */
export interface QueueWorkerEvent {
  kind: 'started' | 'finished' | 'failed' | 'refused' | 'error';
  /** The trial (job) id; absent for a connection error. */
  id?: string;
  message?: string;
}

/** A running queue worker. */
export interface QueueWorker {
  name: string;
  /** Stops taking jobs, waits for the running trials to finish, then stops the threads. */
  close(): Promise<void>;
}

/** A stalled job (its worker died) is run again up to this many times before it counts as failed. */
const MAX_STALLED = 3;

/**
 * Pulls trial jobs from the queue at `url` and runs them on `concurrency` local worker threads.
 * The trials run off this event loop, so BullMQ keeps renewing each job's lock while the threads
 * compute; a job made by another widen version or engine build, or whose data fails the schemas,
 * is refused (failed without retries, with the reason). Example:
 * `const w = startQueueWorker('redis://:secret@127.0.0.1:6379', { concurrency: 2 }); ...; await w.close()`.
 */
export function startQueueWorker(url: string, options: QueueWorkerOptions = {}): QueueWorker {
  const build = options.build ?? buildId();
  const concurrency = options.concurrency ?? 1;
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const lockDuration = options.lockDuration ?? 30_000;
  const emit = options.onEvent ?? (() => {});
  const connection = redisOptions(url); // a bad URL throws before any thread starts
  const pool = createTrialPool(concurrency, { backend: options.backend });
  const worker = new Worker<TrialJobData, TrialRecord>(
    QUEUE_NAME,
    async (job) => {
      let task: ReturnType<typeof taskOfJob>;
      try {
        task = taskOfJob(job.data, build);
      } catch (err) {
        const message = (err as Error).message;
        emit({ kind: 'refused', id: job.id, message });
        throw new UnrecoverableError(message);
      }
      emit({ kind: 'started', id: job.id });
      return pool.run(task);
    },
    {
      connection,
      concurrency,
      name,
      lockDuration,
      stalledInterval: lockDuration,
      maxStalledCount: MAX_STALLED,
    },
  );
  worker.on('completed', (job) => emit({ kind: 'finished', id: job.id }));
  worker.on('failed', (job, err) => {
    if (!(err instanceof UnrecoverableError)) emit({ kind: 'failed', id: job?.id, message: err.message });
  });
  worker.on('error', (err) => emit({ kind: 'error', message: err.message }));
  return {
    name,
    close: async () => {
      await worker.close();
      await pool.destroy();
    },
  };
}
