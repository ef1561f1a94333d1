export { batches } from './batches.js';
export { type CsvData, type CsvOptions, parseCsv, parseCsvLines } from './csv.js';
export { decodeIdx, idxFileBytes } from './idx.js';
export {
  FASHION_MNIST_CHECKSUMS,
  FASHION_MNIST_URL,
  IMAGE_SET_FILES,
  IMAGE_SETS,
  type ImageSet,
  type ImageSetFileKey,
  type ImageSetFiles,
  type ImageSetName,
  imageSetFromIdx,
  MNIST_PACKAGE,
} from './image-sets.js';
export { type LabelMap, mapLabels } from './label-map.js';
export { labeledData } from './labeled.js';
export {
  asFeatures,
  asLabels,
  decodeElements,
  ELEMENT_SIZE,
  ELEMENT_TYPES,
  type ElementType,
  type NdArray,
  type NumericArray,
  shapeSize,
} from './ndarray.js';
export { decodeNpy, encodeNpy } from './npy.js';
export { decodeNpz, encodeNpz } from './npz.js';
export { type LoadedDataset, prepareDataset, type RawDataset } from './prepare-dataset.js';
export {
  applyStandardizer,
  fitStandardizer,
  STANDARDIZE_MODES,
  type StandardizeMode,
  type Standardizer,
  scalePixels,
} from './preprocess.js';
export { safetensorsData, safetensorsTensor } from './safetensors-data.js';
export { DATASET_KINDS, type DatasetKind, type DatasetSpec, parseDatasetSpec, type ResolvedDatasetSpec } from './spec.js';
export { holdOut, splitIndices, subset } from './split.js';
