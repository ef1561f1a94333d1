import type { TrialRecord } from '../trials/trial-record.js';
import { gainSection, headlineSection, pairedSection, publishedSection } from './accuracy-sections.js';
import { cellLabel, compareMethods, TrialIndex } from './cells.js';
import { collisionSection, curvesSection, foldSection, wassersteinSection } from './mechanism-sections.js';
import { isDatasetRecord, realDataSection } from './realdata-sections.js';
import type { CellKey, Report } from './report-types.js';

/** The headline cell of boolean-tasks.md section 5: which-clause, n = 32, m = 16, k = 3, h = 8, α = 2. */
export const HEADLINE_CELL: Readonly<CellKey> = { mode: 'which-clause', n: 32, m: 16, k: 3, h: 8, alpha: 2 };

/** Options of buildReport; every field has a default. */
export interface ReportOptions {
  /** Report title (default: "widen report" plus the experiment names). */
  title?: string;
  /** Overrides of the headline cell's coordinates (default HEADLINE_CELL). */
  headline?: Partial<CellKey>;
  /** Stamp shown in the report; buildReport never reads the clock, so output is reproducible. */
  generatedAt?: string;
}

// When the headline cell has no trials, the plots of a single cell (headline bars, Wasserstein,
// curves) show the cell with the most methods instead (ties: the most trials, then grid order).
function focusCell(index: TrialIndex, headline: CellKey): { cell: CellKey; note?: string } {
  if (index.methodsAt(headline).size > 0) return { cell: headline };
  const score = (c: CellKey): [number, number] => {
    const methods = index.methodsAt(c);
    return [methods.size, [...methods.values()].reduce((s, rs) => s + rs.length, 0)];
  };
  const cells = index.cells();
  if (cells.length === 0) return { cell: headline };
  let best = cells[0];
  for (const c of cells.slice(1)) {
    const [m, t] = score(c);
    const [bm, bt] = score(best);
    if (m > bm || (m === bm && t > bt)) best = c;
  }
  return { cell: best, note: `The headline cell (${cellLabel(headline)}) has no trials; showing ${cellLabel(best)}.` };
}

/**
 * The report of a set of trials, as data: cells table, headline accuracies, published
 * comparison, paired clause − random difference, sweeps and mechanism plots, and the real-data
 * section. Sections without
 * the trials they need carry a note instead of data. Pure: same records, same report.
 *
 * @example
 * const report = buildReport(openStore(runDir).trials(), { generatedAt: new Date().toISOString() });
 * writeFileSync('report.html', renderHtml(report, renderFigureSvg));
 */
export function buildReport(records: readonly TrialRecord[], options: ReportOptions = {}): Report {
  // the Boolean sections read Boolean trials only; real-data trials have a section of their own
  const index = new TrialIndex(records.filter((r) => !isDatasetRecord(r)));
  const headlineCell = { ...HEADLINE_CELL, ...options.headline };
  const focus = focusCell(index, headlineCell);
  const experiments = [...new Set(records.map((r) => r.experiment))].sort();
  return {
    title: options.title ?? (experiments.length > 0 ? `widen report: ${experiments.join(', ')}` : 'widen report'),
    generatedAt: options.generatedAt ?? null,
    trials: records.length,
    experiments,
    methods: [...new Set(records.map((r) => r.config.method as string))].sort(compareMethods),
    headlineCell,
    cells: index.summaries(),
    headline: headlineSection(index, focus.cell, focus.note),
    published: publishedSection(index, headlineCell),
    paired: pairedSection(index, focus.cell),
    gain: gainSection(index),
    fold: foldSection(index),
    collisions: collisionSection(index),
    wasserstein: wassersteinSection(index, focus.cell),
    curves: curvesSection(index, focus.cell),
    realData: realDataSection(records),
  };
}
