import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACTIVATIONS, type Activation, Rng } from '../../src/engine/index.js';
import { LOSSES, type LossName, lossAndGradients, MLP } from '../../src/nn/index.js';
import { engineCases, forward64, loss64, numericGrads, params64, randomArray, randomLabels, worstRatio } from './helpers.js';

// Analytic gradients come from f32 kernels; the oracle is a float64 re-implementation of the
// forward differentiated by central differences (h = 1e-6: truncation error ~h² and cancellation
// error ~1e-16/h ≈ 1e-10, both far below f32 rounding). f32 storage of activations and gradients
// costs a relative 6e-8 per op; over 2-3 layers and sums of <= 16 terms the deviation measured on
// ref and wasm is <= 5e-8 absolute for gradients of 1e-3..1e-1, so 2e-7 absolute + 2e-5 relative
// leaves a 4x margin while catching any real error (a wrong term is >= 1e-4 off).
const ATOL = 2e-7;
const RTOL = 2e-5;

function targetsFor(loss: LossName, rng: Rng, batch: number, out: number): Int32Array | Float32Array {
  if (loss === 'cross-entropy') return randomLabels(rng, batch, out);
  const y = randomArray(rng, batch * out, 1);
  return loss === 'bce' ? y.map((v) => (v + 1) / 2) : y;
}

function check(model: MLP, loss: LossName, seed: number, batch: number): void {
  const rng = new Rng(seed);
  const x = randomArray(rng, batch * model.inFeatures, 1);
  const y = targetsFor(loss, rng, batch, model.outFeatures);
  const mean = lossAndGradients(model, { x, y, size: batch }, loss);
  const ref = loss64(loss, forward64(params64(model), model.activation, x, batch), y, batch, model.outFeatures);
  assert.ok(Math.abs(mean - ref) <= 1e-6 * Math.max(1, Math.abs(ref)), `loss ${mean} vs float64 ${ref}`);
  const num = numericGrads(model, loss, x, y, batch);
  model.layers.forEach((l, i) => {
    const rw = worstRatio(l.weightGrad(), num.w[i], ATOL, RTOL);
    const rb = worstRatio(l.biasGrad(), num.b[i], ATOL, RTOL);
    assert.ok(rw <= 1, `layers.${i}.weight gradient off by ${rw.toFixed(2)}x the tolerance`);
    assert.ok(rb <= 1, `layers.${i}.bias gradient off by ${rb.toFixed(2)}x the tolerance`);
  });
}

for (const c of engineCases()) {
  describe(`gradients vs finite differences (${c.name})`, { skip: c.skip }, () => {
    for (const activation of ACTIVATIONS) {
      for (const loss of LOSSES) {
        for (const path of ['csr', 'dense'] as const) {
          it(`${activation} + ${loss}, ${path} path`, () => {
            const model = MLP.create({ sizes: [5, 7, 4], activation: activation as Activation, density: 0.6, seed: 3, path }, c.engine);
            check(model, loss, 11, 6);
            model.dispose();
          });
        }
      }
    }

    for (const path of ['csr', 'dense'] as const) {
      it(`3-layer MLP end to end, ${path} path`, () => {
        const model = MLP.create({ sizes: [6, 8, 7, 3], activation: 'gelu', density: [0.5, 0.4, 0.8], seed: 5, path }, c.engine);
        check(model, 'cross-entropy', 12, 9);
        model.dispose();
      });
    }

    it('full-density layers (values are the dense matrix) on the dense path', () => {
      const model = MLP.create({ sizes: [4, 5, 3], activation: 'sigmoid', seed: 8, path: 'dense' }, c.engine);
      check(model, 'mse', 13, 5);
      model.dispose();
    });
  });
}
