import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BackendError } from '../errors.js';
import { packageRoot } from '../package-info.js';

/** The compiled kernel module plus an instance of it on the engine's memory. */
export interface LoadedKernels {
  module: WebAssembly.Module;
  exports: WebAssembly.Exports;
}

/** build/widen.wasm under the package root (found from this file under src/ or dist/src/). */
export function defaultWasmPath(): string {
  return join(packageRoot(), 'build', 'widen.wasm');
}

/** Imports of the kernel module: the shared memory, and an abort hook that turns a trap into a JS error. */
export function kernelImports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      memory,
      abort: () => {
        throw new BackendError('a wasm kernel aborted', { where: 'wasm' });
      },
    },
  };
}

/** Reads, compiles and instantiates the kernels at `path` on `memory`; BackendError says what to do when that fails. */
export function loadKernels(path: string, memory: WebAssembly.Memory): LoadedKernels {
  let bytes: NonSharedBuffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new BackendError(`the wasm kernels are missing at ${path}; run \`npm run build:wasm\` (or npm install) to build them`, {
      where: 'createWasmBackend',
      got: path,
    });
  }
  try {
    const module = new WebAssembly.Module(bytes);
    const instance = new WebAssembly.Instance(module, kernelImports(memory));
    return { module, exports: instance.exports };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new BackendError(`the wasm kernels at ${path} failed to load (${why}); rebuild them with \`npm run build:wasm\``, {
      where: 'createWasmBackend',
      got: path,
    });
  }
}
