export { Arena, type ArenaOptions, type Ptr } from './arena.js';
export {
  ACTIVATIONS,
  type Activation,
  type AdamParams,
  type Backend,
  backendId,
  type CscCopy,
  type CsrStructure,
  type SgdParams,
} from './backend.js';
export { buildCsr, cscPositions, type OwnedCsr } from './csr.js';
export {
  type BackendName,
  createEngine,
  defaultEngine,
  Engine,
  type EngineOptions,
} from './engine.js';
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
export {
  BARE_PLATFORM,
  compileKernels,
  createPlatform,
  defaultPlatform,
  type EnginePlatform,
  type KernelThread,
  type KernelThreadInit,
  type PlatformParts,
  setDefaultPlatform,
} from './platform.js';
export { RefBackend } from './ref/ref-backend.js';
export { Rng } from './rng.js';
export type { RowPairs } from './row-pairs.js';
export { type DType, Tensor } from './tensor.js';
export { WIDEN_VERSION, widenVersion } from './version.js';
export { type KernelChoice, type KernelFlavour, selectKernels } from './wasm/load.js';
export { KERNEL_THREAD_SOURCE } from './wasm/pool.js';
export { createWasmBackend, type WasmBackendOptions } from './wasm/wasm-backend.js';
