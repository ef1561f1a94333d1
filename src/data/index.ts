export { batches } from './batches.js';
export { type CsvData, type CsvOptions, parseCsv, readCsv } from './csv.js';
export { type DownloadOptions, downloadVerified } from './download.js';
export { type EmbeddingData, type EmbeddingFiles, readEmbeddings, readTextLabels } from './embeddings.js';
export { decodeIdx, readIdx } from './idx.js';
export {
  type DataEnvironment,
  FASHION_MNIST_CHECKSUMS,
  FASHION_MNIST_URL,
  IMAGE_SET_FILES,
  IMAGE_SETS,
  type ImageSet,
  type ImageSetFiles,
  type ImageSetName,
  imageSetPlaces,
  type LocateOptions,
  locateImageSet,
  MNIST_PACKAGE,
  readImageSet,
} from './image-sets.js';
export type { LabelMap } from './label-map.js';
export { labeledData } from './labeled.js';
export {
  asFeatures,
  asLabels,
  ELEMENT_SIZE,
  ELEMENT_TYPES,
  type ElementType,
  type NdArray,
  type NumericArray,
} from './ndarray.js';
export { decodeNpy, readNpy } from './npy.js';
export {
  applyStandardizer,
  fitStandardizer,
  STANDARDIZE_MODES,
  type StandardizeMode,
  type Standardizer,
  scalePixels,
} from './preprocess.js';
export { type LoadedDataset, loadDataset } from './registry.js';
export { readSafetensorsData, readSafetensorsFile, safetensorsTensor } from './safetensors-data.js';
export { DATASET_KINDS, type DatasetKind, type DatasetSpec, parseDatasetSpec, type ResolvedDatasetSpec } from './spec.js';
export { holdOut, splitIndices, subset } from './split.js';
