import { BackendError, ConfigError } from '../errors.js';
import type { EnginePlatform } from '../platform.js';

/** Which build of the wasm kernels runs: plain SIMD (build/widen.wasm) or relaxed SIMD with fused multiply-add (build/widen-relaxed.wasm). */
export type KernelFlavour = 'plain' | 'relaxed';
/** What to ask for: a flavour, or 'auto' (relaxed where the host validates it, else plain). */
export type KernelChoice = KernelFlavour | 'auto';

const CHOICES: readonly KernelChoice[] = ['auto', 'plain', 'relaxed'];

/**
 * The kernel module for `choice` (default: the platform's WIDEN_KERNELS, else 'auto'): 'auto' takes
 * the relaxed build when the platform has one the host validates, else the plain one; 'relaxed'
 * without one is a BackendError. The two give different last bits (FMA rounds once), so a run
 * records the flavour beside the backend.
 */
export function selectKernels(platform: EnginePlatform, choice?: KernelChoice): { module: WebAssembly.Module; flavour: KernelFlavour } {
  const env = platform.env.WIDEN_KERNELS;
  const asked = choice ?? (env === undefined || env === '' ? 'auto' : (env as KernelChoice));
  if (!CHOICES.includes(asked)) {
    const where = choice === undefined ? 'WIDEN_KERNELS' : 'kernels';
    throw new ConfigError(`unknown kernel flavour '${asked}' (${where}); allowed: auto, plain, relaxed`, {
      where,
      got: asked,
      allowed: CHOICES.join(', '),
    });
  }
  if (asked !== 'plain') {
    const relaxed = platform.relaxedKernels?.() ?? null;
    if (relaxed !== null) return { module: relaxed, flavour: 'relaxed' };
    if (asked === 'relaxed') {
      throw new BackendError(
        'the relaxed-SIMD kernels are not available here (no build/widen-relaxed.wasm, or this host does not validate relaxed SIMD); use kernels: plain (WIDEN_KERNELS=plain)',
        { where: 'createWasmBackend' },
      );
    }
  }
  return { module: platform.kernels(), flavour: 'plain' };
}

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
