import { Rng } from '../../../engine/index.js';
import type { Dataset, MLP } from '../../../nn/index.js';
import { type Calibration, evaluateExpanded, type RouterCache, sparseExpand } from '../../../prune/index.js';
import type { TrialStore } from '../../run/trial-store.js';
import { resolveTrainConfig, type TrainConfig, type TrainTaskData } from '../../trials/train-config.js';
import { expansionId, expansionRecord, type StudyRecord } from './study-records.js';
import type { StudyResults } from './study-results.js';
import type { StudySettings } from './study-settings.js';

/** The `widen train` config of the study's dense model (full density: the study prunes it afterwards). */
export function trainConfig(s: StudySettings): TrainConfig {
  return resolveTrainConfig({
    task: s.task,
    model: { hidden: s.hidden, activation: s.activation, density: 1 },
    optimizer: { kind: 'adam', lr: s.lr },
    epochs: s.epochs,
    batchSize: s.batchSize,
    seed: s.seed,
  });
}

/**
 * Calibration draw `draw`: `s.calibration` training samples chosen at random (stream draw of the
 * study seed), in ascending order. Draws are independent; the same draw always picks the same samples.
 */
export function drawCalibration(train: Required<Dataset<Int32Array>>, s: StudySettings, draw: number): Calibration {
  const rng = new Rng(s.seed).fork(100 + draw);
  const picked = rng
    .shuffle(Array.from({ length: train.size }, (_, i) => i))
    .slice(0, s.calibration)
    .sort((a, b) => a - b);
  const f = train.x.length / train.size;
  const x = new Float32Array(picked.length * f);
  picked.forEach((r, i) => {
    x.set(train.x.subarray(r * f, (r + 1) * f), i * f);
  });
  return { x, size: picked.length };
}

/**
 * Runs every expansion cell of the grid (K x per-expert sparsity x pruner, per calibration draw)
 * not yet in the store on the trained `model`, storing each cell as it finishes and adding it to
 * `results`; `saved` is told after each with a label and the cells done of the total.
 */
export function runExpansionGrid(
  model: MLP,
  data: TrainTaskData,
  s: StudySettings,
  results: StudyResults,
  store: TrialStore<StudyRecord>,
  saved: (cell: string, done: number, total: number) => void,
): void {
  const done = store.ids();
  const total = s.draws * s.pruners.length * s.sparsities.length * s.ks.length;
  for (let draw = 0; draw < s.draws; draw++) {
    const calibration = drawCalibration(data.train, s, draw);
    const routers: RouterCache = new WeakMap(); // the first layer's router is shared by every pruner and sparsity of a draw
    for (const pruner of s.pruners)
      for (const sparsity of s.sparsities)
        for (const k of s.ks) {
          const cell = { pruner, sparsity, k, draw };
          if (done.has(expansionId(s, cell))) continue;
          const t0 = performance.now();
          // k-means seeds differ per draw, so draws vary both the samples and the clustering
          const expanded = sparseExpand(model, calibration, {
            k,
            sparsity,
            pruner,
            reduce: s.reduce,
            restarts: s.restarts,
            seed: s.seed + 1000 * draw,
            routers,
          });
          const e = evaluateExpanded(expanded, data.test);
          const finished = {
            ...cell,
            accuracy: e.accuracy,
            loss: e.loss,
            nnzStored: expanded.nnzStored(),
            nnzPerInput: e.nnzPerInput,
            routingFlops: expanded.routingFlops(),
            seconds: (performance.now() - t0) / 1000,
          };
          results.expansion.push(finished);
          results.seconds.expansion += finished.seconds;
          expanded.dispose();
          store.insert(expansionRecord(s, finished));
          saved(
            `${pruner} ${Math.round(sparsity * 100)}% K=${k} draw ${draw}: ${(100 * e.accuracy).toFixed(1)}%`,
            results.expansion.length,
            total,
          );
        }
  }
}
