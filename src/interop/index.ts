// Interop with PyTorch, ONNX and NumPy, and the analyses on one layer of a large model: named re-exports only.
export {
  expandedLayerTensors,
  expandLinearLayer,
  type LayerImportance,
  type LayerImportanceOptions,
  type LayerRows,
  type LinearExpandOptions,
  type LinearExpandResult,
  type LinearLayer,
  type LinearPruneOptions,
  type LinearPruneResult,
  layerInputRows,
  layerNeurons,
  linearLayerImportance,
  loadLayer,
  type OutputError,
  outputError,
  prunedLayerTensors,
  pruneLinearLayer,
  splitRows,
} from './linear-layer.js';
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
