import { type CsvData, type CsvOptions, decodeIdx, decodeNpy, type NdArray, parseCsv, safetensorsData } from '../../data/index.js';
import { CheckpointError, DataError } from '../../engine/index.js';
import type { Dataset, SafetensorsFile } from '../../nn/index.js';
import { readSafetensors } from '../files.js';
import { maybeGunzip, readBytes } from './read-bytes.js';

/** Reads a CSV file (plain or gzip-compressed) with parseCsv. */
export function readCsv(path: string, options: CsvOptions): CsvData {
  const bytes = maybeGunzip(readBytes(path), path);
  return parseCsv(new TextDecoder('utf-8').decode(bytes), path, options);
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
  return decodeIdx(maybeGunzip(readBytes(path), path), path);
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
