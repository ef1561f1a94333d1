import { encodeNpz } from '../data/index.js';
import type { MLP } from '../nn/index.js';

/**
 * The weights of an MLP as NumPy .npz bytes: `layers.{i}.weight` [out, in] float32 (zeros where
 * masked), `layers.{i}.mask` [out, in] uint8 and `layers.{i}.bias` [out] float32; the forward is
 * h = f(W·h + b) per hidden layer with the model's activation. Example: `weightsNpz(model)`.
 */
export function weightsNpz(model: MLP): Uint8Array {
  const arrays: Parameters<typeof encodeNpz>[0] = {};
  model.layers.forEach((l, i) => {
    const shape = [l.outFeatures, l.inFeatures];
    arrays[`layers.${i}.weight`] = { data: l.weight(), shape };
    arrays[`layers.${i}.mask`] = { data: l.mask(), shape };
    arrays[`layers.${i}.bias`] = { data: l.bias(), shape: [l.outFeatures] };
  });
  return encodeNpz(arrays);
}
