import { type Activation, type Engine, Rng } from '../../src/engine/index.js';
import { type Dataset, type LayerWeights, MLP } from '../../src/nn/index.js';

/**
 * An MLP with random weights in [-1, 1) and, below density 1, a random mask that keeps at least
 * `minPerRow` entries of every row (so any alpha up to it can split every neuron).
 */
export function randomModel(
  engine: Engine,
  sizes: number[],
  options: { density?: number; seed?: number; activation?: Activation; minPerRow?: number } = {},
): MLP {
  const rng = new Rng(options.seed ?? 0);
  const density = options.density ?? 1;
  const layers: LayerWeights[] = sizes.slice(1).map((out, l) => {
    const inF = sizes[l];
    const mask = new Uint8Array(out * inF);
    for (let r = 0; r < out; r++) {
      const order = rng.shuffle(Int32Array.from({ length: inF }, (_, c) => c));
      order.forEach((c, t) => {
        mask[r * inF + c] = t < (options.minPerRow ?? 4) || rng.float() < density ? 1 : 0;
      });
    }
    const weight = new Float32Array(out * inF).map((_, i) => (mask[i] ? 2 * rng.float() - 1 : 0));
    return { weight, mask, bias: new Float32Array(out).map(() => 2 * rng.float() - 1), inFeatures: inF, outFeatures: out };
  });
  return MLP.fromWeights(layers, { activation: options.activation ?? 'relu' }, engine);
}

/** Every weight, mask and bias of a model, for "left untouched" checks. */
export function snapshot(model: MLP): Array<Float32Array | Uint8Array> {
  return model.layers.flatMap((l) => [l.weight(), l.mask(), l.bias()]);
}

/** Kept entries of a mask. */
export function count(mask: Uint8Array): number {
  return mask.reduce((s, m) => s + m, 0);
}

/** A small classification set: the label is the arg-max of a fixed random linear map of x. */
export function toyData(inF: number, classes: number, size: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const proj = Float32Array.from({ length: classes * inF }, () => 2 * rng.float() - 1);
  const x = Float32Array.from({ length: size * inF }, () => 2 * rng.float() - 1);
  const y = new Int32Array(size);
  for (let t = 0; t < size; t++) {
    let best = -Infinity;
    for (let c = 0; c < classes; c++) {
      let s = 0;
      for (let i = 0; i < inF; i++) s += proj[c * inF + i] * x[t * inF + i];
      if (s > best) [best, y[t]] = [s, c];
    }
  }
  return { x, y, size };
}
