import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngine, Rng, ShapeError } from '../../src/engine/index.js';
import { hiddenPreActivations, modelOutputs } from '../../src/measure/index.js';
import { MLP } from '../../src/nn/index.js';

const engine = createEngine({ backend: 'ref' });
const rng = new Rng(21);
const uniform = (n: number): Float32Array => Float32Array.from({ length: n }, () => 2 * rng.float() - 1);

// sizes [3, 4, 5, 2]: two hidden layers
const layers = [
  { inFeatures: 3, outFeatures: 4, weight: uniform(12), bias: uniform(4) },
  { inFeatures: 4, outFeatures: 5, weight: uniform(20), bias: uniform(5) },
  { inFeatures: 5, outFeatures: 2, weight: uniform(10), bias: uniform(2) },
];
const model = MLP.fromWeights(layers, { activation: 'relu' }, engine);
const size = 7;
const x = uniform(size * 3);

/** z = W·a + b for one sample a (float64 oracle). */
const affine = (l: (typeof layers)[number], a: number[]): number[] =>
  Array.from({ length: l.outFeatures }, (_, o) => l.bias[o] + a.reduce((s, v, i) => s + l.weight[o * l.inFeatures + i] * v, 0));

describe('collecting activations', () => {
  it('returns each hidden layer feature-major [units, size], across partial batches', () => {
    for (const batch of [3, 7, 100]) {
      const z0 = hiddenPreActivations(model, { x, size }, 0, batch);
      const z1 = hiddenPreActivations(model, { x, size }, 1, batch);
      assert.equal(z0.length, 4 * size);
      for (let s = 0; s < size; s++) {
        const a0 = affine(layers[0], Array.from(x.subarray(s * 3, s * 3 + 3)));
        const a1 = affine(
          layers[1],
          a0.map((v) => Math.max(v, 0)),
        );
        a0.forEach((v, u) => {
          assert.ok(Math.abs(z0[u * size + s] - v) < 1e-6, `layer 0 unit ${u} sample ${s}`);
        });
        a1.forEach((v, u) => {
          assert.ok(Math.abs(z1[u * size + s] - v) < 1e-6, `layer 1 unit ${u} sample ${s}`);
        });
      }
    }
  });

  it('returns the logits [size, out] as predict does', () => {
    const want = model.predict(x, size);
    const got = modelOutputs(model, { x, size }, 3);
    want.forEach((v, i) => {
      assert.ok(Math.abs(got[i] - v) < 1e-6);
    });
  });

  it('refuses a layer that is not hidden and inputs of the wrong size', () => {
    assert.throws(
      () => hiddenPreActivations(model, { x, size }, 2),
      (e) =>
        e instanceof ShapeError &&
        /^hiddenPreActivations layer must be an integer in \[0, 1\] \(the hidden layers\), got 2$/.test(e.message),
    );
    assert.throws(
      () => modelOutputs(model, { x, size: 6 }),
      (e) => e instanceof ShapeError && /^modelOutputs data\.x must hold size x in = 6 x 3 values, got 21$/.test(e.message),
    );
  });
});
