import { unzipSync, zipSync } from 'fflate';
import { DataError } from '../engine/index.js';
import type { NdArray } from './ndarray.js';
import { decodeNpy, encodeNpy } from './npy.js';

/**
 * Decodes NumPy .npz bytes (np.savez or np.savez_compressed: a zip of .npy files) into its arrays
 * by name (without `.npy`), inflating at most `maxBytes` in all. A bad zip or a member that is not .npy is a DataError naming `source`.
 * Example: `decodeNpz(bytes, 'acts.npz').get('x')`.
 */
export function decodeNpz(bytes: Uint8Array, source = '<bytes>', maxBytes = 2 ** 31): Map<string, NdArray> {
  let files: Record<string, Uint8Array>;
  let total = 0;
  const filter = (f: { name: string; originalSize: number }) => {
    // a compressed member may claim any size: refuse before inflating past the limit
    total += f.originalSize;
    if (total > maxBytes)
      throw new DataError(`${source}: its arrays unpack to more than ${maxBytes} bytes (at '${f.name}'); widen reads at most that`, {
        where: source,
        got: total,
      });
    return true;
  };
  try {
    files = unzipSync(bytes, { filter });
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(`${source}: not a readable .npz (zip) file (${(err as Error).message})`, { where: source });
  }
  const out = new Map<string, NdArray>();
  for (const [name, data] of Object.entries(files)) {
    if (!name.endsWith('.npy')) throw new DataError(`${source}: member '${name}' is not a .npy array`, { where: source, got: name });
    out.set(name.slice(0, -4), decodeNpy(data, `${source}:${name}`));
  }
  return out;
}

/** Arrays as NumPy .npz bytes (stored, as np.savez writes them): `np.load(path)[name]` gives each back. */
export function encodeNpz(
  arrays: Record<string, { data: Float32Array | Float64Array | Uint8Array; shape: readonly number[] }>,
): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0 }]> = {};
  for (const [name, a] of Object.entries(arrays)) files[`${name}.npy`] = [encodeNpy(a.data, a.shape), { level: 0 }];
  return zipSync(files);
}
