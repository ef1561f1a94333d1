import { WidenError } from '../../index.js';
import { cleanQueue, queueStatus, redactRedisUrl, retryFailedJobs } from '../../node/index.js';
import type { OptionValue } from '../read-options.js';
import { printJson } from './shared.js';

const ACTIONS = ['status', 'retry-failed', 'clean'];

/** `widen queue status|retry-failed|clean URL`: the operator's view of a sweep's queue. */
export async function queue(args: string[], options: Map<string, OptionValue>): Promise<void> {
  const [action, url] = args;
  const json = options.get('json') === true;
  if (!ACTIONS.includes(action)) {
    throw new WidenError('usage', `unknown queue action '${action}'; pass one of: ${ACTIONS.join(', ')}`);
  }
  if (url === undefined) throw new WidenError('usage', `widen queue ${action} needs the queue's URL, e.g. redis://:password@host:6379/0`);
  const where = redactRedisUrl(url);
  if (action === 'status') {
    const s = await queueStatus(url);
    if (json) printJson(s);
    else {
      console.log(`${where}: ${s.waiting} waiting, ${s.running} running, ${s.completed} finished (not yet collected), ${s.failed} failed`);
      console.log(`workers connected: ${s.workers.length === 0 ? 'none' : s.workers.join(', ')}`);
      for (const f of s.failures) console.log(`failed ${f.id}: ${f.reason}`);
    }
  } else if (action === 'retry-failed') {
    const n = await retryFailedJobs(url);
    if (json) printJson({ retried: n });
    else console.log(`${where}: ${n} failed job(s) moved back to waiting`);
  } else {
    const n = await cleanQueue(url);
    if (json) printJson({ removed: n });
    else console.log(`${where}: removed ${n} waiting, finished and failed job(s); running jobs were left alone`);
  }
}
