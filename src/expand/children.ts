import { ConfigError } from '../engine/index.js';

/** Options of allocateChildren. */
export interface AllocateChildrenOptions {
  /** Fraction of the units that are split, the most entangled first; in (0, 1], default 0.5. */
  fraction?: number;
  /** Per unit: the most children it can have (its non-zero inputs); default unbounded. */
  limit?: ArrayLike<number>;
}

/**
 * Children counts for a selective split of `scores.length` units into `total` children in all
 * (FPE's alpha·h, so the width matches the uniform split): the top ceil(fraction·h) units by
 * score (ties: the lower unit) are split, the others keep 1 child (stay whole). Each split unit
 * gets 2 children, and the children left over go to the split units in proportion to their
 * scores by largest remainder (ties: the lower unit), never past `limit`; more entangled units
 * get more children. Example: `allocateChildren([3, 1, 0, 2], 8)` is [3, 1, 1, 3].
 */
export function allocateChildren(scores: ArrayLike<number>, total: number, options: AllocateChildrenOptions = {}): Int32Array {
  const h = scores.length;
  const fraction = options.fraction ?? 0.5;
  const fail = (message: string, where: string, got: unknown, allowed: string): never => {
    throw new ConfigError(`allocateChildren: ${message}`, { where: `allocateChildren.${where}`, got, allowed });
  };
  if (!(fraction > 0 && fraction <= 1)) fail(`fraction must be in (0, 1], got ${fraction}`, 'fraction', fraction, '(0, 1]');
  for (let u = 0; u < h; u++)
    if (!Number.isFinite(scores[u])) fail(`scores[${u}] is ${scores[u]}, not a finite number`, `scores[${u}]`, scores[u], 'finite numbers');
  const limit = Array.from({ length: h }, (_, u) => options.limit?.[u] ?? Number.POSITIVE_INFINITY);
  const order = Array.from({ length: h }, (_, u) => u).sort((a, b) => scores[b] - scores[a] || a - b);
  const chosen = order.slice(0, Math.ceil(fraction * h)).filter((u) => limit[u] >= 2);
  const counts = new Int32Array(h).fill(1);
  const room = chosen.reduce((s, u) => s + Math.min(limit[u], Number.MAX_SAFE_INTEGER) - 1, 0);
  if (!Number.isInteger(total) || total < h || total - h > room) {
    fail(
      `total ${total} children cannot be placed: ${h} units and room for ${room} more in the ${chosen.length} split units`,
      'total',
      total,
      `${h}..${h + room}`,
    );
  }
  let left = total - h;
  for (const u of chosen) if (left > 0) [counts[u], left] = [2, left - 1];
  // the rest in proportion to the (non-negative) scores, capped by the limits; repeat while a cap bit
  while (left > 0) {
    const open = chosen.filter((u) => counts[u] < limit[u]);
    const weight = open.map((u) => Math.max(0, scores[u]));
    const sum = weight.reduce((s, w) => s + w, 0);
    const share = open.map((_, i) => (sum > 0 ? (left * weight[i]) / sum : left / open.length));
    const give = share.map((s, i) => Math.min(Math.floor(s), limit[open[i]] - counts[open[i]]));
    const byRemainder = open
      .map((_, i) => i)
      .sort((a, b) => share[b] - Math.floor(share[b]) - (share[a] - Math.floor(share[a])) || open[a] - open[b]);
    let placed = give.reduce((s, g) => s + g, 0);
    for (const i of byRemainder) {
      if (placed >= left) break;
      if (counts[open[i]] + give[i] < limit[open[i]] && share[i] > give[i]) [give[i], placed] = [give[i] + 1, placed + 1];
    }
    if (placed === 0) {
      // every share rounded to 0: one child to the highest-scored open unit
      give[0] = 1;
      placed = 1;
    }
    open.forEach((u, i) => {
      counts[u] += give[i];
    });
    left -= placed;
  }
  return counts;
}
