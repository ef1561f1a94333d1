import { negativeAblation, wassersteinNeurons } from '../../../measure/index.js';
import type { Dataset, MLP } from '../../../nn/index.js';
import { type Calibration, importanceTest, sparseExpand } from '../../../prune/index.js';
import type { StudyAblation, StudyImportance, StudyProgress, StudyWdLayer } from './study-results.js';
import type { StudySettings } from './study-settings.js';
import { expansionWassersteinShift, importanceScores } from './wasserstein-shift.js';

/** What analyseUnits measures: the WD analysis, the importance test and the ablation. */
export interface UnitAnalysis {
  wd: StudyWdLayer[];
  importance: StudyImportance[];
  ablation: StudyAblation[];
}

/**
 * The unit-level analyses of the study on one calibration set: per-unit WD and mapping difficulty
 * of every hidden layer, their cluster-weighted WD after the `shift` expansion, the importance test
 * (top `importance.top` units by WD, mean, variance and magnitude vs random draws) and the
 * negative pre-activation ablation at each p of `ablation.tops`.
 */
export function analyseUnits(
  model: MLP,
  calibration: Calibration,
  test: Required<Dataset<Int32Array>>,
  s: StudySettings,
  progress: (p: StudyProgress) => void,
): UnitAnalysis {
  const steps = 3 + s.ablation.tops.length;
  progress({ phase: 'analysis', done: 0, total: steps, label: 'Wasserstein distances' });
  const layers = wassersteinNeurons(model, calibration, { seed: s.seed });
  const expanded = sparseExpand(model, calibration, { ...s.shift, reduce: s.reduce, restarts: s.restarts, seed: s.seed });
  const shifts = expansionWassersteinShift(expanded, calibration, layers, s.importance.top);
  expanded.dispose();
  const wd: StudyWdLayer[] = layers.map((l, i) => ({
    layer: l.layer,
    units: l.units,
    wd: Array.from(l.wd),
    ranking: Array.from(l.ranking),
    difficulty: l.difficulty,
    wdDifficultySpearman: l.wdDifficultyCorrelation,
    after: Array.from(shifts[i].after),
    top: shifts[i].top,
    all: shifts[i].all,
  }));
  progress({ phase: 'analysis', done: 1, total: steps, label: 'importance test' });
  const importance: StudyImportance[] = importanceTest(model, calibration, test, importanceScores(layers), {
    top: s.importance.top,
    draws: s.importance.draws,
    seed: s.seed,
    pruner: s.importance.pruner,
    sparsity: s.importance.sparsity,
  }).map((r) => ({
    selection: r.selection,
    draw: r.draw,
    p: s.importance.top,
    units: r.unitsPerLayer,
    accuracy: r.accuracy,
    accuracyDrop: r.accuracyDrop,
  }));
  progress({ phase: 'analysis', done: 2, total: steps, label: 'ablation' });
  const ablation: StudyAblation[] = [];
  s.ablation.tops.forEach((top, i) => {
    const run = negativeAblation(model, calibration, test, { top, draws: s.ablation.draws, seed: s.seed });
    for (const r of run.selections) {
      ablation.push({
        selection: r.selection,
        draw: r.draw,
        p: top,
        units: r.unitsPerLayer,
        accuracy: r.accuracy,
        loss: r.loss,
        lossIncrease: r.lossIncrease,
        accuracyDrop: r.accuracyDrop,
        perClass: r.classAccuracy,
        ...(r.selection === 'bottom-wd' ? { matched: run.matched.matched } : {}),
      });
    }
    progress({ phase: 'analysis', done: 3 + i, total: steps, label: `ablation p = ${top}` });
  });
  progress({ phase: 'analysis', done: steps, total: steps });
  return { wd, importance, ablation };
}
