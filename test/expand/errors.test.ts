import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngine } from '../../src/engine/index.js';
import { type FpeOptions, sparseInit, splitNeurons } from '../../src/expand/index.js';
import { createOptimizer, MLP } from '../../src/nn/index.js';
import { randomModel, snapshot } from './helpers.js';

const engine = createEngine({ backend: 'ref' });

describe('FPE errors name the value and what is allowed', () => {
  const model = randomModel(engine, [8, 6, 3], { seed: 1 });
  const fails = (options: FpeOptions, name: string, message: RegExp, on: MLP = model) => {
    const before = snapshot(on);
    assert.throws(() => splitNeurons(on, options), { name, message });
    assert.deepEqual(snapshot(on), before);
  };

  it('rejects a bad alpha', () => {
    for (const alpha of [1.5, 1, 0, -2]) {
      fails(
        { alpha },
        'ConfigError',
        new RegExp(`FpeOptions\\.alpha: must be an integer >= 2 \\(children per neuron, e\\.g\\. alpha: 2\\), got ${alpha}`),
      );
    }
  });

  it('rejects alpha above a row non-zero count, naming the layer and row', () => {
    const mask = new Uint8Array(4 * 6).fill(1);
    mask.fill(0, 6, 9); // row 1 keeps 3 inputs
    const weight = Float32Array.from(mask, (m) => m * 0.5);
    const sparse = MLP.fromWeights(
      [
        { weight, mask, bias: new Float32Array(4), inFeatures: 6, outFeatures: 4 },
        {
          weight: Float32Array.from([1, 0, 0, 0, 0, 1, 1, 1]),
          mask: Uint8Array.from([1, 0, 0, 0, 0, 1, 1, 1]),
          bias: new Float32Array(2),
          inFeatures: 4,
          outFeatures: 2,
        },
        { weight: new Float32Array(4).fill(1), bias: new Float32Array(2), inFeatures: 2, outFeatures: 2 },
      ],
      {},
      engine,
    );
    fails(
      { alpha: 4 },
      'ConfigError',
      /^alpha 4 exceeds the 3 non-zero inputs of row 1 of layers\.0 \(hidden layer 0\); each child needs at least one input: lower alpha or leave layer 0 out of FpeOptions\.layers$/,
      sparse,
    );
    fails(
      { alpha: 2, layers: [1] },
      'ConfigError',
      /^alpha 2 exceeds the 1 non-zero inputs of row 0 of layers\.1 \(hidden layer 1\)/,
      sparse,
    );
    // split together with layer 0, row 0 of layer 1 holds 2 duplicated inputs: enough for alpha 2
    const r = splitNeurons(sparse, { alpha: 2 });
    assert.equal(r.model.nnz(), sparse.nnz());
    r.model.dispose();
    sparse.dispose();
  });

  it("rejects 'clause' without clauses or with a variable out of range", () => {
    fails(
      { strategy: 'clause' },
      'ConfigError',
      /^strategy 'clause' needs FpeOptions\.clauses \(the task's clause list, e\.g\. task\.clauses\)$/,
    );
    fails(
      { strategy: 'clause', clauses: [{ vars: [0, 1, 2] }, { vars: [3, 4, 10] }] },
      'ConfigError',
      /^FpeOptions\.clauses\[1\]\.vars\[2\] = 10 is not an input index of this MLP \(0\.\.7\)$/,
    );
    fails(
      { strategy: 'clause', clauses: [{ vars: [1.5] }] },
      'ConfigError',
      /FpeOptions\.clauses\[0\]\.vars\[0\] = 1\.5 is not an input index/,
    );
  });

  it('rejects layer indices that are not hidden layers', () => {
    fails({ layers: [1] }, 'ConfigError', /^FpeOptions\.layers\[0\] = 1 is not a hidden layer of this MLP; allowed hidden layers: 0\.\.0$/);
    fails({ layers: [0, 0] }, 'ConfigError', /^FpeOptions\.layers\[1\] = 0 is listed twice; allowed hidden layers: 0\.\.0$/);
    fails({ layers: [] }, 'ConfigError', /^FpeOptions\.layers lists no hidden layer to split; allowed hidden layers: 0\.\.0$/);
    fails({ layers: [-1] }, 'ConfigError', /FpeOptions\.layers\[0\]: .*>=0, got -1/);
    const linear = MLP.create({ sizes: [4, 2] }, engine);
    fails({}, 'ConfigError', /lists no hidden layer to split; allowed hidden layers: none: the model has no hidden layer/, linear);
    linear.dispose();
  });

  it('rejects unknown strategies, unknown keys and bad overlap factors', () => {
    fails(
      { strategy: 'kmeans' as 'gram' },
      'ConfigError',
      /FpeOptions\.strategy must be one of "random", "clause", "gram", "overlap", got "kmeans"/,
    );
    fails({ alfa: 2 } as FpeOptions, 'ConfigError', /unknown key 'FpeOptions\.alfa'; allowed keys: alpha, strategy, layers/);
    fails(
      { strategy: 'overlap', overlapFactor: 3 },
      'ConfigError',
      /^FpeOptions\.overlapFactor must be in \(1, alpha\] = \(1, 2\], got 3$/,
    );
    fails({ strategy: 'overlap', overlapFactor: 1 }, 'ConfigError', /FpeOptions\.overlapFactor: .*>1, got 1/);
  });

  it('rejects an optimizer that does not train the model', () => {
    const other = randomModel(engine, [8, 5, 3], { seed: 2 });
    const opt = createOptimizer(other, { kind: 'adam', lr: 0.01 });
    assert.throws(() => splitNeurons(model, {}, opt), {
      name: 'ShapeError',
      message:
        /^the optimizer's layers\.0\.weight\.adam_m holds 40 values but the model's layers\.0\.weight has 48; pass the optimizer that trains this model$/,
    });
    opt.dispose();
    other.dispose();
  });

  it('rejects a sparse-init budget out of range', () => {
    assert.throws(() => sparseInit({ sizes: [4, 2, 3], alpha: 2, nnz: 100 }, engine), {
      name: 'ConfigError',
      message: /^SparseInitConfig\.nnz must be in 2\.\.28 \(one per matrix up to the dense count of sizes \[4, 4, 3\]\), got 100$/,
    });
  });
});
