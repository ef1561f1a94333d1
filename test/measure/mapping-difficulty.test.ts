import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, ShapeError } from '../../src/engine/index.js';
import { mappingDifficulty } from '../../src/measure/index.js';

const oneHot = (n: number): Float32Array => Float32Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));

describe('mapping difficulty', () => {
  it('is 1 when every pair is equally far apart in input and output (and for any two samples)', () => {
    assert.equal(
      mappingDifficulty(
        oneHot(5),
        oneHot(5).map((v) => 3 * v),
        5,
        { pairs: 500 },
      ),
      1,
    );
    assert.equal(mappingDifficulty(new Float32Array([0, 1, 5, 2]), new Float32Array([7, -2]), 2), 1);
  });

  it('averages (dy / median dy) / (dx / max dx) over the pairs', () => {
    // 3 equidistant inputs and outputs 0, 1, 3: pair distances dy = 1, 3, 2 (median 2) with dx all
    // equal, so over many uniform pairs MD → mean(dy)/median(dy) = 2/2 = 1; with outputs 0, 1, 5:
    // dy = 1, 5, 4, median 4, mean 10/3 → MD = 5/6
    const x = oneHot(3);
    const md = mappingDifficulty(x, new Float32Array([0, 1, 5]), 3, { pairs: 60000, seed: 3 });
    assert.ok(Math.abs(md - 5 / 6) < 0.01, `${md}`);
  });

  it('is invariant to scaling x and y, and uses the L2 norm of multi-output differences', () => {
    const size = 40;
    const x = Float32Array.from({ length: size * 3 }, (_, i) => Math.sin(i * 1.7));
    const y = Float32Array.from({ length: size * 2 }, (_, i) => Math.cos(i * 0.9) ** 3);
    const md = mappingDifficulty(x, y, size);
    assert.ok(
      Math.abs(
        mappingDifficulty(
          x.map((v) => 4 * v),
          y.map((v) => 0.5 * v),
          size,
        ) - md,
      ) < 1e-12,
    );
    // a two-column output whose columns are y and 0 gives |dy|, the one-output case
    const y1 = Float32Array.from({ length: size }, (_, i) => y[2 * i]);
    const y2 = Float32Array.from({ length: size * 2 }, (_, i) => (i % 2 === 0 ? y[i] : 0));
    assert.equal(mappingDifficulty(x, y1, size), mappingDifficulty(x, y2, size));
  });

  it('is seeded, 0 for a constant map and NaN when every pair has identical inputs', () => {
    const size = 30;
    const x = Float32Array.from({ length: size * 2 }, (_, i) => Math.sin(i));
    const y = Float32Array.from({ length: size }, (_, i) => Math.cos(i * i));
    assert.equal(mappingDifficulty(x, y, size, { seed: 5 }), mappingDifficulty(x, y, size, { seed: 5 }));
    assert.notEqual(mappingDifficulty(x, y, size, { seed: 5 }), mappingDifficulty(x, y, size, { seed: 6 }));
    assert.equal(mappingDifficulty(x, new Float32Array(size), size), 0);
    assert.ok(Number.isNaN(mappingDifficulty(new Float32Array(size * 2), y, size)));
  });

  it('refuses fewer than two samples, bad pair counts and ragged arrays', () => {
    assert.throws(
      () => mappingDifficulty(new Float32Array(2), new Float32Array(1), 1),
      (e) => e instanceof ConfigError && /^mappingDifficulty size must be an integer >= 2, got 1$/.test(e.message),
    );
    assert.throws(
      () => mappingDifficulty(new Float32Array(4), new Float32Array(2), 2, { pairs: 0 }),
      /pairs must be an integer >= 1, got 0/,
    );
    assert.throws(
      () => mappingDifficulty(new Float32Array(5), new Float32Array(2), 2),
      (e) => e instanceof ShapeError && /^mappingDifficulty x must hold size x width values for size = 2, got 5$/.test(e.message),
    );
  });
});
