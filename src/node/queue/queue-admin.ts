import { Queue } from 'bullmq';
import { connectRedis, QUEUE_NAME } from './redis-connection.js';

/** What `widen queue status` shows: job counts, connected workers and the failed jobs' reasons. */
export interface QueueSummary {
  waiting: number;
  running: number;
  /** Finished jobs whose results a coordinator has not collected yet. */
  completed: number;
  failed: number;
  /** Names (host:pid) of the workers connected now. */
  workers: string[];
  /** The failed jobs (at most 20): trial id and reason. */
  failures: Array<{ id: string; reason: string }>;
}

/** Runs `fn` on the widen queue at `url` and closes the connection. */
async function withQueue<T>(url: string, fn: (queue: Queue) => Promise<T>): Promise<T> {
  const connection = connectRedis(url);
  const queue = new Queue(QUEUE_NAME, { connection });
  try {
    return await fn(queue);
  } finally {
    await queue.close();
    await connection.quit().catch(() => {});
  }
}

/** The state of the widen queue at `url`. Example: `const s = await queueStatus('redis://127.0.0.1:6379')`. */
export function queueStatus(url: string): Promise<QueueSummary> {
  return withQueue(url, async (queue) => {
    const c = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed');
    const workers = (await queue.getWorkers()).map((w) => String(w.name ?? w.rawname ?? w.id));
    const failed = await queue.getJobs(['failed'], 0, 19);
    return {
      waiting: c.waiting + c.prioritized + c.delayed,
      running: c.active,
      completed: c.completed,
      failed: c.failed,
      workers,
      failures: failed.map((j) => ({ id: String(j.id), reason: j.failedReason })),
    };
  });
}

/** Moves every failed job of the queue at `url` back to waiting; resolves to how many. */
export function retryFailedJobs(url: string): Promise<number> {
  return withQueue(url, async (queue) => {
    const n = await queue.getFailedCount();
    await queue.retryJobs({ state: 'failed' });
    return n;
  });
}

/**
 * Empties the queue at `url` except for running jobs: waiting, failed and uncollected finished
 * jobs go (a coordinator run again enqueues and runs what its store lacks). Resolves to how many.
 */
export function cleanQueue(url: string): Promise<number> {
  return withQueue(url, async (queue) => {
    const waiting = await queue.getJobCounts('waiting', 'prioritized', 'delayed');
    await queue.drain(true);
    const completed = await queue.clean(0, 0, 'completed');
    const failed = await queue.clean(0, 0, 'failed');
    return waiting.waiting + waiting.prioritized + waiting.delayed + completed.length + failed.length;
  });
}
