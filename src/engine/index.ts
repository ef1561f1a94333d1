export { Arena, type ArenaOptions, type Ptr } from './arena.js';
export { ACTIVATIONS, type Activation, type AdamParams, type Backend, type CsrStructure, type SgdParams } from './backend.js';
export { buildCsr, type OwnedCsr } from './csr.js';
export { type BackendName, createEngine, defaultEngine, Engine, type EngineOptions } from './engine.js';
export {
  BackendError,
  CheckpointError,
  ConfigError,
  DataError,
  NumericError,
  ShapeError,
  WidenError,
  type WidenErrorCode,
  type WidenErrorDetails,
} from './errors.js';
export { packageRoot, widenVersion } from './package-info.js';
export { RefBackend } from './ref/ref-backend.js';
export { Rng } from './rng.js';
export { type DType, Tensor } from './tensor.js';
export { createWasmBackend, type WasmBackendOptions } from './wasm/wasm-backend.js';
