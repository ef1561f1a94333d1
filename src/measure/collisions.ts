import { ConfigError } from '../engine/index.js';
import type { ClauseVars } from '../tasks/index.js';
import { checkMatrix } from './check.js';

/** Which units cover which clauses (spec section 4). */
export interface ClauseCoverage {
  /** Fraction of clauses covered by at least one unit. */
  coveredFraction: number;
  /** Mean over all units of the number of clause pairs the unit covers both of (C(c_u, 2)). */
  collisionsPerUnit: number;
  /** [units]: clauses each unit covers. */
  clausesPerUnit: Int32Array;
  /** [clauses]: units covering each clause. */
  unitsPerClause: Int32Array;
}

/**
 * Clause coverage and collisions of a layer from its incoming connectivity `mask` [units, inputs]
 * row-major (non-zero = connected; a weight matrix works too): unit u covers clause a when it
 * connects to every variable of a, and two clauses collide in u when u covers both. Example:
 * `clauseCoverage(model.layers[0].weight(), units, n, task.clauses).collisionsPerUnit`.
 */
export function clauseCoverage(mask: ArrayLike<number>, units: number, inputs: number, clauses: readonly ClauseVars[]): ClauseCoverage {
  checkMatrix(mask, units, inputs, 'clauseCoverage mask');
  checkClauses(clauses, inputs, 'clauseCoverage');
  const clausesPerUnit = new Int32Array(units);
  const unitsPerClause = new Int32Array(clauses.length);
  let pairs = 0;
  for (let u = 0; u < units; u++) {
    const covered = coveredBy(mask, u, inputs, clauses);
    clausesPerUnit[u] = covered.length;
    for (const a of covered) unitsPerClause[a]++;
    pairs += (covered.length * (covered.length - 1)) / 2;
  }
  const coveredClauses = unitsPerClause.reduce((n, c) => n + (c > 0 ? 1 : 0), 0);
  return { coveredFraction: coveredClauses / clauses.length, collisionsPerUnit: pairs / units, clausesPerUnit, unitsPerClause };
}

/** Indices of the clauses whose every variable unit u connects to (mask row u non-zero). */
export function coveredBy(mask: ArrayLike<number>, u: number, inputs: number, clauses: readonly ClauseVars[]): number[] {
  const out: number[] = [];
  for (let a = 0; a < clauses.length; a++) if (clauses[a].vars.every((v) => mask[u * inputs + v] !== 0)) out.push(a);
  return out;
}

/** Throws ConfigError unless `clauses` is a non-empty list whose variables are integers in [0, inputs). */
export function checkClauses(clauses: readonly ClauseVars[], inputs: number, where: string): void {
  if (!Array.isArray(clauses) || clauses.length === 0) {
    throw new ConfigError(`${where} needs a non-empty list of clauses ({ vars: number[] }), got ${clauses?.length ?? clauses}`, {
      where: `${where} clauses`,
    });
  }
  clauses.forEach((c, a) => {
    const vars: readonly number[] | undefined = c?.vars;
    const ok = Array.isArray(vars) && vars.length > 0 && vars.every((v) => Number.isInteger(v) && v >= 0 && v < inputs);
    if (ok) return;
    throw new ConfigError(
      `${where} clause ${a} must list variables that are integers in [0, ${inputs - 1}], got ${JSON.stringify(c?.vars)}`,
      {
        where: `${where} clauses[${a}].vars`,
        got: c?.vars,
        allowed: `0..${inputs - 1}`,
      },
    );
  });
}

/**
 * Weighted clause collisions of each unit of a dense (or sparse) layer, for ranking units by
 * entanglement where the masks cannot (every unit of a dense layer covers every clause): clause
 * a's strength in unit u is s_a = Σ_{v in a} |w[u, v]|, the unit reads e_u = (Σ s)² / Σ s² clauses
 * (the participation ratio, 1..clauses), and its score is the e_u·(e_u − 1)/2 clause pairs that
 * would collide if it read e_u clauses equally. [units]; 0 for a unit with no clause weight.
 * Example: `weightedClauseCollisions(model.layers[0].weight(), h, n, task.clauses)`.
 */
export function weightedClauseCollisions(
  weight: ArrayLike<number>,
  units: number,
  inputs: number,
  clauses: readonly ClauseVars[],
): Float64Array {
  checkMatrix(weight, units, inputs, 'weightedClauseCollisions weight');
  checkClauses(clauses, inputs, 'weightedClauseCollisions');
  const out = new Float64Array(units);
  for (let u = 0; u < units; u++) {
    let [sum, squares] = [0, 0];
    for (const c of clauses) {
      const s = c.vars.reduce((t, v) => t + Math.abs(weight[u * inputs + v]), 0);
      sum += s;
      squares += s * s;
    }
    const e = squares > 0 ? (sum * sum) / squares : 0;
    out[u] = e > 1 ? (e * (e - 1)) / 2 : 0;
  }
  return out;
}
