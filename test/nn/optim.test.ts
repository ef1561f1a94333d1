import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, Rng, ShapeError } from '../../src/engine/index.js';
import { createOptimizer, lossAndGradients, MLP, type OptimizerConfig, restoreOptimizer, trainStep } from '../../src/nn/index.js';
import { engineCases, randomArray, randomLabels, refEngine } from './helpers.js';

const CONFIGS: OptimizerConfig[] = [
  { kind: 'adam', lr: 0.05, weightDecay: 0.01 },
  { kind: 'adamw', lr: 0.05, weightDecay: 0.1 },
  { kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3 },
  { kind: 'sgd', lr: 0.1 },
];

for (const c of engineCases()) {
  describe(`optimizers keep the mask (${c.name})`, { skip: c.skip }, () => {
    for (const config of CONFIGS) {
      for (const path of ['csr', 'dense'] as const) {
        it(`${JSON.stringify(config)}, ${path} path: masked weights stay exactly 0 over 150 steps, state is compact`, () => {
          const model = MLP.create({ sizes: [8, 16, 12, 3], density: [0.3, 0.6, 0.5], seed: 2, path }, c.engine);
          const masks = model.layers.map((l) => l.mask());
          const opt = createOptimizer(model, config);
          const rng = new Rng(4);
          const batch = { x: randomArray(rng, 20 * 8), y: randomLabels(rng, 20, 3), size: 20 };
          const first = trainStep(model, opt, batch, 'cross-entropy');
          for (let s = 1; s < 150; s++) trainStep(model, opt, batch, 'cross-entropy');
          assert.ok(lossAndGradients(model, batch, 'cross-entropy') < first, 'training reduced the loss');
          model.layers.forEach((l, i) => {
            const w = l.weight();
            masks[i].forEach((m, j) => {
              if (m === 0) assert.equal(w[j], 0, `layers.${i} masked weight ${j}`);
            });
          });
          const state = opt.exportState();
          assert.equal(state.stepCount, 150);
          for (const [name, buf] of Object.entries(state.buffers)) {
            const layer = model.layers[Number(name.split('.')[1])];
            assert.equal(buf.length, name.includes('.weight.') ? layer.nnz : layer.outFeatures, `${name} is compact`);
          }
          assert.equal(Object.keys(state.buffers).length, model.layers.length * 2 * opt.slots.length);
          opt.dispose();
          model.dispose();
        });
      }
    }
  });
}

describe('optimizer semantics', () => {
  const engine = refEngine();
  const rng = new Rng(9);
  const batch = { x: randomArray(rng, 10 * 5), y: randomLabels(rng, 10, 3), size: 10 };

  it('fills in PyTorch defaults', () => {
    const model = MLP.create({ sizes: [5, 3] }, engine);
    assert.deepEqual(createOptimizer(model, { kind: 'adam', lr: 1e-3 }).config, {
      kind: 'adam',
      lr: 1e-3,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0,
    });
    assert.equal(createOptimizer(model, { kind: 'adamw', lr: 1e-3 }).config.weightDecay, 0.01);
    assert.deepEqual(createOptimizer(model, { kind: 'sgd', lr: 0.1 }).config, {
      kind: 'sgd',
      lr: 0.1,
      momentum: 0,
      weightDecay: 0,
      nesterov: false,
    });
    assert.deepEqual(createOptimizer(model, { kind: 'sgd', lr: 0.1 }).slots, []);
  });

  it('refuses bad configs with the key path and the allowed values', () => {
    const model = MLP.create({ sizes: [5, 3] }, engine);
    const bad: Array<[unknown, RegExp]> = [
      [{ kind: 'adagrad', lr: 1 }, /^unknown optimizer "adagrad" at OptimizerConfig\.kind; allowed: sgd, adam, adamw$/],
      [
        { kind: 'adam', lr: 1, momentum: 0.9 },
        /unknown key 'OptimizerConfig\.momentum'; allowed keys: kind, lr, beta1, beta2, eps, weightDecay/,
      ],
      [{ kind: 'adam', lr: -1 }, /OptimizerConfig\.lr: Too small: expected number to be >=0, got -1/],
      [{ kind: 'adamw', lr: 1, beta2: 1 }, /OptimizerConfig\.beta2: Too big: expected number to be <1, got 1/],
      [{ kind: 'sgd', lr: 1, nesterov: true }, /OptimizerConfig\.nesterov needs momentum > 0/],
    ];
    for (const [config, pattern] of bad) {
      assert.throws(
        () => createOptimizer(model, config as OptimizerConfig),
        (e) => e instanceof ConfigError && pattern.test(e.message),
        JSON.stringify(config),
      );
    }
  });

  it('SGD with momentum follows buf = m·buf + g, w -= lr·buf', () => {
    const model = MLP.create({ sizes: [5, 4, 3], density: 0.5, seed: 1 }, engine);
    const opt = createOptimizer(model, { kind: 'sgd', lr: 0.1, momentum: 0.5 });
    const l = model.layers[0];
    const w0 = l.weight();
    lossAndGradients(model, batch, 'cross-entropy');
    const g1 = l.weightGrad();
    opt.step();
    lossAndGradients(model, batch, 'cross-entropy');
    const g2 = l.weightGrad();
    opt.step();
    const w2 = l.weight();
    for (let i = 0; i < w0.length; i++) {
      const expected = w0[i] - 0.1 * g1[i] - 0.1 * (0.5 * g1[i] + g2[i]);
      assert.ok(Math.abs(w2[i] - expected) < 1e-6, `weight ${i}`);
    }
  });

  it('AdamW decays weights by (1 - lr·wd) when the gradient is zero; Adam (L2) does not', () => {
    const model = MLP.create({ sizes: [5, 4], density: 0.5, seed: 1 }, engine);
    const w0 = model.layers[0].weight();
    const adamw = createOptimizer(model, { kind: 'adamw', lr: 0.1, weightDecay: 0.2 });
    model.zeroGrad();
    adamw.step();
    for (const [i, v] of model.layers[0].weight().entries()) assert.ok(Math.abs(v - w0[i] * (1 - 0.02)) < 1e-7);
    const adam = createOptimizer(model, { kind: 'adam', lr: 0.1, weightDecay: 0.2 });
    const w1 = model.layers[0].weight();
    model.zeroGrad();
    adam.step();
    // L2 enters the gradient, so the first Adam step moves each weight by ~lr·sign(w)
    for (const [i, v] of model.layers[0].weight().entries())
      assert.ok(w1[i] === 0 ? v === 0 : Math.abs(v - (w1[i] - 0.1 * Math.sign(w1[i]))) < 1e-5);
  });

  it('exports and restores its state; refuses a state of another kind or shape', () => {
    const model = MLP.create({ sizes: [5, 4, 3], density: 0.5, seed: 1 }, engine);
    const opt = createOptimizer(model, { kind: 'adam', lr: 0.01 });
    for (let s = 0; s < 3; s++) trainStep(model, opt, batch, 'cross-entropy');
    const state = opt.exportState();
    const back = restoreOptimizer(model, state);
    assert.equal(back.stepCount, 3);
    assert.deepEqual(back.exportState(), state);
    const sgd = createOptimizer(model, { kind: 'sgd', lr: 0.1, momentum: 0.9 });
    assert.throws(
      () => sgd.importState(state),
      (e) => e instanceof ConfigError && /cannot import adam state into a sgd optimizer/.test(e.message),
    );
    const short = { ...state, buffers: { ...state.buffers, 'layers.1.bias.adam_v': new Float32Array(2) } };
    assert.throws(
      () => back.importState(short),
      (e) => e instanceof ShapeError && /layers\.1\.bias\.adam_v must be a Float32Array of 3 values, got 2/.test(e.message),
    );
    assert.equal(back.stepCount, 3, 'a refused import changes nothing');
    assert.throws(
      () => opt.step(Number.NaN),
      (e) => e instanceof ConfigError && /learning rate must be a finite number >= 0, got NaN/.test(e.message),
    );
  });
});
