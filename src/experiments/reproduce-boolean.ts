import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../engine/index.js';
import { writeFileAtomic } from '../nn/index.js';
import { resolveExperimentConfig } from './experiment-config.js';
import { buildReport } from './report/build-report.js';
import { renderFigureSvg } from './report/node-document.js';
import { renderHtml } from './report/render-html.js';
import type { Report } from './report/report-types.js';
import { readRecords } from './report/write-report.js';
import { type RunExperimentOptions, type RunSummary, runExperiment } from './run-experiment.js';

/** Options of reproduceBoolean. */
export interface ReproduceBooleanOptions extends Omit<RunExperimentOptions, 'out'> {
  /** Folder for the run folders and report.html (default `runs/reproduce-boolean[-quick]`). */
  out?: string;
  /** Headline cell only, 5 seeds, 300 + 300 epochs instead of the spec's 1000 + 1000. */
  quick?: boolean;
  /** Called when one experiment of the study starts. */
  onExperiment?: (name: string) => void;
}

/** What reproduceBoolean returns: the report data, where it was written, and each experiment's summary. */
export interface ReproduceBooleanResult {
  report: Report;
  reportPath: string;
  runs: RunSummary[];
  seconds: number;
}

/** The committed experiment configs of the Boolean study (spec section 5), under experiments/boolean/. */
function studyConfig(name: 'headline' | 'sweeps'): Record<string, unknown> {
  return parse(readFileSync(join(packageRoot(), 'experiments', 'boolean', `${name}.yaml`), 'utf8'));
}

/**
 * Runs the symbolic experiments of "Expand Neurons, Not Parameters" end to end: the headline cell
 * (10 seeds of dense, sparse-init, FPE random and FPE clause) and the three sweeps, then writes one
 * HTML report over both. Resumable: rerunning with the same `out` skips finished trials.
 * Example: `await reproduceBoolean({ quick: true, out: 'runs/quick' })`.
 */
export async function reproduceBoolean(options: ReproduceBooleanOptions = {}): Promise<ReproduceBooleanResult> {
  const t0 = performance.now();
  const out = options.out ?? join('runs', options.quick ? 'reproduce-boolean-quick' : 'reproduce-boolean');
  const headline = studyConfig('headline');
  const plan = options.quick
    ? [
        {
          ...headline,
          name: 'headline-quick',
          seeds: 5,
          training: { ...(headline.training as object), warmupEpochs: 300, afterSplitEpochs: 300 },
        },
      ]
    : [headline, studyConfig('sweeps')];
  const runs: RunSummary[] = [];
  const dirs: string[] = [];
  for (const raw of plan) {
    const config = resolveExperimentConfig(raw);
    const dir = join(out, config.name);
    options.onExperiment?.(config.name);
    runs.push(await runExperiment(config, { ...options, out: dir }));
    dirs.push(dir);
  }
  const report = buildReport(readRecords(dirs), {
    title: options.quick ? 'Boolean study (quick)' : 'Boolean study',
    generatedAt: new Date().toISOString(),
  });
  const reportPath = join(out, 'report.html');
  writeFileAtomic(reportPath, new TextEncoder().encode(renderHtml(report, renderFigureSvg)));
  return { report, reportPath, runs, seconds: (performance.now() - t0) / 1000 };
}
