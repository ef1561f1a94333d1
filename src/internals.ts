// widen/internals: the engine's and the layers' building blocks that the public API (src/index.ts)
// does not list: the arena and tensors, the reference kernel table, CSR helpers, the optimizer base
// class, workspaces, the scalar normal functions. For benchmarks, tests and people extending widen;
// these names may change between minor versions. Named re-exports only; no side effects.

export {
  type AdamParams,
  Arena,
  type ArenaOptions,
  BARE_PLATFORM,
  type Backend,
  buildCsr,
  type CsrStructure,
  compileKernels,
  createWasmBackend,
  type DType,
  type OwnedCsr,
  type Ptr,
  RefBackend,
  type SgdParams,
  selectKernels,
  Tensor,
  type WasmBackendOptions,
} from './engine/index.js';
export {
  type MaskedLayer,
  pruneSmallest,
} from './expand/index.js';
export {
  erf,
  erfc,
  inverseNormalCdf,
  normalCdf,
  type SymmetricEigen,
  symmetricEigen,
} from './math/index.js';
export {
  ActivationStep,
  applyLoss,
  BaseOptimizer,
  CSR_MAX_DENSITY,
  checkDataset,
  compactDense,
  copyMask,
  entryF32,
  entryU8,
  expandCompact,
  type LayerPath,
  lossAndGradients,
  lossCount,
  type Param,
  parseActivation,
  parseConfig,
  parseLoss,
  randomMask,
  slotsFor,
  Workspace,
} from './nn/index.js';
