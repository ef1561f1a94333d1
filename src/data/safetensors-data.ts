import { CheckpointError, DataError } from '../engine/index.js';
import type { Dataset } from '../nn/index.js';
import { readSafetensors, type SafetensorsDType, type SafetensorsFile } from '../nn/index.js';
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

/** Reads a safetensors file through nn's reader; its faults (missing, truncated, malformed) become DataErrors. */
export function readSafetensorsFile(path: string): SafetensorsFile {
  try {
    return readSafetensors(path);
  } catch (err) {
    if (err instanceof CheckpointError) throw new DataError(err.message, err.details);
    throw err;
  }
}

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
 * Reads a feature matrix and a label vector from one safetensors file by tensor name, through
 * nn's reader. Example: `readSafetensorsData('emb.safetensors', { x: 'features', y: 'labels' })`.
 */
export function readSafetensorsData(path: string, names: { x: string; y: string }, classes?: number): Required<Dataset<Int32Array>> {
  const file = readSafetensorsFile(path);
  const { x, features } = asFeatures(safetensorsTensor(file, names.x, path), `${path} '${names.x}'`);
  const y = asLabels(safetensorsTensor(file, names.y, path), `${path} '${names.y}'`);
  return labeledData(x, y, features, path, classes);
}
