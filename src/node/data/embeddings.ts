import { asFeatures, asLabels, type LabelMap, labeledData, mapLabels, type NdArray, safetensorsTensor } from '../../data/index.js';
import { DataError } from '../../engine/index.js';
import type { Dataset } from '../../nn/index.js';
import { readNpy, readSafetensorsFile } from './files.js';
import { readBytes } from './read-bytes.js';

/** Where an embedding set lives: a feature matrix file and a labels file, each .npy or .safetensors (labels may also be text). */
export interface EmbeddingFiles {
  /** Feature matrix [samples, dims]: a .npy file or a .safetensors file holding tensor `tensor`. */
  path: string;
  tensor?: string;
  /** Labels: a .npy vector, a .safetensors file holding tensor `labelsTensor`, or text with one label per line. */
  labels: string;
  labelsTensor?: string;
  labelMap?: LabelMap;
  classes?: number;
}

/** An embedding set (a classification Dataset) plus class names when text labels were mapped. */
export interface EmbeddingData extends Required<Dataset<Int32Array>> {
  classNames: string[] | null;
}

/**
 * Loads precomputed embeddings and their labels; a count mismatch names both files. Example:
 * `readEmbeddings({ path: 'clip.npy', labels: 'labels.txt', labelMap: 'sorted' })`.
 */
export function readEmbeddings(files: EmbeddingFiles): EmbeddingData {
  const { x, features } = asFeatures(readArray(files.path, files.tensor, 'tensor'), files.path);
  let y: Int32Array;
  let classNames: string[] | null = null;
  if (isNpy(files.labels) || isSafetensors(files.labels)) {
    y = asLabels(readArray(files.labels, files.labelsTensor, 'labelsTensor'), files.labels);
  } else {
    ({ y, classNames } = readTextLabels(files.labels, files.labelMap));
  }
  return { ...labeledData(x, y, features, `${files.path} + ${files.labels}`, files.classes), classNames };
}

/** Labels from a text file, one per line (blank lines skipped), mapped as `map` says. */
export function readTextLabels(path: string, map?: LabelMap): { y: Int32Array; classNames: string[] | null } {
  const lines = new TextDecoder('utf-8').decode(readBytes(path)).split(/\r?\n/);
  const labels: string[] = [];
  const lineNos: number[] = [];
  lines.forEach((l, i) => {
    if (l.trim() === '') return;
    labels.push(l.trim());
    lineNos.push(i + 1);
  });
  return mapLabels(labels, lineNos, map, path);
}

const isNpy = (p: string) => p.toLowerCase().endsWith('.npy');
const isSafetensors = (p: string) => p.toLowerCase().endsWith('.safetensors');

function readArray(path: string, tensor: string | undefined, key: string): NdArray {
  if (isNpy(path)) return readNpy(path);
  if (!isSafetensors(path))
    throw new DataError(`${path}: expected a .npy or .safetensors file (by its extension)`, { where: path, allowed: '.npy, .safetensors' });
  const file = readSafetensorsFile(path);
  if (tensor === undefined)
    throw new DataError(`${path}: name the tensor to read with '${key}'; the file has: ${[...file.tensors.keys()].join(', ')}`, {
      where: path,
    });
  return safetensorsTensor(file, tensor, path);
}
