import { ConfigError } from '../engine/index.js';
import type { ClauseVars } from '../tasks/index.js';
import { checkCount, checkMatrix } from './check.js';
import { checkClauses, coveredBy } from './collisions.js';

/** Sizes of `alpha` groups when r items are dealt round-robin: the first r mod alpha groups get one more. */
export function roundRobinGroupSizes(r: number, alpha: number): number[] {
  checkCount(r, 0, 'roundRobinGroupSizes r');
  checkCount(alpha, 1, 'roundRobinGroupSizes alpha');
  return Array.from({ length: alpha }, (_, j) => Math.floor(r / alpha) + (j < r % alpha ? 1 : 0));
}

/**
 * The exact probability that one group holds all of v given items when r items are shuffled and
 * dealt into groups of sizes g_1..g_α (Σ g_j = r): Σ_j C(r−v, g_j−v) / C(r, g_j), a group smaller
 * than v contributing 0. For a clause pair with v distinct variables in a row of r inputs, this is
 * the chance that a random split makes them collide in one child. Example:
 * `collisionProbability(32, 6, roundRobinGroupSizes(32, 2))`.
 */
export function collisionProbability(r: number, v: number, groupSizes: readonly number[]): number {
  checkCount(v, 1, 'collisionProbability v');
  checkCount(r, v, 'collisionProbability r (at least v)');
  let total = 0;
  let p = 0;
  for (const g of groupSizes) {
    checkCount(g, 0, 'collisionProbability group size');
    total += g;
    // C(r−v, g−v)/C(r, g) = Π_{t<v} (g − t)/(r − t): a product of v ratios, exact to float64 rounding
    let term = g >= v ? 1 : 0;
    for (let t = 0; t < v && term > 0; t++) term *= (g - t) / (r - t);
    p += term;
  }
  if (total !== r) {
    throw new ConfigError(`collisionProbability group sizes must add up to r = ${r}, got ${groupSizes.join(' + ')} = ${total}`, {
      where: 'collisionProbability groupSizes',
      got: groupSizes,
      allowed: `sum ${r}`,
    });
  }
  return p;
}

/** α^−(2k−1): the limit of collisionProbability for two disjoint k-literal clauses (v = 2k) as r grows. */
export function asymptoticCollisionProbability(alpha: number, k: number): number {
  checkCount(alpha, 1, 'asymptoticCollisionProbability alpha');
  checkCount(k, 1, 'asymptoticCollisionProbability k');
  return alpha ** -(2 * k - 1);
}

/** The random-split prediction of collisions, per parent unit and averaged. */
export interface ExpectedCollisions {
  /** [units]: expected colliding clause pairs over the children of each parent. */
  perParent: Float64Array;
  meanPerParent: number;
  /** meanPerParent / alpha: comparable with clauseCoverage(...).collisionsPerUnit of the split layer. */
  meanPerChild: number;
}

/**
 * Expected collisions after a random split of every unit of `mask` [units, inputs] (the parents,
 * non-zero = connected) into `alpha` children by shuffled round-robin dealing. Only a pair both
 * covered by the parent can collide in a child (a child's inputs are a subset of its parent's), with
 * probability collisionProbability(r, |vars(a) ∪ vars(b)|, roundRobinGroupSizes(r, alpha)), r the
 * parent's connected inputs. Example: `expectedCollisions(w1Before, h, n, task.clauses, 2).meanPerChild`.
 */
export function expectedCollisions(
  mask: ArrayLike<number>,
  units: number,
  inputs: number,
  clauses: readonly ClauseVars[],
  alpha: number,
): ExpectedCollisions {
  checkMatrix(mask, units, inputs, 'expectedCollisions mask');
  checkClauses(clauses, inputs, 'expectedCollisions');
  checkCount(alpha, 1, 'expectedCollisions alpha');
  const perParent = new Float64Array(units);
  for (let u = 0; u < units; u++) {
    let r = 0;
    for (let i = 0; i < inputs; i++) if (mask[u * inputs + i] !== 0) r++;
    const groups = roundRobinGroupSizes(r, alpha);
    const covered = coveredBy(mask, u, inputs, clauses);
    for (let i = 0; i < covered.length; i++) {
      for (let j = i + 1; j < covered.length; j++) {
        const v = new Set([...clauses[covered[i]].vars, ...clauses[covered[j]].vars]).size;
        perParent[u] += collisionProbability(r, v, groups);
      }
    }
  }
  const meanPerParent = perParent.reduce((a, b) => a + b, 0) / units;
  return { perParent, meanPerParent, meanPerChild: meanPerParent / alpha };
}
