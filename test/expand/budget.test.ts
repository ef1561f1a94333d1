import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngine } from '../../src/engine/index.js';
import { type MaskedLayer, pruneSmallest, splitNeurons } from '../../src/expand/index.js';
import { MLP } from '../../src/nn/index.js';

const engine = createEngine({ backend: 'ref' });

function layer(weight: number[], mask: number[], out: number, inF: number): MaskedLayer {
  return { weight: Float32Array.from(weight), mask: Uint8Array.from(mask), bias: new Float32Array(out), inFeatures: inF, outFeatures: out };
}

describe('budget restore', () => {
  it('pruneSmallest removes the globally smallest kept weights, lowest flat index first on ties', () => {
    // flat indices: layer 0 is 0..3 (row-major 2x2), layer 1 is 4..5; flat 1 is kept but exactly 0
    const layers = [layer([0.5, 0, 0.2, -0.2], [1, 1, 1, 1], 2, 2), layer([0.2, 0.1, 0, 0], [1, 1, 0, 0], 2, 2)];
    assert.deepEqual(pruneSmallest(layers, 4), Int32Array.from([1, 5, 2, 3]));
    assert.deepEqual(layers[0].mask, Uint8Array.from([1, 0, 0, 0]));
    assert.deepEqual(layers[0].weight, Float32Array.from([0.5, 0, 0, 0]));
    assert.deepEqual(layers[1].mask, Uint8Array.from([1, 0, 0, 0]));
    assert.deepEqual(layers[1].weight, Float32Array.from([0.2, 0, 0, 0]));
    assert.deepEqual(pruneSmallest(layers, 0), new Int32Array(0));
    assert.throws(() => pruneSmallest(layers, 3), /cannot prune 3 weights: the layers keep 2; prune an integer in 0\.\.2/);
  });

  it('splitNeurons restores the budget by global magnitude with the tie rule', () => {
    // W1 = [0.5, 0.3], W2 = [0.3; 0.9]. After the split W1' holds 0.5 and 0.3 in two child rows
    // and W2' = [0.3 0.3; 0.9 0.9]: two extra weights. Three weights tie at 0.3; the two with
    // the lowest flat index go: W1''s 0.3 (layer 0) and W2'[0, 0] (flat 4).
    const model = MLP.fromWeights(
      [
        { weight: Float32Array.from([0.5, 0.3]), bias: Float32Array.from([0.4]), inFeatures: 2, outFeatures: 1 },
        { weight: Float32Array.from([0.3, 0.9]), bias: new Float32Array(2), inFeatures: 1, outFeatures: 2 },
      ],
      {},
      engine,
    );
    for (const seed of [0, 1, 2, 3]) {
      const r = splitNeurons(model, { alpha: 2, seed });
      assert.equal(r.nnzAfterSplit, 6);
      assert.equal(r.pruned, 2);
      const first = r.splitMasks[0][0] === 1 ? 0 : 1; // the child that got input 0
      const w1 = new Float32Array(4);
      w1[first * 2] = 0.5;
      assert.deepEqual(r.model.layers[0].weight(), w1);
      assert.deepEqual(r.model.layers[1].weight(), Float32Array.from([0, 0.3, 0.9, 0.9]));
      assert.deepEqual(r.model.layers[0].bias(), Float32Array.from([0.2, 0.2]));
      assert.equal(r.model.nnz(), 4);
      r.model.dispose();
    }
    model.dispose();
  });
});
