/**
 * One real-data trial on one thread: `node --import tsx bench/realdata.bench.ts [--json]`.
 * Times experiment (a)'s FPE cell at h = 32, α = 4 (25 dense epochs over the 60,000 Fashion-MNIST
 * training images, the random split, 25 more, a test evaluation after every epoch) and its dense
 * baseline (50 epochs), then the training time per epoch alone (fit, no evaluation; median of 3)
 * of dense h = 32 beside the FPE network of width 128 at the same non-zero count. Cost should
 * follow the non-zero count, so the ratio should be near 1 (target: the trial under 2 minutes).
 */
import { loadDataset } from '../src/data/index.js';
import { createEngine } from '../src/engine/index.js';
import { splitNeurons } from '../src/expand/index.js';
import type { DatasetTrialConfig } from '../src/experiments/experiment-grid.js';
import { expandTrials, resolveExperimentConfig, runDatasetTrial } from '../src/index.js';
import { createOptimizer, fit, MLP } from '../src/nn/index.js';

const json = process.argv.includes('--json');
const log = (line: string) => process.stderr.write(`${line}\n`);
const engine = createEngine({ threads: 1 });
log(`backend ${engine.backend.name}, 1 thread`);

let t = performance.now();
const data = await loadDataset({ kind: 'fashion-mnist' });
const loadSeconds = (performance.now() - t) / 1000;
log(`fashion-mnist loaded in ${loadSeconds.toFixed(1)} s`);

const config = resolveExperimentConfig({
  name: 'bench',
  task: { kind: 'dataset', data: { kind: 'fashion-mnist' } },
  model: { h: 32 },
  alpha: 4,
  seeds: [0],
});
const trial = (method: string): DatasetTrialConfig =>
  expandTrials(config).find((p) => p.config.method === method)!.config as DatasetTrialConfig;
const fpe = runDatasetTrial(trial('fpe-random'), data, { engine });
log(`fpe-random h=32 α=4 trial: ${fpe.timings.seconds.toFixed(1)} s, accuracy ${(fpe.metrics.accuracy * 100).toFixed(2)}%`);
const dense = runDatasetTrial(trial('dense'), data, { engine });
log(`dense h=32 trial: ${dense.timings.seconds.toFixed(1)} s, accuracy ${(dense.metrics.accuracy * 100).toFixed(2)}%`);

// training epochs alone: the same optimizer and batch as the trials, timed epoch by epoch
function epochSeconds(model: MLP, optimizer: ReturnType<typeof createOptimizer>): number {
  const times: number[] = [];
  for (let e = 0; e < 3; e++) {
    t = performance.now();
    fit(model, data.train, { epochs: e + 1, initialEpoch: e, batchSize: 128, optimizer, loss: 'cross-entropy', seed: 1 });
    times.push((performance.now() - t) / 1000);
  }
  return times.sort((a, b) => a - b)[1];
}
const parent = MLP.create({ sizes: [784, 32, 10], activation: 'relu', seed: 1 }, engine);
const parentOpt = createOptimizer(parent, { kind: 'adam', lr: 1e-3 });
const denseEpoch = epochSeconds(parent, parentOpt);
const split = splitNeurons(parent, { alpha: 4, strategy: 'random', seed: 2 }, parentOpt);
const fpeEpoch = epochSeconds(split.model, split.optimizer!);
const paths = split.model.layers.map((l) => `${l.outFeatures}x${l.inFeatures}`).join(', ');
const result = {
  trialSeconds: { fpeRandomAlpha4: fpe.timings.seconds, dense: dense.timings.seconds },
  phases: { fpe: fpe.timings, dense: dense.timings },
  epochSeconds: { dense: denseEpoch, fpeAlpha4: fpeEpoch, ratio: fpeEpoch / denseEpoch },
  nnz: { dense: parent.nnz(), fpe: split.model.nnz() },
};
console.log(`one trial of (a), h=32, α=4, fpe-random, 25 + 25 epochs: ${fpe.timings.seconds.toFixed(1)} s (target < 120 s)`);
console.log(`dense h=32, 50 epochs:                                 ${dense.timings.seconds.toFixed(1)} s`);
console.log(`training epoch (60,000 images, batch 128, no evaluation):`);
console.log(`  dense h=32         ${denseEpoch.toFixed(3)} s   nnz ${parent.nnz()}`);
console.log(`  FPE α=4 (width 128) ${fpeEpoch.toFixed(3)} s   nnz ${split.model.nnz()}   layers ${paths}`);
console.log(`  ratio FPE / dense  ${(fpeEpoch / denseEpoch).toFixed(2)}`);
if (json) console.log(JSON.stringify(result));
