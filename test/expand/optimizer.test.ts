import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Engine } from '../../src/engine/index.js';
import { splitNeurons } from '../../src/expand/index.js';
import { createOptimizer, expandCompact, fit, type MLP, type Optimizer, type OptimizerConfig } from '../../src/nn/index.js';
import { engineCases } from '../nn/helpers.js';
import { randomModel, snapshot, toyData } from './helpers.js';

const ALPHA = 2;

/** Checks that every state buffer of `child` is its parent's, entry by entry (1 hidden layer split by ALPHA). */
function assertInherited(parent: MLP, parentOpt: Optimizer, child: MLP, childOpt: Optimizer): void {
  const [ps, cs] = [parentOpt.exportState(), childOpt.exportState()];
  assert.deepEqual(cs.config, ps.config);
  assert.equal(cs.stepCount, ps.stepCount);
  assert.deepEqual(childOpt.slots, parentOpt.slots);
  child.layers.forEach((l, i) => {
    const p = parent.layers[i];
    const [rowDup, colDup] = i === 0 ? [ALPHA, 1] : [1, ALPHA];
    for (const s of parentOpt.slots) {
      const want = expandCompact(p.mask(), ps.buffers[`layers.${i}.weight.${s}`]);
      const got = expandCompact(l.mask(), cs.buffers[`layers.${i}.weight.${s}`]);
      const m = l.mask();
      for (let r = 0; r < l.outFeatures; r++) {
        for (let c = 0; c < l.inFeatures; c++) {
          if (!m[r * l.inFeatures + c]) continue;
          assert.equal(
            got[r * l.inFeatures + c],
            want[Math.floor(r / rowDup) * p.inFeatures + Math.floor(c / colDup)],
            `layers.${i} ${s} [${r}, ${c}]`,
          );
        }
      }
      const [pb, cb] = [ps.buffers[`layers.${i}.bias.${s}`], cs.buffers[`layers.${i}.bias.${s}`]];
      assert.deepEqual(
        cb,
        Float32Array.from({ length: l.outFeatures }, (_, r) => pb[Math.floor(r / rowDup)]),
      );
    }
  });
}

for (const c of engineCases()) {
  describe(`FPE and the optimizer (${c.name})`, { skip: c.skip }, () => {
    const engine = c.engine as Engine;
    const data = toyData(8, 3, 64, 1);
    const fitOptions = { batchSize: 16, loss: 'cross-entropy' as const, seed: 2 };

    for (const config of [
      { kind: 'adamw', lr: 0.01 },
      { kind: 'sgd', lr: 0.05, momentum: 0.9 },
    ] satisfies OptimizerConfig[]) {
      it(`carries ${config.kind} state of the surviving weights over, then trains with masks fixed`, () => {
        const parent = randomModel(engine, [8, 6, 3], { density: 0.7, seed: 3 });
        const { optimizer } = fit(parent, data, { ...fitOptions, epochs: 2, optimizer: config });
        const [parentBefore, stateBefore] = [snapshot(parent), optimizer.exportState()];
        const r = splitNeurons(parent, { alpha: ALPHA, strategy: 'random', seed: 1 }, optimizer);
        const next = r.optimizer as Optimizer;
        assert.ok(next.stepCount > 0);
        assertInherited(parent, optimizer, r.model, next);
        assert.deepEqual(snapshot(parent), parentBefore, 'the input model is untouched');
        assert.deepEqual(optimizer.exportState(), stateBefore, 'the input optimizer is untouched');

        // continue training: masked weights get no update and stay exactly zero
        const masks = r.model.layers.map((l) => l.mask());
        const weights = r.model.layers.map((l) => l.weight());
        const h = fit(r.model, data, { ...fitOptions, epochs: 3, optimizer: next });
        assert.ok(h.trainLoss.every(Number.isFinite));
        r.model.layers.forEach((l, i) => {
          assert.deepEqual(l.mask(), masks[i]);
          const w = l.weight();
          for (let e = 0; e < w.length; e++) if (!masks[i][e]) assert.equal(w[e], 0, `layers.${i} masked entry ${e}`);
          assert.notDeepEqual(w, weights[i], 'training moved the kept weights');
        });
        assert.equal(r.model.nnz(), parent.nnz());
        for (const x of [optimizer, next]) x.dispose();
        r.model.dispose();
        parent.dispose();
      });
    }

    it('starts the optimizer fresh with resetOptimizer', () => {
      const parent = randomModel(engine, [8, 6, 3], { seed: 4 });
      const { optimizer } = fit(parent, data, { ...fitOptions, epochs: 1, optimizer: { kind: 'adam', lr: 0.01 } });
      const r = splitNeurons(parent, { alpha: ALPHA, resetOptimizer: true }, optimizer);
      const state = (r.optimizer as Optimizer).exportState();
      assert.deepEqual(state.config, optimizer.config);
      assert.equal(state.stepCount, 0);
      for (const [name, buf] of Object.entries(state.buffers))
        assert.ok(
          buf.every((v) => v === 0),
          name,
        );
      assert.equal(Object.keys(state.buffers).length, 8, 'm and v for 2 weights and 2 biases');
      for (const x of [optimizer, r.optimizer as Optimizer]) x.dispose();
      r.model.dispose();
      parent.dispose();
    });

    it('applies at step 0 and returns no optimizer when none is given', () => {
      const parent = randomModel(engine, [8, 6, 3], { seed: 5 });
      const optimizer = createOptimizer(parent, { kind: 'adamw', lr: 0.01 });
      const r = splitNeurons(parent, { alpha: 3 }, optimizer);
      assert.equal(r.optimizer?.stepCount, 0);
      const bare = splitNeurons(parent, { alpha: 3 });
      assert.equal(bare.optimizer, undefined);
      for (const x of [optimizer, r.optimizer as Optimizer]) x.dispose();
      for (const m of [r.model, bare.model, parent]) m.dispose();
    });
  });
}
