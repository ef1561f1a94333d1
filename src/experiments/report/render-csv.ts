import type { Report } from './report-types.js';

/** Columns of renderCsv, in order. */
export const CSV_COLUMNS = ['mode', 'n', 'm', 'k', 'h', 'alpha', 'method', 'seeds', 'mean', 'lo', 'hi', 'sd'] as const;

// RFC 4180: quote a field holding a comma, quote or line break, doubling inner quotes.
function field(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV row per cell × method (accuracy mean, its bootstrap 95% interval lo/hi and sd as fractions; empty when undefined). */
export function renderCsv(report: Report): string {
  const rows = report.cells.map((c) => CSV_COLUMNS.map((k) => field(c[k])).join(','));
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
