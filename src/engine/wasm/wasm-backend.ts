import type { Arena } from '../arena.js';
import type { Backend } from '../backend.js';
import { BackendError } from '../errors.js';

/** Options of the wasm backend. */
export interface WasmBackendOptions {
  threads: number;
}

/** Placeholder until the SIMD kernels land: always refuses, so engines fall back to ref. */
export function createWasmBackend(_arena: Arena, _options: WasmBackendOptions): Backend {
  throw new BackendError('the wasm kernels are not built yet', { where: 'createWasmBackend' });
}
