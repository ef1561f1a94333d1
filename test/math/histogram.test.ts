import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { histogram, sharedBinEdges } from '../../src/math/histogram.js';
import { fixture } from './helpers.js';

describe('histograms', () => {
  it('counts like numpy.histogram (last bin closed)', () => {
    for (const c of fixture<{ values: number[]; edges: number[]; counts: number[] }[]>('histogram')) {
      assert.deepEqual(histogram(c.values, c.edges), c.counts);
    }
  });

  it('shares equal-width edges across groups and covers every value', () => {
    const edges = sharedBinEdges(
      [
        [0, 1],
        [2, 4],
      ],
      4,
    );
    assert.deepEqual(edges, [0, 1, 2, 3, 4]);
    assert.deepEqual(histogram([0, 1], edges), [1, 1, 0, 0]);
    assert.deepEqual(histogram([2, 4], edges), [0, 0, 1, 1]);
    assert.deepEqual(sharedBinEdges([[3, 3]], 2), [2.5, 3, 3.5]);
    assert.deepEqual(sharedBinEdges([[]]), []);
  });
});
