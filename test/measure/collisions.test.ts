import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, Rng } from '../../src/engine/index.js';
import {
  asymptoticCollisionProbability,
  clauseCoverage,
  collisionProbability,
  expectedCollisions,
  roundRobinGroupSizes,
} from '../../src/measure/index.js';

/** Shuffles 0..r-1 and deals the positions round-robin into alpha groups, as FPE's random split does: [r] group of each item. */
function deal(rng: Rng, r: number, alpha: number): Int32Array {
  const order = rng.shuffle(Int32Array.from({ length: r }, (_, i) => i));
  const group = new Int32Array(r);
  order.forEach((item, position) => {
    group[item] = position % alpha;
  });
  return group;
}

/** Mean and standard error of `trials` draws of `f`. */
function monteCarlo(trials: number, f: () => number): { mean: number; se: number } {
  let s = 0;
  let s2 = 0;
  for (let t = 0; t < trials; t++) {
    const v = f();
    s += v;
    s2 += v * v;
  }
  const mean = s / trials;
  return { mean, se: Math.sqrt(Math.max(s2 / trials - mean * mean, 1e-12) / trials) };
}

describe('clause coverage and collisions', () => {
  it('counts covered clauses and colliding pairs on a hand case', () => {
    const clauses = [{ vars: [0, 1] }, { vars: [2, 3] }, { vars: [1, 4] }, { vars: [0, 5] }];
    // unit 0 covers clauses 0 and 1 (one pair), unit 1 covers clause 2, unit 2 nothing; clause 3 is uncovered
    const mask = new Uint8Array([1, 1, 1, 1, 0, 0, /**/ 0, 1, 0, 0, 1, 1, /**/ 0, 0, 0, 0, 0, 0]);
    const got = clauseCoverage(mask, 3, 6, clauses);
    assert.equal(got.coveredFraction, 3 / 4);
    assert.equal(got.collisionsPerUnit, 1 / 3);
    assert.deepEqual(Array.from(got.clausesPerUnit), [2, 1, 0]);
    assert.deepEqual(Array.from(got.unitsPerClause), [1, 1, 1, 0]);
  });

  it('reads a weight matrix as its non-zero pattern (−0 is not a connection)', () => {
    const w = new Float32Array([0.5, -2, 3, -0, /**/ 1, 1, 1, 1]);
    const got = clauseCoverage(w, 2, 4, [{ vars: [0, 1, 2] }, { vars: [1, 3] }, { vars: [0, 3] }]);
    assert.deepEqual(Array.from(got.clausesPerUnit), [1, 3]);
    assert.equal(got.collisionsPerUnit, (0 + 3) / 2);
  });

  it('refuses clauses with variables outside the inputs, and an empty clause list', () => {
    assert.throws(
      () => clauseCoverage(new Uint8Array(4), 1, 4, [{ vars: [0, 4] }]),
      (e) =>
        e instanceof ConfigError &&
        /^clauseCoverage clause 0 must list variables that are integers in \[0, 3\], got \[0,4\]$/.test(e.message),
    );
    assert.throws(
      () => clauseCoverage(new Uint8Array(4), 1, 4, []),
      (e) => e instanceof ConfigError && /^clauseCoverage needs a non-empty list of clauses/.test(e.message),
    );
  });
});

describe('random-split collision probability', () => {
  it('deals round-robin group sizes that differ by at most one', () => {
    assert.deepEqual(roundRobinGroupSizes(13, 3), [5, 4, 4]);
    assert.deepEqual(roundRobinGroupSizes(8, 2), [4, 4]);
    assert.deepEqual(roundRobinGroupSizes(2, 4), [1, 1, 0, 0]);
  });

  it('matches hand values, with groups smaller than v contributing 0', () => {
    const near = (a: number, b: number): boolean => Math.abs(a - b) < 1e-15;
    assert.ok(near(collisionProbability(4, 2, [2, 2]), 2 * ((2 * 1) / (4 * 3))));
    assert.ok(near(collisionProbability(5, 3, [3, 2]), (3 * 2 * 1) / (5 * 4 * 3)));
    assert.equal(collisionProbability(6, 6, [6, 0]), 1);
    assert.equal(collisionProbability(6, 4, [3, 3]), 0);
  });

  for (const [r, v, alpha] of [
    [8, 4, 2],
    [13, 3, 3],
    [10, 2, 4],
    [12, 6, 2],
  ] as const) {
    it(`agrees with a Monte Carlo simulation of shuffled round-robin dealing: r = ${r}, v = ${v}, alpha = ${alpha}`, () => {
      const rng = new Rng(r * 100 + v * 10 + alpha);
      const mc = monteCarlo(40000, () => {
        const group = deal(rng, r, alpha);
        for (let i = 1; i < v; i++) if (group[i] !== group[0]) return 0;
        return 1;
      });
      const exact = collisionProbability(r, v, roundRobinGroupSizes(r, alpha));
      assert.ok(Math.abs(mc.mean - exact) <= 4.5 * mc.se, `Monte Carlo ${mc.mean} ± ${mc.se}, exact ${exact}`);
    });
  }

  it('tends to alpha^−(2k−1) for disjoint clauses as r grows', () => {
    for (const [alpha, k] of [
      [2, 3],
      [4, 2],
      [3, 1],
    ]) {
      const limit = asymptoticCollisionProbability(alpha, k);
      assert.equal(limit, alpha ** (1 - 2 * k));
      let previous = Number.POSITIVE_INFINITY;
      for (const r of [60, 600, 6000, 600000]) {
        const gap = Math.abs(collisionProbability(r, 2 * k, roundRobinGroupSizes(r, alpha)) / limit - 1);
        assert.ok(gap < previous, `the gap shrinks with r (alpha ${alpha}, k ${k}, r ${r})`);
        previous = gap;
      }
      assert.ok(previous < 1e-4, `within 1e-4 at r = 600000: ${previous}`);
    }
  });

  it('refuses group sizes that do not add up to r, and v > r', () => {
    assert.throws(
      () => collisionProbability(10, 2, [4, 5]),
      (e) => e instanceof ConfigError && /^collisionProbability group sizes must add up to r = 10, got 4 \+ 5 = 9$/.test(e.message),
    );
    assert.throws(
      () => collisionProbability(3, 4, [3]),
      (e) => e instanceof ConfigError && /^collisionProbability r \(at least v\) must be an integer >= 4, got 3$/.test(e.message),
    );
  });
});

describe('expected collisions of a random split', () => {
  it('predicts the mean colliding pairs per child of a simulated split', () => {
    const [units, inputs, alpha] = [4, 16, 2];
    const rng = new Rng(11);
    const mask = Uint8Array.from({ length: units * inputs }, () => (rng.float() < 0.8 ? 1 : 0));
    const clauses = Array.from({ length: 12 }, () => ({ vars: [rng.int(8), 8 + rng.int(8)] }));
    const predicted = expectedCollisions(mask, units, inputs, clauses, alpha);
    assert.ok(Math.abs(predicted.meanPerChild * alpha - predicted.meanPerParent) < 1e-15);
    const child = new Uint8Array(units * alpha * inputs);
    const mc = monteCarlo(3000, () => {
      child.fill(0);
      for (let u = 0; u < units; u++) {
        const row: number[] = [];
        for (let i = 0; i < inputs; i++) if (mask[u * inputs + i]) row.push(i);
        const group = deal(rng, row.length, alpha);
        row.forEach((input, j) => {
          child[(u * alpha + group[j]) * inputs + input] = 1;
        });
      }
      return clauseCoverage(child, units * alpha, inputs, clauses).collisionsPerUnit;
    });
    assert.ok(predicted.meanPerChild > 0.05, `a case with collisions to predict: ${predicted.meanPerChild}`);
    assert.ok(
      Math.abs(mc.mean - predicted.meanPerChild) <= 4.5 * mc.se,
      `simulated ${mc.mean} ± ${mc.se}, predicted ${predicted.meanPerChild}`,
    );
  });
});
