import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildReport } from '../../experiments/report/build-report.js';
import { renderHtml } from '../../experiments/report/render-html.js';
import type { Report } from '../../experiments/report/report-types.js';
import { type BOOLEAN_STUDY, booleanStudyPlan, booleanStudyTitle } from '../../experiments/studies/boolean.js';
import { resolveExperimentConfig } from '../../experiments/trials/experiment-config.js';
import { writeFileAtomic } from '../files.js';
import { packageRoot } from '../package-info.js';
import { renderFigureSvg } from '../report/node-document.js';
import { readRecords } from '../report/write-report.js';
import { type RunExperimentOptions, type RunSummary, runExperiment } from '../run/run-experiment.js';

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

/** A committed experiment config of the Boolean study, as written under experiments/boolean/. */
function studyConfig(name: (typeof BOOLEAN_STUDY)[number]): Record<string, unknown> {
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
  const plan = booleanStudyPlan({ headline: studyConfig('headline'), sweeps: studyConfig('sweeps') }, options.quick === true);
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
    title: booleanStudyTitle(options.quick === true),
    generatedAt: new Date().toISOString(),
  });
  const reportPath = join(out, 'report.html');
  writeFileAtomic(reportPath, new TextEncoder().encode(renderHtml(report, renderFigureSvg)));
  return { report, reportPath, runs, seconds: (performance.now() - t0) / 1000 };
}
