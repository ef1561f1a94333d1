import { type BackendName, reproduceBoolean, type TrialConfigSummary, WidenError } from '../../index.js';
import { createProgress, type Progress } from '../progress.js';
import type { OptionValue } from '../read-options.js';
import { pct, printJson } from './shared.js';

const STUDIES = ['boolean'];

/** `widen reproduce STUDY`: runs a study's experiments, writes its report, prints its headline table. */
export async function reproduce(args: string[], options: Map<string, OptionValue>): Promise<void> {
  const [study] = args;
  if (!STUDIES.includes(study)) {
    throw new WidenError('usage', `unknown study '${study}'; studies: ${STUDIES.join(', ')}`, { got: study, allowed: STUDIES.join(', ') });
  }
  const json = options.get('json') === true;
  let progress: Progress | undefined;
  let current = '';
  const result = await reproduceBoolean({
    quick: options.get('quick') === true,
    out: options.get('out') as string | undefined,
    workers: options.get('workers') as number | undefined,
    backend: options.get('backend') as BackendName | undefined,
    onExperiment: (name) => {
      progress?.stop();
      progress = undefined;
      current = name;
    },
    onProgress: (p) => {
      progress ??= createProgress(current, p.total - p.skipped, json);
      const r = p.record;
      progress.update(p.done - p.skipped + p.failed, r ? `${label(r.config)}: acc ${pct(r.metrics.accuracy)}` : undefined);
    },
  });
  progress?.stop();
  const failed = result.runs.flatMap((r) => r.failed);
  const cells = result.report.cells.map(({ mode, n, m, k, h, alpha, method, seeds, mean, ci95 }) => ({
    mode,
    n,
    m,
    k,
    h,
    alpha,
    method,
    seeds,
    mean,
    ci95,
  }));
  if (!json) {
    const head = result.report.headline;
    if (head.available) {
      console.log(
        `headline cell ${Object.entries(head.data.cell)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}:`,
      );
      for (const m of head.data.methods) console.log(`  ${m.method.padEnd(12)} ${pct(m.mean)} ± ${pct(m.ci95 ?? 0)} (${m.n} seeds)`);
    }
    console.log(`report written to ${result.reportPath} (${result.seconds.toFixed(0)} s)`);
  }
  if (failed.length > 0)
    throw new WidenError('data', `${failed.length} trial(s) failed and were not stored; rerun the same command to retry them`);
  if (json) printJson({ report: result.reportPath, seconds: result.seconds, cells });
}

function label(c: TrialConfigSummary): string {
  return `${c.method} m=${c.m} h=${c.h} alpha=${c.alpha} seed ${c.seed}`;
}
