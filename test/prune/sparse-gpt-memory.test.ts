import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pruneLinearLayer, splitRows } from '../../src/interop/index.js';
import { sparseGptPrune } from '../../src/prune/index.js';
import { correlatedInputs, randomLayer } from './helpers.js';

/**
 * Runs `run` with the global Float64Array replaced by a subclass that records the length of every
 * float64 buffer made (new, from, slice, map), and returns how many had at least `min` elements.
 * The count bounds how many such buffers can be alive at once: the peak memory of SparseGPT on a
 * wide layer is that count times in² · 8 bytes (0.97 GB each at in = 11008), so a new copy of the
 * Hessian shows here at any size, without timing or measuring a process.
 */
function countFloat64(min: number, run: () => void): number {
  const native = globalThis.Float64Array;
  let big = 0;
  class Counting extends native {
    // biome-ignore lint/suspicious/noExplicitAny: forwards every TypedArray constructor form
    constructor(...args: any[]) {
      super(...(args as []));
      if (this.length >= min) big++;
    }
  }
  globalThis.Float64Array = Counting as Float64ArrayConstructor;
  try {
    run();
  } finally {
    globalThis.Float64Array = native;
  }
  return big;
}

describe('SparseGPT memory', () => {
  // out·in and rows·in stay below in², so only a Hessian-sized buffer counts
  const [out, inF, rows] = [12, 64, 40];
  const layer = randomLayer(out, inF, 3);
  const cal = correlatedInputs(rows, inF, 4);

  it('the counter sees Float64Array made by the code under test (new and from)', () => {
    const n = countFloat64(inF * inF, () => {
      new Float64Array(inF * inF);
      Float64Array.from(new Float32Array(inF * inF));
      new Float64Array(inF * inF - 1);
    });
    assert.equal(n, 2);
  });

  for (const target of [{ sparsity: 0.5 }, { nm: { n: 2, m: 4 } }]) {
    it(`sparseGptPrune makes one [in, in] float64 matrix: the Hessian, factored in place (${JSON.stringify(target)})`, () => {
      const plain = sparseGptPrune(layer, cal, target);
      let counted: ReturnType<typeof sparseGptPrune> | undefined;
      const n = countFloat64(inF * inF, () => {
        counted = sparseGptPrune(layer, cal, target);
      });
      assert.equal(n, 1, `${n} float64 buffers of >= in² elements (each 0.97 GB at in = 11008; 4 GiB holds at most 4)`);
      assert.deepEqual(counted, plain, 'the counting allocator changes nothing');
    });
  }

  it('the one-layer path (pruneLinearLayer with its held-out error) makes one [in, in] float64 matrix', () => {
    const x = correlatedInputs(rows, inF, 5).x;
    const split = splitRows(x, rows, inF, 0.25);
    const linear = { ...layer, bias: null, weightName: 'w', biasName: null, dtype: 'F16' as const, biasDType: null };
    const n = countFloat64(inF * inF, () => {
      const r = pruneLinearLayer(linear, split, { sparsity: 0.5 });
      assert.equal(r.nnzAfter, (out * inF) / 2);
    });
    assert.equal(n, 1);
  });
});
