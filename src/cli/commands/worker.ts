import { availableParallelism } from 'node:os';
import { type BackendName, WidenError } from '../../index.js';
import { buildId, redactRedisUrl, startQueueWorker } from '../../node/index.js';
import type { OptionValue } from '../read-options.js';

/** `widen worker URL`: runs the queue's trials on local worker threads until SIGINT or SIGTERM. */
export async function worker(args: string[], options: Map<string, OptionValue>): Promise<void> {
  const url = args[0];
  const concurrency = (options.get('concurrency') as number | undefined) ?? availableParallelism();
  const lockDuration = options.get('lock-duration') as number | undefined;
  if (concurrency < 1) throw new WidenError('usage', `--concurrency must be >= 1, got ${concurrency}; pass --concurrency 2`);
  if (lockDuration !== undefined && lockDuration < 500) {
    throw new WidenError('usage', `--lock-duration must be >= 500 (ms), got ${lockDuration}; pass --lock-duration 30000`);
  }
  const build = buildId();
  const log = (line: string): void => {
    process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  };
  const w = startQueueWorker(url, {
    concurrency,
    backend: options.get('backend') as BackendName | undefined,
    lockDuration,
    build,
    onEvent: (e) => {
      if (e.kind === 'error') log(`queue error: ${e.message}`);
      else log(`${e.kind} ${e.id}${e.message === undefined ? '' : `: ${e.message}`}`);
    },
  });
  log(
    `worker ${w.name} (widen ${build.version}, engine ${build.engineHash.slice(0, 12)}) takes ${concurrency} trial(s) at a time from ${redactRedisUrl(url)}`,
  );
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  log(`${signal}: finishing the running trials, then stopping`);
  await w.close();
}
