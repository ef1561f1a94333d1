/**
 * One-shot pruners compared and timed: `node --import tsx bench/prune.bench.ts`.
 *
 * 1. Reconstruction error ||WX − W'X||_F of magnitude, Wanda and SparseGPT at 50% and 90%
 *    unstructured sparsity, on the calibration inputs themselves, raw and centred (each feature's
 *    mean removed), for: a synthetic layer 64x128 with correlated, offset, unevenly scaled inputs
 *    (test/prune/helpers.ts), and the second layer (64x64, ReLU inputs) of an MLP 32-64-64-4
 *    trained on blobs. The column "wanda vs mag" says which of the two is lower.
 * 2. Milliseconds of each pruner on one 512x512 layer with 2048 calibration samples (median of 3).
 */
import { createEngine } from '../src/engine/index.js';
import { fit, MLP } from '../src/nn/index.js';
import { useNodePlatform } from '../src/node/index.js';
import { type Calibration, magnitudePrune, type PruneLayer, reconstructionError, sparseGptPrune, wandaPrune } from '../src/prune/index.js';
import { makeBlobs } from '../src/tasks/index.js';
import { centre, correlatedInputs, randomLayer } from '../test/prune/helpers.js';

useNodePlatform();

function trainedLayer(): { layer: PruneLayer; inputs: Calibration } {
  const engine = createEngine({ backend: 'ref' });
  const { train } = makeBlobs({ classes: 4, features: 32, trainSize: 2048, seed: 3 });
  const model = MLP.create({ sizes: [32, 64, 64, 4], seed: 3 }, engine);
  fit(model, train, { epochs: 8, batchSize: 64, optimizer: { kind: 'adam', lr: 3e-3 }, loss: 'cross-entropy' });
  const size = 512;
  const h = model.forward(train.x.subarray(0, size * 32), size).h[0].data; // [64, size]
  const x = new Float32Array(size * 64);
  for (let j = 0; j < 64; j++) for (let t = 0; t < size; t++) x[t * 64 + j] = h[j * size + t];
  const l = model.layers[1];
  return { layer: { weight: l.weight(), inFeatures: 64, outFeatures: 64 }, inputs: { x, size } };
}

function errors(layer: PruneLayer, cal: Calibration, sparsity: number): [number, number, number] {
  return [
    reconstructionError(layer, magnitudePrune(layer, { sparsity }).weight, cal),
    reconstructionError(layer, wandaPrune(layer, cal, { sparsity }).weight, cal),
    reconstructionError(layer, sparseGptPrune(layer, cal, { sparsity }).weight, cal),
  ];
}

const trained = trainedLayer();
const cases: Array<[string, PruneLayer, Calibration]> = [
  ['synthetic 64x128, raw', randomLayer(64, 128, 1), correlatedInputs(512, 128, 2)],
  ['synthetic 64x128, centred', randomLayer(64, 128, 1), correlatedInputs(512, 128, 2, true)],
  ['trained blobs layer 1, raw', trained.layer, trained.inputs],
  ['trained blobs layer 1, centred', trained.layer, centre(trained.inputs, 64)],
];
console.log(
  `${'layer, inputs'.padEnd(32)} ${'sparsity'.padStart(8)} ${'magnitude'.padStart(10)} ${'wanda'.padStart(10)} ${'sparsegpt'.padStart(10)}  wanda vs mag`,
);
for (const [name, layer, cal] of cases) {
  for (const s of [0.5, 0.9]) {
    const [m, w, g] = errors(layer, cal, s);
    const cells = [m, w, g].map((v) => v.toFixed(2).padStart(10)).join(' ');
    console.log(`${name.padEnd(32)} ${`${s * 100}%`.padStart(8)} ${cells}  ${w < m ? 'wanda' : 'magnitude'}`);
  }
}

const big = randomLayer(512, 512, 4);
const bigCal = correlatedInputs(2048, 512, 5);
const timed: Array<[string, () => unknown]> = [
  ['magnitudePrune 512x512', () => magnitudePrune(big, { sparsity: 0.5 })],
  ['wandaPrune 512x512, 2048 samples', () => wandaPrune(big, bigCal, { sparsity: 0.5 })],
  ['sparseGptPrune 512x512, 2048 samples', () => sparseGptPrune(big, bigCal, { sparsity: 0.5 })],
  ['sparseGptPrune 512x512, 2:4', () => sparseGptPrune(big, bigCal, { nm: { n: 2, m: 4 } })],
];
for (const [name, run] of timed) {
  const ms: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    run();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`${name.padEnd(40)} ${ms[1].toFixed(0).padStart(8)} ms`);
}
