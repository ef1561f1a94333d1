// Interop with PyTorch, ONNX and NumPy, and the analyses on one layer of a large model: named re-exports only.
export {
  expandedLayerTensors,
  type LayerRows,
  type LinearLayer,
  layerInputRows,
  loadLayer,
  type OutputError,
  outputError,
  prunedLayerTensors,
  splitRows,
} from './linear-layer.js';
export {
  expandLinearLayer,
  type LayerImportance,
  type LayerImportanceOptions,
  type LinearExpandOptions,
  type LinearExpandResult,
  type LinearPruneOptions,
  type LinearPruneResult,
  layerNeurons,
  linearLayerImportance,
  pruneLinearLayer,
} from './linear-layer-analyses.js';
export { exportExpandedOnnx, exportOnnx, ONNX_OPSETS, type OnnxExportOptions } from './onnx-export.js';
export {
  importTorch,
  parseArch,
  type TorchExportOptions,
  type TorchImport,
  type TorchImportOptions,
  torchStateDict,
} from './torch-state-dict.js';
export { weightsNpz } from './weights-npz.js';
