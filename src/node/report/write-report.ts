import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../engine/index.js';
import { buildReport, type ReportOptions } from '../../experiments/report/build-report.js';
import { REPORT_FORMATS, type ReportFormat } from '../../experiments/report/report-formats.js';
import type { StoredRecord } from '../../experiments/run/trial-store.js';
import { studyPage } from '../../experiments/studies/sparse-expansion/study-page.js';
import { type StudyRecord, storedStudySettings, studyResults } from '../../experiments/studies/sparse-expansion/study-records.js';
import type { StudyResults } from '../../experiments/studies/sparse-expansion/study-results.js';
import { studyJson } from '../../experiments/studies/sparse-expansion/summarise.js';
import type { TrialRecord } from '../../experiments/trials/trial-record.js';
import { writeFileAtomic } from '../files.js';
import { openStore, STORE_FILE } from '../run/sqlite-store.js';
import { renderFigureSvg } from './node-document.js';

/** Options of writeReport: the format, the output path (default `<runDir>/report.<format>`) and buildReport's options. */
export interface WriteReportOptions extends ReportOptions {
  format: ReportFormat;
  out?: string;
}

/**
 * Reads the trials of one or more run folders, builds the report and writes it atomically (a
 * Sparse Expansion study folder gets the study's page, or its JSON summary) (readers see
 * the old file or the whole new one) to `out` (default: in the first folder); returns the path written. `generatedAt` defaults to now.
 *
 * @example
 * writeReport('runs/headline', { format: 'html' }); // → 'runs/headline/report.html'
 */
export function writeReport(runDirs: string | readonly string[], options: WriteReportOptions): string {
  const render = REPORT_FORMATS[options.format];
  if (!render) {
    throw new ConfigError(
      `unknown report format ${JSON.stringify(options.format)}; pass one of ${Object.keys(REPORT_FORMATS).join(', ')}`,
      {
        where: 'format',
        got: options.format,
        allowed: Object.keys(REPORT_FORMATS).join(', '),
      },
    );
  }
  const dirs = typeof runDirs === 'string' ? [runDirs] : runDirs;
  const records = readStored(dirs);
  const generatedAt = options.generatedAt ?? new Date().toISOString();
  const settings = storedStudySettings(records);
  const out = options.out ?? join(dirs[0], `report.${options.format}`);
  const text =
    settings === undefined
      ? render(buildReport(records as TrialRecord[], { ...options, generatedAt }), renderFigureSvg)
      : studyReport(studyResults(records as StudyRecord[], settings), options.format, dirs[0], generatedAt);
  writeFileAtomic(out, new TextEncoder().encode(text));
  return out;
}

/** The report of a Sparse Expansion study folder: its HTML page, or its JSON summary. */
function studyReport(results: StudyResults, format: ReportFormat, dir: string, generatedAt: string): string {
  if (format === 'html') return studyPage(results, false, generatedAt, renderFigureSvg);
  if (format === 'json') return `${JSON.stringify(studyJson(results), null, 2)}\n`;
  throw new ConfigError(`${dir} holds a Sparse Expansion study, reported as html or json only, not ${format}; pass --format html or json`, {
    where: 'format',
    got: format,
    allowed: 'html, json',
  });
}

/** The trials stored in each run folder, each trial once (folders of one study may share trials). */
export function readRecords(runDirs: readonly string[]): TrialRecord[] {
  return readStored(runDirs) as TrialRecord[];
}

/** The records stored in each folder (trials, or a Sparse Expansion study's steps), each once. */
function readStored(runDirs: readonly string[]): StoredRecord[] {
  const byId = new Map<string, StoredRecord>();
  for (const runDir of runDirs) {
    // openStore would create an empty store; a report of a mistyped folder should fail instead
    if (!existsSync(join(runDir, STORE_FILE))) {
      throw new ConfigError(`${runDir} holds no ${STORE_FILE}; pass the folder of a run (the one given to widen run)`, { where: runDir });
    }
    const store = openStore<StoredRecord>(runDir, { readonly: true });
    try {
      for (const r of store.trials()) if (!byId.has(r.id)) byId.set(r.id, r);
    } finally {
      store.close();
    }
  }
  return [...byId.values()];
}
