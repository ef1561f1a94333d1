/** A fraction as a percentage with one decimal, e.g. 0.787 → "78.7%"; "–" for null. */
export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(digits)}%`;
}

/** A fraction difference in percentage points with its sign, e.g. 0.1 → "+10.0 pp". */
export function pp(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const s = (Math.abs(v) * 100).toFixed(digits);
  // a value that rounds to zero gets no sign; negatives get a true minus sign
  const sign = Number(s) === 0 ? '' : v < 0 ? '−' : '+';
  return `${sign}${s} pp`;
}

/** A fraction's mean ± CI half-width in percent, e.g. "78.7% ± 1.2"; without a CI just the mean. */
export function pctCi(mean: number, ci95: number | null): string {
  return ci95 === null ? pct(mean) : `${pct(mean)} ± ${(ci95 * 100).toFixed(1)}`;
}

/** A plain number with `digits` significant digits, "–" for null or non-finite. */
export function num(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : String(Number(v.toPrecision(digits)));
}

/** "n = 10 seeds" style count. */
export function seedsText(n: number): string {
  return `n = ${n} seed${n === 1 ? '' : 's'}`;
}
