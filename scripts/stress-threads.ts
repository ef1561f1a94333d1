// Stress test of the two-thread wasm engine (issue 14, defect 13): trains the same dense 512×512
// MLP on many fresh engines, each with a new worker thread whose first job is this training run,
// and compares every weight bitwise with the one-thread result. Also times each worker start.
// Run: node --import tsx scripts/stress-threads.ts [engines=40] [epochs=1]
import { createEngine, type Engine, fit, MLP, makeBlobs } from '../src/index.js';
import { useNodePlatform } from '../src/node/index.js';

useNodePlatform();
const runs = Number(process.argv[2] ?? 40);
const epochs = Number(process.argv[3] ?? 1);
const blobs = makeBlobs({ features: 64, trainSize: 2048, testSize: 16, seed: 1 });

function train(engine: Engine): Float32Array[] {
  const model = MLP.create({ sizes: [64, 512, 512, 4], density: 1, activation: 'relu', seed: 7 }, engine);
  fit(model, blobs.train, { epochs, batchSize: 256, optimizer: { kind: 'adam', lr: 0.003 }, loss: 'cross-entropy', seed: 3 });
  const weights = model.layers.map((l) => Float32Array.from(l.weight()));
  model.dispose();
  return weights;
}

const oneEngine = createEngine({ backend: 'wasm', threads: 1 });
const reference = train(oneEngine);
oneEngine.dispose();
let differing = 0;
const which: Array<{ run: number; layers: number[] }> = [];
let worst = 0;
const starts: number[] = [];
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  const engine = createEngine({ backend: 'wasm', threads: 2 });
  starts.push(performance.now() - t0);
  const got = train(engine);
  engine.dispose();
  let diff = 0;
  got.forEach((w, l) => {
    for (let j = 0; j < w.length; j++) diff = Math.max(diff, Math.abs(w[j] - reference[l][j]));
  });
  const same = got.every((w, l) => Buffer.from(w.buffer).equals(Buffer.from(reference[l].buffer)));
  if (!same) {
    differing++;
    which.push({ run: r, layers: got.flatMap((w, l) => (Buffer.from(w.buffer).equals(Buffer.from(reference[l].buffer)) ? [] : [l])) });
  }
  worst = Math.max(worst, diff);
}
starts.sort((a, b) => a - b);
const result = {
  runs,
  epochs,
  differing,
  which,
  maxAbsDiff: worst,
  workerStartMs: { min: starts[0], median: starts[starts.length >> 1], max: starts.at(-1) },
};
process.stdout.write(`${JSON.stringify(result)}\n`);
