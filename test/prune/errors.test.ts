import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngine } from '../../src/engine/index.js';
import { MLP } from '../../src/nn/index.js';
import { globalMagnitudePrune, magnitudePrune, pruneModel, sparseGptPrune, wandaPrune } from '../../src/prune/index.js';
import { correlatedInputs, randomLayer } from './helpers.js';

const layer = randomLayer(4, 8, 1);
const cal = correlatedInputs(16, 8, 2);

describe('pruner errors say what is wrong and what is allowed', () => {
  it('rejects sparsity outside [0, 1) and a missing or doubled target', () => {
    for (const sparsity of [1, -0.1, 1.5, Number.NaN]) {
      assert.throws(() => magnitudePrune(layer, { sparsity }), {
        name: 'ConfigError',
        message: new RegExp(
          `^magnitudePrune layer: sparsity must be a number in \\[0, 1\\) \\(the fraction of weights set to 0\\), got ${sparsity}$`,
        ),
      });
    }
    const both =
      /give exactly one of sparsity \(unstructured, in \[0, 1\), e\.g\. sparsity: 0\.5\) or nm \(n kept of every m inputs, e\.g\. nm: \{ n: 2, m: 4 \}\)$/;
    assert.throws(() => wandaPrune(layer, cal, {}), { name: 'ConfigError', message: both });
    assert.throws(() => sparseGptPrune(layer, cal, { sparsity: 0.5, nm: { n: 2, m: 4 } }), { message: both });
    assert.throws(() => globalMagnitudePrune([layer], {} as { sparsity: number }), {
      message:
        /^globalMagnitudePrune: sparsity is required \(in \[0, 1\)\); N:M patterns are per row, so prune them per layer with magnitudePrune$/,
    });
  });

  it('rejects N:M with m not dividing the width or n > m', () => {
    assert.throws(() => magnitudePrune(layer, { nm: { n: 2, m: 3 }, name: 'layers.1' }), {
      name: 'ShapeError',
      message:
        /^magnitudePrune layers\.1: nm\.m = 3 does not divide the input width 8; N:M groups m consecutive inputs of each row, so m must be one of 1, 2, 4, 8$/,
    });
    assert.throws(() => wandaPrune(layer, cal, { nm: { n: 5, m: 4 } }), {
      name: 'ConfigError',
      message: /^wandaPrune layer: nm\.n = 5 exceeds nm\.m = 4; N:M keeps n of every m consecutive inputs, so 1 <= n <= m$/,
    });
    assert.throws(() => sparseGptPrune(layer, cal, { nm: { n: 0, m: 4 } }), { message: /nm\.n and nm\.m must be integers >= 1, got 0:4$/ });
    assert.throws(() => sparseGptPrune(layer, cal, { nm: { n: 2, m: 4 }, blockSize: 6 }), {
      message: /^sparseGptPrune layer: blockSize 6 is not a multiple of nm\.m = 4; an N:M group must not straddle two blocks$/,
    });
  });

  it('rejects calibration sets that are empty, of the wrong width or not finite', () => {
    assert.throws(() => wandaPrune(layer, { x: new Float32Array(0), size: 0 }, { sparsity: 0.5 }), {
      name: 'ShapeError',
      message:
        /^wandaPrune layer: the calibration set is empty; pass at least one sample \(SparseGPT wants about as many as the input width, 8\)$/,
    });
    assert.throws(() => sparseGptPrune(layer, { x: new Float32Array(30), size: 3 }, { sparsity: 0.5 }), {
      name: 'ShapeError',
      message:
        /^sparseGptPrune layer: calibration\.x must be a Float32Array of size x in = 3 x 8 = 24 values \(rows of the layer's input width 8\), got 30$/,
    });
    const x = cal.x.slice();
    x[8 * 2 + 5] = Number.NaN;
    assert.throws(() => sparseGptPrune(layer, { x, size: 16 }, { sparsity: 0.5 }), {
      name: 'NumericError',
      message: /^sparseGptPrune layer: calibration\.x\[2, 5\] is NaN; values must be finite$/,
    });
  });

  it('rejects bad layers, options and SparseGPT settings', () => {
    assert.throws(() => magnitudePrune({ ...layer, weight: new Float32Array(7) }, { sparsity: 0.5 }), {
      message: /^magnitudePrune layer: weight must be a Float32Array of out x in = 4 x 8 = 32 values, got 7$/,
    });
    assert.throws(() => magnitudePrune(layer, { sparsity: 0.5, percdamp: 0.1 } as never), {
      message: /^magnitudePrune layer: unknown option 'percdamp'; allowed: sparsity, nm, name$/,
    });
    assert.throws(() => sparseGptPrune(layer, cal, { sparsity: 0.5, percdamp: -1 }), {
      message:
        /^sparseGptPrune layer: percdamp must be a finite number >= 0 \(dampening as a fraction of mean\(diag H\), e\.g\. 0\.01\), got -1$/,
    });
  });

  it('names the layer, the calibration size and the fix when the Hessian is singular', () => {
    const few = correlatedInputs(5, 8, 3);
    assert.throws(() => sparseGptPrune(layer, few, { sparsity: 0.5, percdamp: 0, name: 'layers.2' }), {
      name: 'NumericError',
      message:
        /^sparseGptPrune layers\.2: the dampened calibration Hessian is not positive definite \(Cholesky failed at input \d\); the calibration set has 5 samples for input width 8 \(fewer samples than inputs, so XᵀX is singular\); raise percdamp \(now 0, e\.g\. 0\.01 to 0\.1\) or use more calibration samples$/,
    });
    // the default dampening makes the same set usable
    assert.equal(sparseGptPrune(layer, few, { sparsity: 0.5 }).mask.length, 32);
  });

  it('pruneModel checks every layer before any work', () => {
    const engine = createEngine({ backend: 'ref' });
    const model = MLP.create({ sizes: [8, 6, 3] }, engine);
    const calibration = { x: cal.x, size: 16 };
    assert.throws(() => pruneModel(model, calibration, { method: 'sparsegpt', nm: { n: 2, m: 4 } }), {
      message: /^pruneModel layers\.1: nm\.m = 4 does not divide the input width 6;/,
    });
    assert.throws(() => pruneModel(model, calibration, { method: 'obs' as never, sparsity: 0.5 }), {
      message: /^pruneModel: unknown method "obs"; allowed: magnitude, global-magnitude, wanda, sparsegpt$/,
    });
    assert.throws(() => pruneModel(model, null, { method: 'wanda', sparsity: 0.5 }), {
      message: /^pruneModel: calibration inputs are required: \{ x: Float32Array \[size, 8\], size \}, got null$/,
    });
    assert.throws(() => pruneModel(model, calibration, { method: 'global-magnitude', nm: { n: 1, m: 2 } }), {
      message: /^pruneModel: method 'global-magnitude' takes sparsity only; N:M patterns are per row, use method 'magnitude'$/,
    });
  });
});
