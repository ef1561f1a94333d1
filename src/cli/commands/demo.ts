import { backendId, resolveTrainConfig } from '../../index.js';
import { runTraining } from '../../node/index.js';
import { createProgress } from '../progress.js';
import type { OptionValue } from '../read-options.js';
import { expansionAct, fpeAct } from './demo-acts.js';
import { engineFrom, pct, printJson } from './shared.js';

/**
 * `widen demo`: the toolkit in three short acts. (1) A 90%-sparse MLP trained with Adam on a
 * Gaussian-mixture task: accuracy and non-zeros. (2) FPE: dense vs split neurons at one non-zero
 * count on a Boolean code task. (3) Sparse Expansion: SparseGPT at 90% alone vs 4 routed experts.
 */
export async function demo(_args: string[], options: Map<string, OptionValue>): Promise<void> {
  const json = options.get('json') === true;
  const task = { kind: 'blobs', classes: 8, features: 32, clustersPerClass: 4, trainSize: 8192, testSize: 2048, noise: 1.0 } as const;
  const config = resolveTrainConfig({
    task,
    model: { hidden: [256, 256], activation: 'relu', density: 0.1 },
    optimizer: { kind: 'adam', lr: 3e-3 },
    epochs: options.get('epochs') ?? 10,
    batchSize: 128,
    seed: options.get('seed') ?? 0,
  });
  const engine = engineFrom(options);
  const steps = config.epochs * Math.ceil(task.trainSize / config.batchSize);
  const progress = createProgress('training', steps, json);
  const result = await runTraining(config, {
    engine,
    onStep: (s) => {
      if (s.step % 8 === 0) progress.update(s.step);
    },
    onEpoch: (e) =>
      progress.update(
        (e.epoch + 1) * (steps / config.epochs),
        `epoch ${e.epoch + 1}: loss ${e.trainLoss.toFixed(4)}, test acc ${pct(e.valAccuracy ?? 0)}`,
      ),
  });
  progress.stop();
  const seed = config.seed;
  const fpe = fpeAct(seed, engine);
  const expansion = expansionAct(seed, engine);
  engine.dispose();
  const summary = {
    task: `blobs: ${task.classes} classes, ${task.features} features, ${task.trainSize} train / ${task.testSize} test`,
    sizes: [task.features, ...config.model.hidden, task.classes],
    backend: `${backendId(engine.backend)}, ${engine.backend.threads} thread(s)`,
    test_accuracy: result.test.accuracy,
    test_loss: result.test.loss,
    nnz: result.nnz,
    dense_weights: result.denseWeights,
    seconds: result.seconds,
    fpe: { task: fpe.task, results: fpe.rows, seconds: fpe.seconds },
    sparse_expansion: {
      dense_accuracy: expansion.dense,
      results: expansion.rows.map((r) => ({ k: r.k, accuracy: r.accuracy, nnz_stored: r.nnzStored, nnz_per_input: r.nnzPerInput })),
      seconds: expansion.seconds,
    },
  };
  if (json) return printJson(summary);
  console.log(`task        ${summary.task}`);
  console.log(`model       MLP ${summary.sizes.join('-')}, ReLU, ${pct(result.nnz / result.denseWeights)} of weights kept`);
  console.log(`backend     ${summary.backend}`);
  console.log(`test        accuracy ${pct(result.test.accuracy)}, loss ${result.test.loss.toFixed(4)}`);
  console.log(`non-zeros   ${result.nnz.toLocaleString('en-US')} weights (dense would be ${result.denseWeights.toLocaleString('en-US')})`);
  console.log(`time        ${result.seconds.toFixed(1)} s`);
  console.log('');
  console.log(`FPE: width at a fixed non-zero count, ${fpe.task}, 150 + 150 epochs`);
  for (const r of fpe.rows)
    console.log(`  ${r.method.padEnd(11)} width ${String(r.width).padStart(2)}  ${r.nnz} non-zeros  accuracy ${pct(r.accuracy)}`);
  console.log('');
  console.log(`Sparse Expansion: dense GELU MLP 32-64-64-4 (accuracy ${pct(expansion.dense)}) pruned to 90% by SparseGPT`);
  for (const r of expansion.rows) {
    const what = r.k === 1 ? 'one pruned copy' : `${r.k} routed experts`;
    console.log(
      `  ${what.padEnd(16)}  accuracy ${pct(r.accuracy)}  ${r.nnzStored} non-zeros stored, ${Math.round(r.nnzPerInput)} used per input`,
    );
  }
  console.log(`(${(fpe.seconds + expansion.seconds).toFixed(1)} s; the studies: widen reproduce boolean | realdata | sparse-expansion)`);
}
