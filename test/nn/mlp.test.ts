import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, NumericError, Rng, ShapeError } from '../../src/engine/index.js';
import { MLP } from '../../src/nn/index.js';
import { assertSameBits } from '../engine/kernel-fixture.js';
import { engineCases, forward64, params64, randomArray, refEngine } from './helpers.js';

describe('MLP config validation', () => {
  const engine = refEngine();
  const cases: Array<[string, unknown, RegExp]> = [
    ['negative size', { sizes: [3, -2, 4] }, /^invalid MlpConfig: MlpConfig\.sizes\[1\]: Too small: expected number to be >=1, got -2$/],
    ['non-integer size', { sizes: [3, 4.5, 2] }, /MlpConfig\.sizes\[1\]: .*expected int.*got 4\.5/],
    ['too few sizes', { sizes: [3] }, /MlpConfig\.sizes: Too small: expected array to have >=2 items, got \[3\]/],
    [
      'unknown activation',
      { sizes: [3, 2], activation: 'tanh' },
      /MlpConfig\.activation must be one of "identity", "relu", "gelu", "sigmoid", got "tanh"/,
    ],
    [
      'unknown key',
      { sizes: [3, 2], dropout: 0.1 },
      /unknown key 'MlpConfig\.dropout'; allowed keys: sizes, activation, density, seed, path/,
    ],
    ['density out of range', { sizes: [3, 2], density: 0 }, /MlpConfig\.density: Too small: expected number to be >0, got 0/],
    ['density per matrix', { sizes: [3, 4, 2], density: [0.5] }, /MlpConfig\.density has 1 entries but sizes define 2 weight matrices/],
  ];
  for (const [name, config, pattern] of cases) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => MLP.create(config as never, engine),
        (e) => e instanceof ConfigError && pattern.test(e.message),
      );
    });
  }
});

describe('MLP structure', () => {
  const engine = refEngine();

  it('counts non-zero weights and is deterministic in its seed', () => {
    const a = MLP.create({ sizes: [10, 20, 5], density: [0.25, 0.5], seed: 4 }, engine);
    const b = MLP.create({ sizes: [10, 20, 5], density: [0.25, 0.5], seed: 4 }, engine);
    const c = MLP.create({ sizes: [10, 20, 5], density: [0.25, 0.5], seed: 5 }, engine);
    assert.equal(a.nnz(), 50 + 50);
    assert.deepEqual(a.sizes(), [10, 20, 5]);
    assert.deepEqual(
      a.layers.map((l) => l.weight()),
      b.layers.map((l) => l.weight()),
    );
    assert.notDeepEqual(a.layers[0].mask(), c.layers[0].mask());
    assert.deepEqual(
      a.params().map((p) => p.name),
      ['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias'],
    );
    for (const m of [a, b, c]) m.dispose();
  });

  it('fromWeights rebuilds a model and names the bad layer', () => {
    const src = MLP.create({ sizes: [4, 6, 3], density: 0.5, activation: 'gelu', seed: 1 }, engine);
    const layers = src.layers.map((l) => ({
      weight: l.weight(),
      mask: l.mask(),
      bias: l.bias(),
      inFeatures: l.inFeatures,
      outFeatures: l.outFeatures,
    }));
    const copy = MLP.fromWeights(layers, { activation: 'gelu' }, engine);
    const x = randomArray(new Rng(2), 5 * 4);
    assert.deepEqual(copy.predict(x, 5), src.predict(x, 5));
    const bad = layers.map((l) => ({ ...l, weight: l.weight.slice() }));
    const masked = bad[1].mask.indexOf(0);
    bad[1].weight[masked] = 0.5;
    assert.throws(
      () => MLP.fromWeights(bad, { activation: 'gelu' }, engine),
      (e) =>
        e instanceof ShapeError &&
        /^layers\.1: setWeight: weight\[\d+, \d+\] = 0\.5 but the mask is 0/.test(e.message) &&
        // a new error naming the layer; the original, unchanged, is its cause
        e.cause instanceof ShapeError &&
        /^setWeight: /.test(e.cause.message),
    );
    const mismatch = [layers[0], { ...layers[1], inFeatures: 5, weight: new Float32Array(15), mask: undefined }];
    assert.throws(
      () => MLP.fromWeights(mismatch, {}, engine),
      (e) => e instanceof ShapeError && /layers\.1 has 5 inputs but layers\.0 has 6 outputs/.test(e.message),
    );
    assert.throws(
      () => MLP.fromWeights(layers, { activation: 'tanh' as 'relu' }, engine),
      (e) => e instanceof ConfigError && /allowed: identity, relu, gelu, sigmoid/.test(e.message),
    );
    for (const m of [src, copy]) m.dispose();
  });

  it('predict refuses wrong shapes and non-finite inputs', () => {
    const m = MLP.create({ sizes: [3, 4, 2] }, engine);
    assert.throws(
      () => m.predict(new Float32Array(7), 2),
      (e) => e instanceof ShapeError && /x must be a Float32Array of batch x in = 2 x 3 = 6 values, got 7/.test(e.message),
    );
    const x = new Float32Array(6);
    x[4] = Number.POSITIVE_INFINITY;
    assert.throws(
      () => m.predict(x, 2),
      (e) => e instanceof NumericError && /x\[1, 1\] is Infinity; inputs must be finite/.test(e.message),
    );
    assert.throws(
      () => m.predict(new Float32Array(0), 0),
      (e) => e instanceof ShapeError && /batch must be an integer >= 1, got 0/.test(e.message),
    );
    m.dispose();
  });
});

for (const c of engineCases()) {
  describe(`MLP.predict (${c.name})`, { skip: c.skip }, () => {
    for (const activation of ['relu', 'gelu', 'sigmoid', 'identity'] as const) {
      it(`matches a float64 forward (${activation}) on both paths and several batch sizes`, () => {
        for (const path of ['csr', 'dense'] as const) {
          const m = MLP.create({ sizes: [9, 12, 8, 4], activation, density: 0.4, seed: 6, path }, c.engine);
          const p = params64(m);
          for (const batch of [1, 3, 37]) {
            const x = randomArray(new Rng(batch), batch * 9);
            const got = m.predict(x, batch);
            const want = forward64(p, activation, x, batch);
            assert.equal(got.length, batch * 4);
            for (let i = 0; i < got.length; i++)
              assert.ok(Math.abs(got[i] - want[i]) < 1e-5, `${path} batch ${batch} [${i}]: ${got[i]} vs ${want[i]}`);
          }
          m.dispose();
        }
      });
    }
  });
}

for (const c of engineCases()) {
  describe(`MLP.forward with forBackward (${c.name})`, { skip: c.skip }, () => {
    it('gives the same logits and gradients, to the bit, as a forward without it', () => {
      const m = MLP.create({ sizes: [9, 40, 30, 4], activation: 'relu', density: 0.3, seed: 8, path: 'csr' }, c.engine);
      const batch = 48;
      const rng = new Rng(4);
      const x = randomArray(rng, batch * 9);
      const dLogits = randomArray(rng, 4 * batch);
      const pass = (forBackward: boolean) => {
        m.zeroGrad();
        const ws = m.forward(x, batch, { forBackward });
        const logits = ws.logits.data.slice();
        ws.dz[ws.dz.length - 1].data.set(dLogits);
        m.backward(ws);
        return [logits, ...m.params().map((p) => p.grad.data.slice())];
      };
      const [plain, kept] = [pass(false), pass(true)];
      for (const [i, want] of plain.entries()) assertSameBits(kept[i], want, `output ${i}`);
      m.dispose();
    });
  });
}
