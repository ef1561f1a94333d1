import type { ReportFormat } from '../../index.js';
import { writeReport } from '../../node/index.js';
import type { OptionValue } from '../read-options.js';
import { printJson } from './shared.js';

/** `widen report RUN...`: one report over the trials of the given run folders. */
export async function report(args: string[], options: Map<string, OptionValue>): Promise<void> {
  const format = (options.get('format') as ReportFormat | undefined) ?? 'html';
  const path = writeReport(args, { format, out: options.get('out') as string | undefined });
  if (options.get('json') === true) return printJson({ report: path, format, runs: args });
  console.log(`report written to ${path}`);
}
