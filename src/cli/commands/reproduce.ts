import { type BackendName, type BeyondCell, type RealDataCell, type TrialConfigSummary, WidenError } from '../../index.js';
import { type ReproduceBooleanOptions, type RunSummary, reproduceBeyond, reproduceBoolean, reproduceRealData } from '../../node/index.js';
import { createProgress, type Progress } from '../progress.js';
import type { OptionValue } from '../read-options.js';
import { sparseExpansionStudy } from './reproduce-sparse-expansion.js';
import { pct, printJson } from './shared.js';

const STUDIES = ['boolean', 'realdata', 'sparse-expansion', 'beyond'];

/** `widen reproduce STUDY`: runs a study's experiments, writes its report, prints its headline table. */
export async function reproduce(args: string[], options: Map<string, OptionValue>): Promise<void> {
  const [study] = args;
  if (!STUDIES.includes(study)) {
    throw new WidenError('usage', `unknown study '${study}'; studies: ${STUDIES.join(', ')}`, { got: study, allowed: STUDIES.join(', ') });
  }
  const json = options.get('json') === true;
  if (study === 'sparse-expansion') {
    const summary = await sparseExpansionStudy(options, json);
    if (json) printJson(summary);
    return;
  }
  let progress: Progress | undefined;
  let current = '';
  const common: ReproduceBooleanOptions = {
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
  };
  const result =
    study === 'realdata' ? await realData(common, json) : study === 'beyond' ? await beyond(common, json) : await boolean(common, json);
  progress?.stop();
  const failed = result.runs.flatMap((r) => r.failed);
  if (failed.length > 0)
    throw new WidenError('data', `${failed.length} trial(s) failed and were not stored; rerun the same command to retry them`);
  if (json) printJson(result.json);
}

// a percentile-bootstrap 95% interval (accuracies: inside [0, 1]); nothing with one seed
const interval = (lo: number | null, hi: number | null): string => (lo === null || hi === null ? '' : ` [${pct(lo)}, ${pct(hi)}]`);

async function boolean(common: ReproduceBooleanOptions, json: boolean): Promise<{ runs: RunSummary[]; json: unknown }> {
  const result = await reproduceBoolean(common);
  const cells = result.report.cells.map(({ mode, n, m, k, h, alpha, method, seeds, mean, lo, hi }) => ({
    mode,
    n,
    m,
    k,
    h,
    alpha,
    method,
    seeds,
    mean,
    lo,
    hi,
  }));
  if (!json) {
    const head = result.report.headline;
    if (head.available) {
      console.log(
        `headline cell ${Object.entries(head.data.cell)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}:`,
      );
      for (const m of head.data.methods) console.log(`  ${m.method.padEnd(12)} ${pct(m.mean)}${interval(m.lo, m.hi)} (${m.n} seeds)`);
    }
    console.log(`report written to ${result.reportPath} (${result.seconds.toFixed(0)} s)`);
  }
  return { runs: result.runs, json: { report: result.reportPath, seconds: result.seconds, cells } };
}

async function realData(common: ReproduceBooleanOptions, json: boolean): Promise<{ runs: RunSummary[]; json: unknown }> {
  const result = await reproduceRealData(common);
  const cells = result.cells.map((c: RealDataCell) => ({
    dataset: c.dataset,
    hidden_layers: c.hiddenLayers,
    h: c.h,
    alpha: c.alpha,
    method: c.method,
    seeds: c.seeds,
    mean: c.mean,
    lo: c.lo,
    hi: c.hi,
    nnz: c.nnz,
  }));
  if (!json) {
    console.log('dataset        layers     h  α  method        accuracy [95% CI]            nnz');
    for (const c of result.cells) {
      const acc = `${pct(c.mean)}${interval(c.lo, c.hi)}`;
      console.log(
        `${c.dataset.padEnd(14)} ${String(c.hiddenLayers).padStart(6)} ${String(c.h).padStart(5)} ${String(c.alpha).padStart(2)}  ${c.method.padEnd(12)}  ${acc.padEnd(26)} ${String(c.nnz).padStart(7)}`,
      );
    }
    console.log(`report written to ${result.reportPath} (${result.seconds.toFixed(0)} s)`);
  }
  return { runs: result.runs, json: { report: result.reportPath, seconds: result.seconds, cells } };
}

// the issue's cell record: task, m, h, alpha, method, seeds, mean, ci95 [lo, hi] and the paired differences
const pairedJson = (p: BeyondCell['paired_vs_fpe_random']) =>
  p === null ? null : { mean: p.mean, ci95: p.lo === null ? null : [p.lo, p.hi], seeds: p.seeds };

async function beyond(common: ReproduceBooleanOptions, json: boolean): Promise<{ runs: RunSummary[]; json: unknown }> {
  const result = await reproduceBeyond(common);
  const cells = result.cells.map((c) => ({
    task: c.task,
    m: c.m,
    h: c.h,
    alpha: c.alpha,
    method: c.method,
    seeds: c.seeds,
    mean: c.mean,
    ci95: c.ci95,
    paired_vs_fpe_random: pairedJson(c.paired_vs_fpe_random),
    paired_vs_sparse_init: pairedJson(c.paired_vs_sparse_init),
  }));
  if (!json) {
    console.log('task             m    h  α  method                    accuracy [95% CI]        vs FPE random (paired)');
    for (const c of result.cells) {
      const acc = `${pct(c.mean)}${c.ci95 ? interval(c.ci95[0], c.ci95[1]) : ''}`;
      const p = c.paired_vs_fpe_random;
      const vs = p === null ? '' : `${(p.mean * 100).toFixed(1)} pp${interval(p.lo, p.hi).replace(/%/g, '')}`;
      console.log(
        `${c.task.padEnd(14)} ${String(c.m).padStart(3)} ${String(c.h).padStart(4)} ${String(c.alpha).padStart(2)}  ${c.method.padEnd(24)}  ${acc.padEnd(24)} ${vs}`,
      );
    }
    console.log(`report written to ${result.reportPath} (${result.seconds.toFixed(0)} s)`);
  }
  return { runs: result.runs, json: { report: result.reportPath, seconds: result.seconds, cells } };
}

function label(c: TrialConfigSummary & Record<string, unknown>): string {
  return c.task === 'dataset'
    ? `${c.method} ${String(c.datasetName)} depth=${String(c.depth)} h=${c.h} alpha=${c.alpha} seed ${c.seed}`
    : `${c.method} m=${c.m} h=${c.h} alpha=${c.alpha} seed ${c.seed}`;
}
