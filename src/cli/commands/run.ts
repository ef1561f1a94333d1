import { join } from 'node:path';
import { type BackendName, type TrialConfigSummary, WidenError } from '../../index.js';
import { loadExperimentConfig, type QueueProgress, redactRedisUrl, runExperiment, STORE_FILE } from '../../node/index.js';
import { createProgress, type Progress } from '../progress.js';
import type { OptionValue } from '../read-options.js';
import { pct, printJson } from './shared.js';

/** `widen run CONFIG`: every trial of an experiment into a run folder, resuming what a previous run left. */
export async function run(args: string[], options: Map<string, OptionValue>): Promise<void> {
  const json = options.get('json') === true;
  const config = loadExperimentConfig(args[0]);
  const out = (options.get('out') as string | undefined) ?? join('runs', config.name);
  const url = options.get('queue') as string | undefined;
  for (const flag of ['workers', 'backend']) {
    if (url !== undefined && options.has(flag)) {
      throw new WidenError(
        'usage',
        `cannot combine --${flag} with --queue: the workers run the trials; pass --${flag === 'workers' ? 'concurrency' : 'backend'} to each \`widen worker\``,
      );
    }
  }
  const attempts = options.get('attempts') as number | undefined;
  if (attempts !== undefined && attempts < 1) throw new WidenError('usage', `--attempts must be >= 1, got ${attempts}; pass --attempts 3`);
  if (url === undefined && attempts !== undefined)
    throw new WidenError('usage', '--attempts applies to --queue runs only; add --queue URL');
  let progress: Progress | undefined;
  let machines = '';
  const summary = await runExperiment(config, {
    out,
    workers: options.get('workers') as number | undefined,
    backend: options.get('backend') as BackendName | undefined,
    queue:
      url === undefined
        ? undefined
        : {
            url,
            attempts,
            onStatus: (q) => {
              machines = queueLine(q);
              progress?.note(machines);
            },
          },
    onProgress: (p) => {
      // the bar counts the trials this call runs, so that its ETA ignores the stored ones
      progress ??= createProgress('trials', p.total - p.skipped, json);
      const r = p.record;
      const status = r
        ? `${label(r.config)}: acc ${pct(r.metrics.accuracy)}`
        : p.error
          ? `${label(p.error.config)} failed: ${p.error.message}`
          : `${p.skipped} of ${p.total} already in ${out}${url === undefined ? '' : `; queue ${redactRedisUrl(url)}`}`;
      progress.update(p.done - p.skipped + p.failed, machines === '' ? status : `${status} | ${machines}`);
    },
  });
  progress?.stop();
  const store = join(out, STORE_FILE);
  const { experiment, total, skipped, ran, failed, seconds } = summary;
  if (json)
    printJson({
      run_dir: out,
      store,
      experiment,
      total,
      skipped,
      ran,
      failed: failed.map((f) => ({ id: f.id, message: f.message })),
      seconds,
    });
  else {
    console.log(
      `${experiment}: ran ${ran} of ${total} trials (${skipped} already stored, ${failed.length} failed) in ${seconds.toFixed(1)} s; results in ${store}`,
    );
  }
  if (failed.length > 0) {
    const list = failed.map((f) => `${label(f.config)} [${f.id}]: ${f.message}`).join('; ');
    throw new WidenError('data', `${failed.length} trial(s) failed and were not stored (${list}); rerun the same command to retry them`);
  }
}

/** The queue's state over all machines: `running 3, waiting 12, vm:812 2 running 5 done, ...`. */
function queueLine(q: QueueProgress): string {
  const workers = Object.entries(q.workers)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, w]) => `${name} ${w.running} running ${w.done} done`);
  return [`running ${q.running}`, `waiting ${q.waiting}`, ...workers].join(', ');
}

/** A trial as the progress lines name it. */
function label(c: TrialConfigSummary): string {
  return `${c.method} m=${c.m} h=${c.h} alpha=${c.alpha} seed ${c.seed}`;
}
