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

/** A 95% interval of fractions in percent, e.g. "[97.1%, 100.0%]"; "–" without one. */
export function pctInterval(lo: number | null, hi: number | null, digits = 1): string {
  return lo === null || hi === null ? '–' : `[${pct(lo, digits)}, ${pct(hi, digits)}]`;
}

/** A fraction's mean and its 95% interval in percent, e.g. "78.7% [77.5%, 79.9%]"; without an interval just the mean. */
export function pctCi(mean: number, lo: number | null, hi: number | null): string {
  return lo === null || hi === null ? pct(mean) : `${pct(mean)} ${pctInterval(lo, hi)}`;
}

/** A plain number with `digits` significant digits, "–" for null or non-finite. */
export function num(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : String(Number(v.toPrecision(digits)));
}

/** "n = 10 seeds" style count. */
export function seedsText(n: number): string {
  return `n = ${n} seed${n === 1 ? '' : 's'}`;
}
