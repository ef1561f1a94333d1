/**
 * Where the CSR path of SparseLinear stops beating the dense-masked one: times one layer
 * forward + backward (with dx) on both paths for densities 0.1..0.6, single thread, at the shapes
 * of the bench MLP. `node --import tsx bench/crossover.bench.ts [--quick]`. The winner per row is
 * what path 'auto' should pick; see CSR_MAX_DENSITY in src/nn/sparse-linear.ts.
 */
import { createEngine, Rng } from '../src/engine/index.js';
import { SparseLinear } from '../src/nn/sparse-linear.js';
import { useNodePlatform } from '../src/node/index.js';

useNodePlatform();

const quick = process.argv.includes('--quick');
const RUNS = quick ? 5 : 11;
const engine = createEngine({ backend: 'wasm', threads: 1 });
const shapes: Array<[number, number]> = [
  [2048, 2048],
  [512, 2048],
];
const densities = [0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6];

/** Median ms of one forward + backward of `layer` at `batch`. */
function time(layer: SparseLinear, batch: number): number {
  const x = engine.tensor([layer.inFeatures, batch]);
  const z = engine.tensor([layer.outFeatures, batch]);
  const dx = engine.tensor([layer.inFeatures, batch]);
  const rng = new Rng(3);
  for (const t of [x, z]) for (let i = 0; i < t.size; i++) t.data[i] = rng.float() - 0.5;
  const dz = z;
  const step = () => {
    layer.forward(x, z, batch);
    layer.backward(x, dz, dx, batch);
  };
  step();
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    step();
    t.push(performance.now() - t0);
  }
  for (const u of [x, z, dx]) u.dispose();
  return t.sort((a, b) => a - b)[RUNS >> 1];
}

console.log('in    out   batch  density  csr ms   dense ms  csr/dense');
for (const [inF, outF] of shapes) {
  for (const batch of [256, 64]) {
    for (const density of densities) {
      const ms = (['csr', 'dense'] as const).map((path) => {
        const layer = new SparseLinear({ inFeatures: inF, outFeatures: outF, density, rng: new Rng(1), path, engine });
        try {
          return time(layer, batch);
        } finally {
          layer.dispose();
        }
      });
      const row = [inF, outF, batch, density].map((v) => String(v).padEnd(6)).join(' ');
      console.log(`${row}   ${ms[0].toFixed(2).padStart(7)}  ${ms[1].toFixed(2).padStart(7)}  ${(ms[0] / ms[1]).toFixed(2)}`);
    }
  }
}
engine.dispose();
