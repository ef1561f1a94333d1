import type { StudyProgress } from '../../index.js';
import { reproduceSparseExpansion } from '../../node/index.js';
import { createProgress, type Progress } from '../progress.js';
import type { OptionValue } from '../read-options.js';
import { engineFrom, pct } from './shared.js';

/** `widen reproduce sparse-expansion`: the study of issue 5, its report, and its headline lines (or the JSON summary). */
export async function sparseExpansionStudy(options: Map<string, OptionValue>, json: boolean): Promise<Record<string, unknown>> {
  const engine = engineFrom(options);
  let progress: Progress | undefined;
  let phase = '';
  const onProgress = (p: StudyProgress): void => {
    if (p.phase !== phase) {
      progress?.stop();
      progress = createProgress(p.phase, p.total, json);
      phase = p.phase;
    }
    progress?.update(p.done, p.label ?? '');
  };
  try {
    const result = await reproduceSparseExpansion({
      quick: options.get('quick') === true,
      out: options.get('out') as string | undefined,
      engine,
      onProgress,
    });
    progress?.stop();
    const { results, json: summary } = result;
    if (!json) {
      if (results.model) console.log(`dense model ${results.model.sizes.join('-')}: test accuracy ${pct(results.model.accuracy)}`);
      console.log('pruner      sparsity    K  accuracy (min–max over draws)   nnz stored  nnz / input');
      for (const row of summary.expansion as Record<string, number | string>[]) {
        const acc = `${pct(row.accuracy as number)} (${pct(row.accuracy_min as number)}–${pct(row.accuracy_max as number)})`;
        console.log(
          `${String(row.pruner).padEnd(10)} ${pct(row.sparsity as number).padStart(9)} ${String(row.K).padStart(4)}  ${acc.padEnd(30)} ${String(row.nnz_stored).padStart(10)} ${Math.round(
            row.nnz_per_input as number,
          )
            .toString()
            .padStart(12)}`,
        );
      }
      for (const a of summary.acceptance as Record<string, number | string | boolean>[]) {
        console.log(
          `acceptance ${a.pruner} at ${pct(a.sparsity as number)}: K=${a.k_high} ${pct(a.accuracy_high as number)} vs K=${a.k_low} ${pct(a.accuracy_low as number)}, better in ${a.wins}/${a.draws} draws: ${a.pass ? 'met' : 'NOT met'}`,
        );
      }
      console.log(`report written to ${result.reportPath} (${result.seconds.toFixed(0)} s)`);
    }
    return { report: result.reportPath, seconds: result.seconds, ...summary };
  } finally {
    engine.dispose();
  }
}
