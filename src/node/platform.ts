import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
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
  /** The relaxed-SIMD kernels; default: widen-relaxed.wasm beside the plain ones. */
  relaxedWasmPath?: string;
}

/** build/widen.wasm under the package root. */
export function defaultWasmPath(): string {
  return join(packageRoot(), 'build', 'widen.wasm');
}

/** widen-relaxed.wasm beside the plain kernels at `wasmPath`. */
export function relaxedWasmPath(wasmPath: string): string {
  return join(dirname(wasmPath), 'widen-relaxed.wasm');
}

const compiled = new Map<string, WebAssembly.Module>();
const relaxedCompiled = new Map<string, WebAssembly.Module | null>();
let relaxedFlagSet = false;

/**
 * Whether this Node validates relaxed SIMD; on Node 20 (where V8 has it behind a flag) the flag is
 * set first, once, before any relaxed module compiles. Node 22 and later have it on by default.
 */
export function enableRelaxedSimd(): boolean {
  // i8x16.relaxed_swizzle of two v128 constants in a () -> v128 function
  const probe = new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    0x01,
    0x05,
    0x01,
    0x60,
    0x00,
    0x01,
    0x7b,
    0x03,
    0x02,
    0x01,
    0x00,
    0x0a,
    0x2b,
    0x01,
    0x29,
    0x00,
    0xfd,
    0x0c,
    ...new Array(16).fill(0),
    0xfd,
    0x0c,
    ...new Array(16).fill(0),
    0xfd,
    0x80,
    0x02,
    0x0b,
  ]);
  if (WebAssembly.validate(probe)) return true;
  if (!relaxedFlagSet) {
    relaxedFlagSet = true;
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  }
  return WebAssembly.validate(probe);
}

/**
 * Node's EnginePlatform: the kernels read from disk (compiled once per path; the relaxed-SIMD build
 * beside them where this Node validates relaxed SIMD), kernel threads on
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
    relaxedKernels: () => {
      const path = options.relaxedWasmPath ?? relaxedWasmPath(options.wasmPath ?? (process.env.WIDEN_WASM || defaultWasmPath()));
      const known = relaxedCompiled.get(path);
      if (known !== undefined) return known;
      let module: WebAssembly.Module | null = null;
      if (existsSync(path) && enableRelaxedSimd()) {
        const bytes = readFileSync(path);
        // a build this V8 refuses (an older relaxed-SIMD encoding, say) leaves the plain kernels in charge
        if (WebAssembly.validate(bytes)) module = compileKernels(bytes, path);
      }
      relaxedCompiled.set(path, module);
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
