import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  BackendError,
  compileKernels,
  type EnginePlatform,
  KERNEL_THREAD_SOURCE,
  type KernelThread,
  type KernelThreadInit,
  setDefaultPlatform,
} from '../engine/index.js';
import { packageRoot } from './package-info.js';

/** Options of nodePlatform. */
export interface NodePlatformOptions {
  /** The compiled kernels; default: $WIDEN_WASM, else build/widen.wasm of this package. */
  wasmPath?: string;
}

/** build/widen.wasm under the package root. */
export function defaultWasmPath(): string {
  return join(packageRoot(), 'build', 'widen.wasm');
}

const compiled = new Map<string, WebAssembly.Module>();

/**
 * Node's EnginePlatform: the kernels read from disk (compiled once per path), kernel threads on
 * worker_threads, os.availableParallelism() cores, process.env, process.emitWarning.
 */
export function nodePlatform(options: NodePlatformOptions = {}): EnginePlatform {
  return {
    kernels: () => {
      const path = options.wasmPath ?? (process.env.WIDEN_WASM || defaultWasmPath());
      const known = compiled.get(path);
      if (known !== undefined) return known;
      let bytes: NonSharedBuffer;
      try {
        bytes = readFileSync(path);
      } catch {
        throw new BackendError(`the wasm kernels are missing at ${path}; run \`npm run build:wasm\` (or npm install) to build them`, {
          where: 'createWasmBackend',
          got: path,
        });
      }
      const module = compileKernels(bytes, path);
      compiled.set(path, module);
      return module;
    },
    startThread: startNodeThread,
    cores: availableParallelism(),
    env: process.env,
    warn: (m) => process.emitWarning(m, { code: 'WIDEN_FALLBACK' }),
  };
}

/** Runs the kernel thread program in a worker_threads Worker that does not keep the process alive. */
function startNodeThread(init: KernelThreadInit): KernelThread {
  const source = `(${KERNEL_THREAD_SOURCE})(require('node:worker_threads').workerData);`;
  const worker = new Worker(source, { eval: true, workerData: init });
  worker.unref();
  return { terminate: () => void worker.terminate() };
}

/**
 * Makes Node's platform the default for every engine created without one (call once, before
 * creating models; the CLI, the trial workers and the tests do). Example:
 * `import { useNodePlatform } from 'widen/node'; useNodePlatform();`
 */
export function useNodePlatform(options: NodePlatformOptions = {}): void {
  setDefaultPlatform(nodePlatform(options));
}
