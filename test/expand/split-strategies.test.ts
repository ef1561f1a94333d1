import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngine, Rng } from '../../src/engine/index.js';
import { splitNeurons } from '../../src/expand/index.js';
import { MLP } from '../../src/nn/index.js';
import { count, randomModel } from './helpers.js';

const engine = createEngine({ backend: 'ref' });

/** The input indices of each child row of split layer 0, as lists. */
function groups(mask: Uint8Array, inF: number): number[][] {
  return Array.from({ length: mask.length / inF }, (_, r) =>
    [...mask.subarray(r * inF, (r + 1) * inF).keys()].filter((c) => mask[r * inF + c]),
  );
}

/** A one-hidden-layer MLP with the given first-layer weights (zero = masked) and a dense second layer. */
function handModel(w1: number[][], out = 2): MLP {
  const [h, inF] = [w1.length, w1[0].length];
  const weight = Float32Array.from(w1.flat());
  return MLP.fromWeights(
    [
      {
        weight,
        mask: Uint8Array.from(weight, (v) => (v !== 0 ? 1 : 0)),
        bias: new Float32Array(h).fill(0.5),
        inFeatures: inF,
        outFeatures: h,
      },
      { weight: new Float32Array(out * h).fill(1), bias: new Float32Array(out), inFeatures: h, outFeatures: out },
    ],
    {},
    engine,
  );
}

describe('split strategies', () => {
  it('clause: whole clauses by score, placed variables stay, free inputs balance the children', () => {
    const clauses = [{ vars: [0, 1, 2] }, { vars: [2, 3, 4] }, { vars: [5, 6] }];
    // row 0 scores A 9 > B 5 > C 4: A -> child 0, B's 3 and 4 -> child 1 (2 stays), C -> child 1
    // (2 clause vars < 3), free input 7 -> child 0 (3 < 4 inputs).
    // row 1 masks inputs 5 and 6 and scores B 6.1 > A 0.3 > C 0: B -> child 0, A's 0 and 1 ->
    // child 1, C has no input in the row, free input 7 -> child 1.
    const model = handModel([
      [3, 3, 3, 1, 1, 2, 2, 0.1],
      [0.1, 0.1, 0.1, 3, 3, 0, 0, 1],
    ]);
    const r = splitNeurons(model, { strategy: 'clause', clauses });
    assert.deepEqual(groups(r.splitMasks[0], 8), [
      [0, 1, 2, 7],
      [3, 4, 5, 6],
      [2, 3, 4],
      [0, 1, 7],
    ]);
    r.model.dispose();
    model.dispose();
  });

  it('clause: disjoint clauses each stay within one child', () => {
    const clauses = Array.from({ length: 4 }, (_, i) => ({ vars: [3 * i, 3 * i + 1, 3 * i + 2] }));
    const model = randomModel(engine, [14, 8, 4], { seed: 3 });
    const r = splitNeurons(model, { alpha: 2, strategy: 'clause', clauses });
    for (const g of groups(r.splitMasks[0], 14)) {
      for (const c of clauses)
        assert.ok([0, 3].includes(c.vars.filter((v) => g.includes(v)).length), `clause ${c.vars} is not cut in ${g}`);
      assert.equal(g.length, 7, 'two clauses and one free input per child');
    }
    r.model.dispose();
    model.dispose();
  });

  it('random: group sizes differ by at most one', () => {
    const model = randomModel(engine, [23, 6, 3], { density: 0.7, seed: 8 });
    for (const alpha of [2, 3, 4]) {
      const r = splitNeurons(model, { alpha, seed: alpha });
      const sizes = groups(r.splitMasks[0], 23).map((g) => g.length);
      for (let p = 0; p < 6; p++) {
        const mine = sizes.slice(p * alpha, (p + 1) * alpha);
        assert.ok(Math.max(...mine) - Math.min(...mine) <= 1, `${mine}`);
      }
      r.model.dispose();
    }
    model.dispose();
  });

  it('overlap: every child holds ceil(overlapFactor·r/alpha) of the row, covering it with overlap', () => {
    const model = randomModel(engine, [12, 5, 3], { density: 0.6, seed: 2 });
    for (const [alpha, overlapFactor] of [
      [2, 1.5],
      [3, 2],
      [2, 2],
    ]) {
      const r = splitNeurons(model, { alpha, strategy: 'overlap', overlapFactor, seed: 4 });
      const mask = model.layers[0].mask();
      groups(r.splitMasks[0], 12).forEach((g, child) => {
        const rowNnz = count(mask.subarray(Math.floor(child / alpha) * 12, (Math.floor(child / alpha) + 1) * 12));
        assert.equal(g.length, Math.min(rowNnz, Math.ceil((overlapFactor * rowNnz) / alpha)));
      });
      assert.equal(r.model.nnz(), model.nnz());
      r.model.dispose();
    }
    model.dispose();
  });

  it('gram with abs-cosine: inputs that feed the same neurons stay together', () => {
    // inputs 0-2 feed neurons 0-1 and inputs 3-5 feed neurons 2-3, so G = W1ᵀW1 is block diagonal
    // and the two clusters are {0, 1, 2} and {3, 4, 5}
    const big = [0.9, -0.8, 0.7];
    const w1 = [0, 1, 2, 3].map((n) => [0, 1, 2, 3, 4, 5].map((c) => (n < 2 === c < 3 ? big[c % 3] * (n % 2 ? 1 : -1) : 0.01 * (c + 1))));
    const model = handModel(w1);
    for (const seed of [0, 1, 2]) {
      const r = splitNeurons(model, { strategy: 'gram', gramDistance: 'abs-cosine', seed });
      assert.deepEqual(
        groups(r.splitMasks[0], 6),
        [0, 1, 2, 3].flatMap(() => [
          [0, 1, 2],
          [3, 4, 5],
        ]),
      );
      r.model.dispose();
    }
    // signed cosine (the default): inputs 0 and 1 have opposite Gram rows (weights of opposite sign), so they part
    const signed = splitNeurons(model, { strategy: 'gram' });
    assert.deepEqual(groups(signed.splitMasks[0], 6).slice(0, 2), [
      [0, 2, 4],
      [1, 3, 5],
    ]);
    signed.model.dispose();
    model.dispose();
  });

  it('uses a caller Rng and advances it', () => {
    const model = randomModel(engine, [10, 4, 2], { seed: 1 });
    const rng = new Rng(3);
    const a = splitNeurons(model, { seed: rng });
    const b = splitNeurons(model, { seed: rng });
    assert.notDeepEqual(a.splitMasks, b.splitMasks);
    for (const r of [a, b]) r.model.dispose();
    model.dispose();
  });
});
