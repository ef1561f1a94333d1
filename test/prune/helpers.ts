import { Rng } from '../../src/engine/index.js';
import type { Calibration, PruneLayer } from '../../src/prune/index.js';

/** A dense random layer [out, in] with N(0, 1) weights. */
export function randomLayer(out: number, inF: number, seed: number): PruneLayer {
  const rng = new Rng(seed);
  return { weight: Float32Array.from({ length: out * inF }, () => rng.normal()), inFeatures: inF, outFeatures: out };
}

/**
 * Calibration inputs [size, in] like a real layer's: correlated features (a random mixing of
 * N(0, 1) noise), a mean offset and uneven per-feature scales; `centred` subtracts each feature's mean.
 */
export function correlatedInputs(size: number, inF: number, seed: number, centred = false): Calibration {
  const rng = new Rng(seed);
  const mix = Float64Array.from({ length: inF * inF }, () => rng.normal() / Math.sqrt(inF));
  const scale = Float64Array.from({ length: inF }, () => 0.2 + 2.8 * rng.float());
  const x = new Float32Array(size * inF);
  const z = new Float64Array(inF);
  for (let t = 0; t < size; t++) {
    for (let k = 0; k < inF; k++) z[k] = rng.normal();
    for (let j = 0; j < inF; j++) {
      let v = 0.5;
      for (let k = 0; k < inF; k++) v += z[k] * mix[k * inF + j];
      x[t * inF + j] = v * scale[j];
    }
  }
  return centred ? centre({ x, size }, inF) : { x, size };
}

/** The inputs with each feature's mean over the samples subtracted. */
export function centre(c: Calibration, inF: number): Calibration {
  const mean = new Float64Array(inF);
  for (let t = 0; t < c.size; t++) for (let j = 0; j < inF; j++) mean[j] += c.x[t * inF + j] / c.size;
  return { x: c.x.map((v, i) => v - mean[i % inF]), size: c.size };
}

/** Number of kept entries of a mask. */
export function kept(mask: Uint8Array, from = 0, to = mask.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += mask[i];
  return s;
}
