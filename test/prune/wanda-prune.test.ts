import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { magnitudePrune, wandaPrune } from '../../src/prune/index.js';
import { correlatedInputs, kept, randomLayer } from './helpers.js';

describe('wandaPrune', () => {
  it('input norms flip the choice magnitude makes (hand case)', () => {
    // one row, W = [1, 2]; input 0 has norm 5 (samples 3, 4), input 1 norm 1 (samples 0, 1):
    // magnitude keeps w1 (|2| > |1|), Wanda keeps w0 (1·5 > 2·1)
    const l = { weight: Float32Array.from([1, 2]), inFeatures: 2, outFeatures: 1 };
    const calibration = { x: Float32Array.from([3, 0, 4, 1]), size: 2 };
    assert.deepEqual(Array.from(magnitudePrune(l, { sparsity: 0.5 }).mask), [0, 1]);
    const w = wandaPrune(l, calibration, { sparsity: 0.5 });
    assert.deepEqual(Array.from(w.mask), [1, 0]);
    assert.deepEqual(Array.from(w.weight), [1, 0]);
  });

  it('compares within each output row: every row keeps exactly in − round(s·in)', () => {
    const l = randomLayer(9, 20, 1);
    const cal = correlatedInputs(50, 20, 2);
    for (const s of [0, 0.25, 0.5, 0.9]) {
      const { mask, weight } = wandaPrune(l, cal, { sparsity: s });
      for (let r = 0; r < 9; r++) assert.equal(kept(mask, r * 20, (r + 1) * 20), 20 - Math.round(s * 20), `row ${r} at ${s}`);
      weight.forEach((w, i) => {
        assert.equal(w, mask[i] ? l.weight[i] : 0);
      });
    }
  });

  it('N:M keeps the n best-scored of every m inputs; existing zeros stay zero', () => {
    const l = randomLayer(4, 8, 3);
    const mask = new Uint8Array(32).fill(1);
    mask[0] = 0;
    mask[1] = 0;
    mask[9] = 0;
    l.weight = l.weight.map((w, i) => (mask[i] ? w : 0));
    l.mask = mask;
    const cal = correlatedInputs(30, 8, 4);
    const got = wandaPrune(l, cal, { nm: { n: 2, m: 4 } });
    for (let g = 0; g < 32; g += 4) assert.equal(kept(got.mask, g, g + 4), 2);
    for (const i of [0, 1, 9]) assert.equal(got.mask[i], 0);
    const un = wandaPrune(l, cal, { sparsity: 0.25 });
    for (const i of [0, 1, 9]) assert.equal(un.mask[i], 0);
    // row 0 already has 2 of 8 masked = 0.25; no other entry of it goes
    assert.equal(kept(un.mask, 0, 8), 6);
  });
});
