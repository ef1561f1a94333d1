import { BackendError } from '../errors.js';

/** The compiled kernel module plus an instance of it on the engine's memory. */
export interface LoadedKernels {
  module: WebAssembly.Module;
  exports: WebAssembly.Exports;
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

/** Instantiates the compiled kernels on `memory`; BackendError says what to do when that fails. */
export function loadKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): LoadedKernels {
  try {
    const instance = new WebAssembly.Instance(module, kernelImports(memory));
    return { module, exports: instance.exports };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new BackendError(`the wasm kernels failed to instantiate (${why}); rebuild them with \`npm run build:wasm\``, {
      where: 'createWasmBackend',
    });
  }
}
