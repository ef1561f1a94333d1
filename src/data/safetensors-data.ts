import { DataError } from '../engine/index.js';
import type { Dataset, SafetensorsDType, SafetensorsFile } from '../nn/index.js';
import { labeledData } from './labeled.js';
import { asFeatures, asLabels, decodeElements, type ElementType, type NdArray, shapeSize } from './ndarray.js';

// safetensors dtypes widen can read as data; the format is always little-endian
const DTYPES: Partial<Record<SafetensorsDType, ElementType>> = {
  U8: 'uint8',
  I8: 'int8',
  U16: 'uint16',
  I16: 'int16',
  U32: 'uint32',
  I32: 'int32',
  I64: 'int64',
  F32: 'float32',
  F64: 'float64',
};

/** One tensor of a decoded safetensors file as an NdArray; a missing name or unreadable dtype is a DataError. */
export function safetensorsTensor(file: SafetensorsFile, name: string, source: string): NdArray {
  const e = file.tensors.get(name);
  if (e === undefined)
    throw new DataError(`${source}: no tensor named '${name}'; the file has: ${[...file.tensors.keys()].join(', ') || 'no tensors'}`, {
      where: source,
      got: name,
    });
  const dtype = DTYPES[e.dtype];
  if (dtype === undefined)
    throw new DataError(`${source}: tensor '${name}' has dtype ${e.dtype}; widen reads ${Object.keys(DTYPES).join(', ')}`, {
      where: source,
      got: e.dtype,
    });
  return { dtype, shape: e.shape, data: decodeElements(e.data, shapeSize(e.shape), dtype, true, `${source} '${name}'`) };
}

/**
 * A feature matrix and a label vector from one decoded safetensors file, by tensor name. Example:
 * `safetensorsData(decodeSafetensors(bytes, 'emb.safetensors'), { x: 'features', y: 'labels' }, 'emb.safetensors')`.
 */
export function safetensorsData(
  file: SafetensorsFile,
  names: { x: string; y: string },
  source: string,
  classes?: number,
): Required<Dataset<Int32Array>> {
  const { x, features } = asFeatures(safetensorsTensor(file, names.x, source), `${source} '${names.x}'`);
  const y = asLabels(safetensorsTensor(file, names.y, source), `${source} '${names.y}'`);
  return labeledData(x, y, features, source, classes);
}
