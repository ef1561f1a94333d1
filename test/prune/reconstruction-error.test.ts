import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngine } from '../../src/engine/index.js';
import { fit, MLP } from '../../src/nn/index.js';
import {
  type Calibration,
  magnitudePrune,
  type PruneLayer,
  reconstructionError,
  sparseGptPrune,
  wandaPrune,
} from '../../src/prune/index.js';
import { makeBlobs } from '../../src/tasks/index.js';
import { centre, correlatedInputs, randomLayer } from './helpers.js';

/**
 * ||WX − W'X||_F on the calibration inputs (bench/prune.bench.ts prints the same table; seeds as here):
 *
 *   layer, inputs                    sparsity  magnitude      wanda  sparsegpt  wanda vs mag
 *   synthetic 64x128, raw                 50%    1026.55     699.14     584.46  wanda
 *   synthetic 64x128, raw                 90%    2958.23    2533.99    2493.51  wanda
 *   synthetic 64x128, centred             50%     920.33     619.66     570.98  wanda
 *   synthetic 64x128, centred             90%    2646.89    2248.72    2325.52  wanda
 *   trained blobs layer 1, raw            50%      47.63      49.94      20.29  magnitude
 *   trained blobs layer 1, raw            90%     224.93     232.97     160.93  magnitude
 *   trained blobs layer 1, centred        50%      38.90      41.18      19.16  magnitude
 *   trained blobs layer 1, centred        90%     181.97     188.08     139.79  magnitude
 *
 * The one loss of SparseGPT: a 128-wide layer is a single block at the default blockSize 128, so
 * its whole mask is chosen before any update; at 90% on centred correlated inputs that costs
 * 0.5-3.5% against Wanda over the seeds tried, and smaller blocks (adaptive selection) win again.
 */
const PRUNERS = {
  magnitude: (l: PruneLayer, _: Calibration, s: number) => magnitudePrune(l, { sparsity: s }).weight,
  wanda: (l: PruneLayer, c: Calibration, s: number) => wandaPrune(l, c, { sparsity: s }).weight,
  sparsegpt: (l: PruneLayer, c: Calibration, s: number) => sparseGptPrune(l, c, { sparsity: s }).weight,
};

function errors(layer: PruneLayer, cal: Calibration, s: number): Record<keyof typeof PRUNERS, number> {
  const out = {} as Record<keyof typeof PRUNERS, number>;
  for (const [name, prune] of Object.entries(PRUNERS))
    out[name as keyof typeof PRUNERS] = reconstructionError(layer, prune(layer, cal, s), cal);
  return out;
}

/** The layers of a 32-64-64-4 ReLU MLP trained on blobs, each with its inputs on 512 training samples. */
function trainedLayers(): Array<{ layer: PruneLayer; inputs: Calibration }> {
  const engine = createEngine({ backend: 'ref' });
  const { train } = makeBlobs({ classes: 4, features: 32, trainSize: 1024, seed: 3 });
  const model = MLP.create({ sizes: [32, 64, 64, 4], seed: 3 }, engine);
  fit(model, train, { epochs: 6, batchSize: 64, optimizer: { kind: 'adam', lr: 3e-3 }, loss: 'cross-entropy' });
  const size = 512;
  const ws = model.forward(train.x.subarray(0, size * 32), size);
  return model.layers.slice(0, 2).map((l, i) => {
    let x = train.x.slice(0, size * 32);
    if (i === 1) {
      const h = ws.h[0].data; // [64, size]
      x = new Float32Array(size * 64);
      for (let j = 0; j < 64; j++) for (let t = 0; t < size; t++) x[t * 64 + j] = h[j * size + t];
    }
    return { layer: { weight: l.weight(), inFeatures: l.inFeatures, outFeatures: l.outFeatures }, inputs: { x, size } };
  });
}

describe('reconstructionError', () => {
  it('is ||(W − W′)Xᵀ||_F (hand case)', () => {
    // W − W′ = [[1, 0], [0, 2]]; X rows (1, 1), (3, −1): residuals (1, 2), (3, −2) -> √18
    const layer = { weight: Float32Array.from([1, 5, 7, 2]), inFeatures: 2, outFeatures: 2 };
    const got = reconstructionError(layer, Float32Array.from([0, 5, 7, 0]), { x: Float32Array.from([1, 1, 3, -1]), size: 2 });
    assert.ok(Math.abs(got - Math.sqrt(18)) < 1e-12);
  });
});

describe('SparseGPT reconstructs better than Wanda and magnitude', () => {
  const cases: Array<[string, PruneLayer, Calibration]> = [];
  for (const [i, { layer, inputs }] of trainedLayers().entries()) {
    cases.push(
      [`trained blobs layer ${i}, raw`, layer, inputs],
      [`trained blobs layer ${i}, centred`, layer, centre(inputs, layer.inFeatures)],
    );
  }
  const wide = randomLayer(32, 256, 1);
  cases.push(['synthetic 32x256 (2 blocks), raw', wide, correlatedInputs(768, 256, 2)]);
  cases.push(['synthetic 32x256 (2 blocks), centred', wide, correlatedInputs(768, 256, 2, true)]);
  const narrow = randomLayer(64, 128, 1);
  cases.push(['synthetic 64x128 (1 block), raw', narrow, correlatedInputs(512, 128, 2)]);
  for (const [name, layer, cal] of cases) {
    for (const s of [0.5, 0.9]) {
      it(`${name} at ${s * 100}%`, () => {
        const e = errors(layer, cal, s);
        assert.ok(e.sparsegpt <= Math.min(e.wanda, e.magnitude), JSON.stringify(e));
      });
    }
  }

  it('single block, 90%, centred: within 5% of Wanda; blocks of 32 win', () => {
    const cal = correlatedInputs(512, 128, 2, true);
    const e = errors(narrow, cal, 0.9);
    assert.ok(e.sparsegpt <= 1.05 * e.wanda && e.sparsegpt < e.magnitude, JSON.stringify(e));
    const adaptive = reconstructionError(narrow, sparseGptPrune(narrow, cal, { sparsity: 0.9, blockSize: 32 }).weight, cal);
    assert.ok(adaptive < e.wanda, `${adaptive} vs ${e.wanda}`);
  });
});
