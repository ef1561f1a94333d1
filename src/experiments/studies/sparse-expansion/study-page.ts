import { renderPage } from '../../report/render-html.js';
import { sparseExpansionBlocks } from '../../report/sparse-expansion-blocks.js';
import type { StudyResults } from './study-results.js';

/**
 * The Sparse Expansion study's HTML report: accuracy vs K per sparsity, WD histograms, WD
 * before/after, importance-test bars and the ablation. Example: `studyPage(results, false, new Date().toISOString())`.
 */
export function studyPage(results: StudyResults, quick: boolean, generatedAt: string): string {
  const title = quick ? 'Sparse Expansion and Wasserstein neurons (quick)' : 'Sparse Expansion and Wasserstein neurons';
  const meta = [`${results.expansion.length} expansions`, `generated ${generatedAt}`];
  return renderPage(title, meta, sparseExpansionBlocks(results));
}
