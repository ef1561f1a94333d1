import type { FigureRenderer } from '../../report/figure-spec.js';
import { renderPage } from '../../report/render-html.js';
import { sparseExpansionBlocks } from '../../report/sparse-expansion-blocks.js';
import type { StudyResults } from './study-results.js';

/**
 * The Sparse Expansion study's HTML report: accuracy vs K per sparsity, WD histograms, WD
 * before/after, importance-test bars and the ablation. `draw` renders the figures (renderFigureSvg in widen/node). Example: `studyPage(results, false, new Date().toISOString(), renderFigureSvg)`.
 */
export function studyPage(results: StudyResults, quick: boolean, generatedAt: string, draw: FigureRenderer): string {
  const title = quick ? 'Sparse Expansion and Wasserstein neurons (quick)' : 'Sparse Expansion and Wasserstein neurons';
  const meta = [`${results.expansion.length} expansions`, `generated ${generatedAt}`];
  return renderPage(title, meta, sparseExpansionBlocks(results), draw);
}
