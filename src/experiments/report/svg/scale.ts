/** A continuous position scale (linear or log) from data values to pixels. */
export interface ContinuousScale {
  kind: 'linear' | 'log';
  domain: [number, number];
  range: [number, number];
  /** Pixel position of v; values outside the domain are clamped to its ends. */
  map(v: number): number;
  /** Tick values inside the domain. */
  ticks(): number[];
  /** Tick label text. */
  format(v: number): string;
}

/** A categorical scale: each category gets an equal band of the range. */
export interface BandScale {
  kind: 'band';
  domain: string[];
  range: [number, number];
  bandwidth: number;
  /** Pixel position of the centre of category c's band. */
  map(c: string): number;
}

/** Either kind of scale, for the x axis. */
export type Scale = ContinuousScale | BandScale;

/** Ticks at 1, 2 or 5 × 10^k steps covering [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  const step = niceStep(lo, hi, count);
  const ticks: number[] = [];
  // integer multiples of step avoid accumulating 0.1 + 0.2 style drift
  // (12 significant digits drop the 0.6000000000000001 residue; `+ 0` turns -0 into 0)
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) ticks.push(Number((i * step).toPrecision(12)) + 0);
  return ticks;
}

function niceStep(lo: number, hi: number, count: number): number {
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  // the smallest of 1, 2, 5, 10 (× power) that is at least the raw step
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

/** Widens [lo, hi] outward to whole tick steps (and to a unit interval when lo = hi). */
export function niceDomain(lo: number, hi: number, count = 5): [number, number] {
  if (lo === hi) return lo === 0 ? [0, 1] : [lo - Math.abs(lo) / 2, hi + Math.abs(hi) / 2];
  const step = niceStep(lo, hi, count);
  return [Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step];
}

// Enough decimals to tell ticks `step` apart, no more.
function decimalFormat(step: number): (v: number) => string {
  const digits = Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9)));
  return (v) => {
    const s = v.toFixed(digits);
    return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
  };
}

/** A linear scale; `ticks` overrides the automatic tick values (e.g. only the α values present). */
export function linearScale(domain: [number, number], range: [number, number], ticks?: number[]): ContinuousScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const auto = niceTicks(Math.min(d0, d1), Math.max(d0, d1));
  const values = ticks ?? auto;
  const step = values.length > 1 ? Math.min(...values.slice(1).map((v, i) => Math.abs(v - values[i]))) : Math.abs(d1 - d0) || 1;
  return {
    kind: 'linear',
    domain,
    range,
    map: (v) => r0 + ((Math.min(Math.max(v, Math.min(d0, d1)), Math.max(d0, d1)) - d0) / (d1 - d0 || 1)) * (r1 - r0),
    ticks: () => values,
    format: decimalFormat(step || 1),
  };
}

/** A base-10 log scale over a positive domain; ticks at powers of ten (and 2, 5 within a short span). */
export function logScale(domain: [number, number], range: [number, number]): ContinuousScale {
  const [l0, l1] = domain.map(Math.log10);
  const [r0, r1] = range;
  const decades: number[] = [];
  for (let e = Math.floor(l0 + 1e-9); e <= Math.ceil(l1 - 1e-9); e++) decades.push(e);
  const mults = decades.length <= 3 ? [1, 2, 5] : [1];
  const ticks = decades
    .flatMap((e) => mults.map((m) => m * 10 ** e))
    .filter((v) => v >= domain[0] * (1 - 1e-9) && v <= domain[1] * (1 + 1e-9));
  return {
    kind: 'log',
    domain,
    range,
    map: (v) => r0 + ((Math.min(Math.max(Math.log10(v > 0 ? v : domain[0]), l0), l1) - l0) / (l1 - l0 || 1)) * (r1 - r0),
    ticks: () => ticks,
    format: (v) => String(Number(v.toPrecision(3))),
  };
}

/** A band scale with `padding` (fraction of a step) between bands. */
export function bandScale(domain: string[], range: [number, number], padding = 0.3): BandScale {
  const [r0, r1] = range;
  const step = (r1 - r0) / Math.max(1, domain.length);
  return {
    kind: 'band',
    domain,
    range,
    bandwidth: step * (1 - padding),
    map: (c) => r0 + step * (domain.indexOf(c) + 0.5),
  };
}
