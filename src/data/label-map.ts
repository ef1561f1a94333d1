import { DataError } from '../engine/index.js';

/**
 * How text labels become class indices: omitted, each label must be a non-negative integer;
 * an object maps each label string to its index; 'sorted' numbers the distinct labels in sorted order.
 */
export type LabelMap = Record<string, number> | 'sorted';

/** Class indices of `labels` (with the line each came from, for errors) plus class names when mapped. */
export function mapLabels(
  labels: readonly string[],
  lines: readonly number[],
  map: LabelMap | undefined,
  source: string,
): { y: Int32Array; classNames: string[] | null } {
  const y = new Int32Array(labels.length);
  const fail = (i: number, problem: string) =>
    new DataError(`${source}:${lines[i]}: label ${JSON.stringify(labels[i])} ${problem}`, {
      where: `${source}:${lines[i]}`,
      got: labels[i],
    });
  if (map === undefined) {
    labels.forEach((s, i) => {
      if (!/^\d+$/.test(s) || Number(s) > 0x7fffffff)
        throw fail(i, "is not a non-negative integer; pass a labelMap (an object or 'sorted') for text labels");
      y[i] = Number(s);
    });
    return { y, classNames: null };
  }
  const index = map === 'sorted' ? sortedIndex(labels) : map;
  // class indices are stored as int32: a larger index would wrap to another class
  for (const [name, k] of Object.entries(index)) {
    if (!Number.isInteger(k) || k < 0 || k > 0x7fffffff)
      throw new DataError(`${source}: labelMap maps ${JSON.stringify(name)} to ${k}; class indices must be integers in [0, 2147483647]`, {
        where: `${source}: labelMap`,
        got: k,
      });
  }
  labels.forEach((s, i) => {
    const k = Object.hasOwn(index, s) ? index[s] : undefined;
    if (k === undefined) throw fail(i, `is not in the labelMap (known: ${Object.keys(index).join(', ')})`);
    y[i] = k;
  });
  const classNames: string[] = [];
  for (const [name, k] of Object.entries(index)) classNames[k] = name;
  return { y, classNames };
}

function sortedIndex(labels: readonly string[]): Record<string, number> {
  const names = [...new Set(labels)].sort();
  return Object.fromEntries(names.map((n, k) => [n, k]));
}
