// widen's Node shell (package entry "widen/node"): what needs Node's file system, threads and
// process. Named re-exports only; importing it has no side effects.

export { type DownloadOptions, downloadVerified } from './data/download.js';
export { type EmbeddingData, type EmbeddingFiles, readEmbeddings, readTextLabels } from './data/embeddings.js';
export { readCsv, readIdx, readNpy, readSafetensorsData, readSafetensorsFile } from './data/files.js';
export { type DataEnvironment, imageSetPlaces, type LocateOptions, locateImageSet, readImageSet } from './data/image-sets.js';
export { loadDataset } from './data/registry.js';
export {
  loadCheckpoint,
  loadExpanded,
  readSafetensors,
  saveCheckpoint,
  saveExpanded,
  writeFileAtomic,
  writeSafetensors,
} from './files.js';
export { packageRoot } from './package-info.js';
export { defaultWasmPath, type NodePlatformOptions, nodePlatform, useNodePlatform } from './platform.js';
