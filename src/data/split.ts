import { ConfigError, DataError, type Rng } from '../engine/index.js';
import type { Dataset } from '../nn/index.js';

/**
 * Splits sample indices [0, size) into `kept` and `held`, both ascending and together complete.
 * `held` gets round(fraction * n) samples chosen by `rng`; stratified, the rounding is per class,
 * so every class keeps its share in both parts (up to one sample per class).
 */
export function splitIndices(
  labels: Int32Array,
  classes: number,
  fraction: number,
  rng: Rng,
  stratify: boolean,
): { kept: Uint32Array; held: Uint32Array } {
  if (!(fraction >= 0 && fraction < 1))
    throw new ConfigError(`split fraction must be in [0, 1), got ${fraction}`, { where: 'split', got: fraction });
  const isHeld = new Uint8Array(labels.length);
  const groups: number[][] = stratify ? Array.from({ length: classes }, () => []) : [[]];
  for (let i = 0; i < labels.length; i++) groups[stratify ? labels[i] : 0].push(i);
  for (const g of groups) {
    rng.shuffle(g);
    const take = Math.round(fraction * g.length);
    for (let j = 0; j < take; j++) isHeld[g[j]] = 1;
  }
  const held = new Uint32Array(isHeld.reduce((a, b) => a + b, 0));
  const kept = new Uint32Array(labels.length - held.length);
  let h = 0;
  let k = 0;
  for (let i = 0; i < labels.length; i++) {
    if (isHeld[i]) held[h++] = i;
    else kept[k++] = i;
  }
  return { kept, held };
}

/** A new Dataset of the given rows of `data`, in that order (copies those rows only). */
export function subset(data: Required<Dataset<Int32Array>>, indices: Uint32Array): Required<Dataset<Int32Array>> {
  const f = data.features;
  const x = new Float32Array(indices.length * f);
  const y = new Int32Array(indices.length);
  indices.forEach((r, i) => {
    x.set(data.x.subarray(r * f, (r + 1) * f), i * f);
    y[i] = data.y[r];
  });
  return { x, y, size: indices.length, features: f, classes: data.classes };
}

/**
 * Holds out `fraction` of `data` (see splitIndices) and returns both parts; `held` is null when
 * the fraction is 0. Refuses a split that leaves the kept part empty. `what` names the part in errors.
 */
export function holdOut(
  data: Required<Dataset<Int32Array>>,
  fraction: number,
  rng: Rng,
  stratify: boolean,
  what: string,
): { kept: Required<Dataset<Int32Array>>; held: Required<Dataset<Int32Array>> | null } {
  if (fraction === 0) return { kept: data, held: null };
  const { kept, held } = splitIndices(data.y, data.classes, fraction, rng, stratify);
  if (kept.length === 0 || held.length === 0)
    throw new DataError(
      `a ${what} fraction of ${fraction} of ${data.size} samples leaves ${kept.length} to keep and ${held.length} held out`,
      {
        where: what,
        got: fraction,
      },
    );
  return { kept: subset(data, kept), held: subset(data, held) };
}
