import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildReport } from '../../experiments/report/build-report.js';
import { renderHtml } from '../../experiments/report/render-html.js';
import type { RealDataCell, Report } from '../../experiments/report/report-types.js';
import { REALDATA_STUDY, type RealDataStudyName, realDataStudyConfig, realDataStudyTitle } from '../../experiments/studies/realdata.js';
import { resolveExperimentConfig } from '../../experiments/trials/experiment-config.js';
import { writeFileAtomic } from '../files.js';
import { packageRoot } from '../package-info.js';
import { renderFigureSvg } from '../report/node-document.js';
import { readRecords } from '../report/write-report.js';
import { checkData } from '../run/check-data.js';
import { checkWorkers, type RunSummary, runExperiment } from '../run/run-experiment.js';
import type { ReproduceBooleanOptions } from './reproduce-boolean.js';

/** Options of reproduceRealData: those of reproduceBoolean (out default `runs/reproduce-realdata[-quick]`). */
export type ReproduceRealDataOptions = ReproduceBooleanOptions;

/** What reproduceRealData returns: the report data, its cells, where it was written, and each experiment's summary. */
export interface ReproduceRealDataResult {
  report: Report;
  /** Every (dataset, hidden layers, h, α, method) cell of the study. */
  cells: RealDataCell[];
  reportPath: string;
  runs: RunSummary[];
  seconds: number;
}

/** A committed experiment config of the real-data study, as written under experiments/realdata/. */
function studyConfig(name: RealDataStudyName): Record<string, unknown> {
  return parse(readFileSync(join(packageRoot(), 'experiments', 'realdata', `${name}.yaml`), 'utf8'));
}

/**
 * Runs the real-data study of issue 4 end to end: (a) one hidden layer on Fashion-MNIST and (b)
 * 4 hidden layers on Fashion-MNIST and MNIST, then writes one HTML report over them. Every
 * dataset is located before the first trial, so a missing one fails at once and says how to get
 * it. Resumable: rerunning with the same `out` skips finished trials.
 * Example: `await reproduceRealData({ quick: true, out: 'runs/realdata-quick' })`.
 */
export async function reproduceRealData(options: ReproduceRealDataOptions = {}): Promise<ReproduceRealDataResult> {
  const t0 = performance.now();
  const quick = options.quick === true;
  const out = options.out ?? join('runs', quick ? 'reproduce-realdata-quick' : 'reproduce-realdata');
  // options first, then the data: a bad option is refused the same way on a machine without the sets
  checkWorkers(options.workers);
  const configs = REALDATA_STUDY.map((name) => resolveExperimentConfig(realDataStudyConfig(name, studyConfig(name), quick)));
  for (const config of configs) await checkData(config);
  const runs: RunSummary[] = [];
  const dirs: string[] = [];
  for (const config of configs) {
    const dir = join(out, config.name);
    options.onExperiment?.(config.name);
    runs.push(await runExperiment(config, { ...options, out: dir }));
    dirs.push(dir);
  }
  const report = buildReport(readRecords(dirs), {
    title: realDataStudyTitle(quick),
    generatedAt: new Date().toISOString(),
  });
  const reportPath = join(out, 'report.html');
  writeFileAtomic(reportPath, new TextEncoder().encode(renderHtml(report, renderFigureSvg)));
  const cells = report.realData?.available ? report.realData.data.groups.flatMap((g) => g.cells) : [];
  return { report, cells, reportPath, runs, seconds: (performance.now() - t0) / 1000 };
}
