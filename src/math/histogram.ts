/**
 * Equal-width bin edges spanning every value of every group, so the groups' histograms compare
 * bin by bin. The default count is Sturges' rule on the largest group, kept within 5..40.
 */
export function sharedBinEdges(groups: readonly (readonly number[])[], bins?: number): number[] {
  const all = groups.flat().filter(Number.isFinite);
  if (all.length === 0) return [];
  const largest = Math.max(...groups.map((g) => g.length));
  const count = bins ?? Math.min(40, Math.max(5, Math.ceil(Math.log2(largest) + 1)));
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  // a single repeated value still gets a bin of non-zero width around it
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  return Array.from({ length: count + 1 }, (_, i) => (i === count ? hi : lo + ((hi - lo) * i) / count));
}

/** Counts of `values` per bin of `edges` (NumPy's rule: bins are [a, b), the last is [a, b]); values outside are dropped. */
export function histogram(values: readonly number[], edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(Math.max(0, bins)).fill(0);
  for (const v of values) {
    if (!(v >= edges[0] && v <= edges[bins])) continue;
    // binary search for the last edge <= v
    let lo = 0;
    let hi = bins;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (edges[mid] <= v) lo = mid;
      else hi = mid;
    }
    counts[lo]++;
  }
  return counts;
}
