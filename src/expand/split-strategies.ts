import type { Rng } from '../engine/index.js';
import type { ClauseVars } from '../tasks/index.js';

// Each strategy deals the r non-zero inputs `cols` of one row (input indices, ascending) into
// alpha groups, one per child, and returns them as alpha ascending index lists.

/** 'random': shuffle the row's inputs and deal them round-robin, so group sizes differ by at most 1. */
export function randomGroups(cols: Int32Array, alpha: number, rng: Rng): Int32Array[] {
  const shuffled = rng.shuffle(Int32Array.from(cols));
  return sorted(Array.from({ length: alpha }, (_, j) => shuffled.filter((_, t) => t % alpha === j)));
}

/**
 * 'clause': clauses from the highest Σ|w| over their variables to the lowest (ties: lower clause
 * index) each go whole to the child holding the fewest clause variables so far (ties: lower
 * child); a variable placed by a higher-scored clause stays. Only the row's non-zero inputs are
 * placed. The inputs in no clause are shuffled and each goes to the child holding the fewest
 * inputs so far (ties: lower child), which is round-robin when the clause part is balanced.
 */
export function clauseGroups(
  cols: Int32Array,
  weight: Float32Array,
  alpha: number,
  clauses: readonly ClauseVars[],
  rng: Rng,
): Int32Array[] {
  const child = new Int32Array(weight.length).fill(-1); // [in]: the child an input went to, -1 = not yet
  const inRow = new Uint8Array(weight.length);
  for (const c of cols) inRow[c] = 1;
  const score = clauses.map((c) => c.vars.reduce((s, v) => s + Math.abs(weight[v]), 0));
  const order = clauses.map((_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
  const clauseVars = new Array<number>(alpha).fill(0);
  for (const i of order) {
    const fresh = [...new Set(clauses[i].vars)].filter((v) => inRow[v] === 1 && child[v] < 0);
    if (fresh.length === 0) continue;
    const j = smallest(clauseVars);
    for (const v of fresh) child[v] = j;
    clauseVars[j] += fresh.length;
  }
  const total = [...clauseVars];
  for (const v of rng.shuffle(cols.filter((c) => child[c] < 0))) {
    const j = smallest(total);
    child[v] = j;
    total[j]++;
  }
  return Array.from({ length: alpha }, (_, j) => cols.filter((c) => child[c] === j));
}

/**
 * 'gram': `clusterOf` [in] gives each input's cluster (alpha clusters of the layer's Gram rows).
 * The row's inputs are grouped by cluster; balancing alpha clusters over alpha children is one
 * cluster per child, the largest to child 0 (ties: lower cluster id). A child gets no input when
 * the row meets fewer than alpha clusters.
 */
export function gramGroups(cols: Int32Array, alpha: number, clusterOf: Int32Array): Int32Array[] {
  const members = Array.from({ length: alpha }, (_, c) => cols.filter((v) => clusterOf[v] === c));
  return members
    .map((_, c) => c)
    .sort((a, b) => members[b].length - members[a].length || a - b)
    .map((c) => members[c]);
}

/**
 * 'overlap' (the paper's control): the 'random' partition, then each child adds inputs drawn
 * at random from the other groups until it holds g = min(r, ceil(overlapFactor·r/alpha)).
 * The groups still cover the row, and as alpha·g > r they must overlap.
 */
export function overlapGroups(cols: Int32Array, alpha: number, overlapFactor: number, rng: Rng): Int32Array[] {
  const g = Math.min(cols.length, Math.ceil((overlapFactor * cols.length) / alpha));
  return sorted(
    randomGroups(cols, alpha, rng).map((group) => {
      const mine = new Set(group);
      const extra = rng.shuffle(cols.filter((c) => !mine.has(c))).subarray(0, Math.max(0, g - group.length));
      return Int32Array.from([...group, ...extra]);
    }),
  );
}

/** Index of the smallest entry, the lowest index on ties. */
function smallest(a: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] < a[best]) best = i;
  return best;
}

function sorted(groups: Int32Array[]): Int32Array[] {
  return groups.map((g) => g.sort());
}
