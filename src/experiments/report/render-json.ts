import type { Report } from './report-types.js';

/** The report data as pretty-printed JSON (accuracies as fractions in [0, 1]; absent sections carry their note). */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
