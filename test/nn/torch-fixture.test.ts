import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createOptimizer, MLP, trainStep } from '../../src/nn/index.js';
import { engineCases } from './helpers.js';

// Fixtures written by scripts/fixtures/make_torch_mlp_fixture.py (PyTorch, float32, Adam lr 1e-2,
// weights masked in the forward and masked gradients zeroed). The tolerance is 1e-5 absolute on
// each loss (losses are 0.9..1.7, so also ~1e-5 relative); float32 sums in a different order
// drift by ~1e-7 per step.
const TOLERANCE = 1e-5;

interface Fixture {
  activation: 'relu' | 'gelu';
  batch: number;
  lr: number;
  steps: number;
  layers: { inFeatures: number; outFeatures: number; weight: number[]; mask: number[]; bias: number[] }[];
  x: number[];
  y: number[];
  losses: number[];
}

function load(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(`../fixtures/torch-mlp-${name}.json`, import.meta.url), 'utf8')) as Fixture;
}

for (const c of engineCases()) {
  describe(`PyTorch fixture replay (${c.name})`, { skip: c.skip }, () => {
    for (const name of ['relu', 'gelu'] as const) {
      for (const path of ['csr', 'dense'] as const) {
        it(`${name}: 20 Adam steps match PyTorch losses to ${TOLERANCE} absolute (${path} path)`, (t) => {
          const f = load(name);
          const layers = f.layers.map((l) => ({
            inFeatures: l.inFeatures,
            outFeatures: l.outFeatures,
            weight: Float32Array.from(l.weight),
            mask: Uint8Array.from(l.mask),
            bias: Float32Array.from(l.bias),
          }));
          const model = MLP.fromWeights(layers, { activation: f.activation, path }, c.engine);
          const opt = createOptimizer(model, { kind: 'adam', lr: f.lr });
          const batch = { x: Float32Array.from(f.x), y: Int32Array.from(f.y), size: f.batch };
          let worst = 0;
          for (let s = 0; s < f.steps; s++) {
            const loss = trainStep(model, opt, batch, 'cross-entropy');
            const dev = Math.abs(loss - f.losses[s]);
            worst = Math.max(worst, dev);
            assert.ok(dev <= TOLERANCE, `step ${s + 1}: widen ${loss} vs torch ${f.losses[s]} (|diff| ${dev})`);
          }
          t.diagnostic(`max |loss - torch| = ${worst.toExponential(2)}`);
          // masked weights stayed exactly zero after the 20 updates
          for (const [i, l] of model.layers.entries()) {
            const w = l.weight();
            for (const [j, m] of layers[i].mask.entries()) if (m === 0) assert.equal(w[j], 0);
          }
          opt.dispose();
          model.dispose();
        });
      }
    }
  });
}
