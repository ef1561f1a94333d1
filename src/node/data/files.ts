import {
  type CsvData,
  type CsvOptions,
  decodeIdx,
  decodeNpy,
  idxFileBytes,
  type NdArray,
  parseCsvLines,
  safetensorsData,
} from '../../data/index.js';
import { CheckpointError, DataError } from '../../engine/index.js';
import type { Dataset, SafetensorsFile } from '../../nn/index.js';
import { readSafetensors } from '../files.js';
import { gunzipHead, isGzip, maybeGunzip, readBytes, utf8Lines } from './read-bytes.js';

/** Reads a CSV file (plain or gzip-compressed) with parseCsv, decoding it in chunks (files may pass 512 MiB, V8's longest string). */
export function readCsv(path: string, options: CsvOptions): CsvData {
  return parseCsvLines(utf8Lines(maybeGunzip(readBytes(path), path)), path, options);
}

/** Reads a .npy file (see decodeNpy). Example: `const { dtype, shape, data } = readNpy('features.npy')`. */
export function readNpy(path: string): NdArray {
  return decodeNpy(readBytes(path), path);
}

/**
 * Reads an IDX file, raw or gzip-compressed (detected by its magic bytes, not its name).
 * Example: `readIdx('train-images-idx3-ubyte.gz').shape // [60000, 28, 28]`.
 */
export function readIdx(path: string): NdArray {
  const bytes = readBytes(path);
  if (!isGzip(bytes)) return decodeIdx(bytes, path);
  // the header bounds the output: a gzip bomb is refused at the declared size plus one byte
  const head = gunzipHead(bytes, 4 + 4 * 255);
  if (head.length < 4) return decodeIdx(maybeGunzip(bytes, path), path);
  const size = idxFileBytes(head, path);
  return decodeIdx(maybeGunzip(bytes, path, size + 1, 'the size its IDX header declares'), path);
}

/** Reads a safetensors file as data; its faults (missing, truncated, malformed) become DataErrors. */
export function readSafetensorsFile(path: string): SafetensorsFile {
  try {
    return readSafetensors(path);
  } catch (err) {
    if (err instanceof CheckpointError) throw new DataError(err.message, err.details);
    throw err;
  }
}

/**
 * Reads a feature matrix and a label vector from one safetensors file by tensor name.
 * Example: `readSafetensorsData('emb.safetensors', { x: 'features', y: 'labels' })`.
 */
export function readSafetensorsData(path: string, names: { x: string; y: string }, classes?: number): Required<Dataset<Int32Array>> {
  return safetensorsData(readSafetensorsFile(path), names, path, classes);
}
