import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reconstructionError, sparseGptPrune } from '../../src/prune/index.js';
import { correlatedInputs, kept, randomLayer } from './helpers.js';

describe('sparseGptPrune', () => {
  const l = randomLayer(10, 24, 1);
  const cal = correlatedInputs(80, 24, 2);

  it('prunes exactly round(s·out·in) weights for any block size, zeros exactly where masked', () => {
    for (const blockSize of [1, 5, 8, 24, 128]) {
      for (const s of [0, 0.3, 0.5, 0.9]) {
        const { mask, weight } = sparseGptPrune(l, cal, { sparsity: s, blockSize });
        assert.equal(kept(mask), 240 - Math.round(s * 240), `B ${blockSize}, s ${s}`);
        weight.forEach((w, i) => {
          if (!mask[i]) assert.equal(w, 0);
        });
      }
    }
  });

  it('leaves the weights alone at sparsity 0', () => {
    assert.deepEqual(sparseGptPrune(l, cal, { sparsity: 0 }).weight, l.weight);
  });

  it('N:M keeps exactly n of every m inputs per row', () => {
    for (const [n, m, blockSize] of [
      [2, 4, 128],
      [2, 4, 8],
      [1, 3, 6],
      [4, 8, 24],
    ]) {
      const { mask } = sparseGptPrune(l, cal, { nm: { n, m }, blockSize });
      for (let g = 0; g < 240; g += m) assert.equal(kept(mask, g, g + m), n, `${n}:${m} group ${g}`);
    }
  });

  it('keeps existing zeros at zero', () => {
    const mask = Uint8Array.from({ length: 240 }, (_, i) => (i % 7 === 3 ? 0 : 1));
    const masked = { ...l, weight: l.weight.map((w, i) => (mask[i] ? w : 0)), mask };
    for (const target of [{ sparsity: 0.1 }, { sparsity: 0.6 }, { nm: { n: 2, m: 4 } }]) {
      const got = sparseGptPrune(masked, cal, { ...target, blockSize: 8 });
      mask.forEach((k, i) => {
        if (!k) assert.equal(got.mask[i], 0);
        if (!k) assert.equal(got.weight[i], 0);
      });
    }
    // 10% is below the 35 masked entries: nothing else is pruned
    assert.equal(kept(sparseGptPrune(masked, cal, { sparsity: 0.1 }).mask), kept(mask));
  });

  it('zeroes the weights of inputs the calibration never saw (diag H = 0)', () => {
    const x = cal.x.map((v, i) => (i % 24 === 7 ? 0 : v));
    const { weight } = sparseGptPrune(l, { x, size: 80 }, { sparsity: 0.25 });
    for (let r = 0; r < 10; r++) assert.equal(weight[r * 24 + 7], 0);
  });

  it('one pruned input gets the exact least-squares fix of the others (OBS, percdamp 0)', () => {
    // one row whose mask drops input 0 while the weight still holds it: the optimum of
    // ||wX − w'X|| over the other inputs is w'_rest = w_rest + w_0·(X_restᵀX_rest)⁻¹X_restᵀx_0
    const weight = l.weight.slice(0, 6);
    const x6 = correlatedInputs(40, 6, 3);
    const mask = Uint8Array.from([0, 1, 1, 1, 1, 1]);
    const got = sparseGptPrune({ weight, mask, inFeatures: 6, outFeatures: 1 }, x6, { sparsity: 0, percdamp: 0 });
    const want = leastSquaresFix(weight, x6.x, 40, 6);
    got.weight.forEach((w, i) => {
      assert.ok(Math.abs(w - want[i]) < 1e-4 * (1 + Math.abs(want[i])), `w[${i}] ${w} vs ${want[i]}`);
    });
    const dropped = weight.map((w, i) => (i === 0 ? 0 : w));
    const layer = { weight, inFeatures: 6, outFeatures: 1 };
    assert.ok(reconstructionError(layer, got.weight, x6) < reconstructionError(layer, dropped, x6));
  });
});

/** w' with w'_0 = 0 minimising ||(w − w')Xᵀ||, by Gaussian elimination on the normal equations over inputs 1..k−1. */
function leastSquaresFix(w: Float32Array, x: Float32Array, n: number, k: number): number[] {
  const d = k - 1;
  const a = Array.from({ length: d }, () => new Array<number>(d + 1).fill(0));
  for (let t = 0; t < n; t++) {
    const row = x.subarray(t * k, (t + 1) * k);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) a[i][j] += row[i + 1] * row[j + 1];
      a[i][d] += row[i + 1] * row[0] * w[0];
    }
  }
  for (let c = 0; c < d; c++) {
    for (let r = c + 1; r < d; r++) {
      const f = a[r][c] / a[c][c];
      for (let j = c; j <= d; j++) a[r][j] -= f * a[c][j];
    }
  }
  const delta = new Array<number>(d).fill(0);
  for (let r = d - 1; r >= 0; r--) {
    let s = a[r][d];
    for (let j = r + 1; j < d; j++) s -= a[r][j] * delta[j];
    delta[r] = s / a[r][r];
  }
  return [0, ...delta.map((v, i) => w[i + 1] + v)];
}
