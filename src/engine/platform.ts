import { BackendError } from './errors.js';

/** The data a kernel thread starts with: the compiled module, the shared memory, its mailbox and the kernel names it may run. */
export interface KernelThreadInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  mailbox: SharedArrayBuffer;
  names: string[];
}

/** A started kernel thread: the engine only ever stops it. */
export interface KernelThread {
  terminate(): void;
}

/**
 * What the host gives the engine, so that the engine itself touches no platform API: Node passes
 * its own (`nodePlatform()` in `widen/node`: build/widen.wasm read from disk, worker_threads, os
 * cores, process.env); a page passes a module compiled from `fetch` and a `Worker` factory.
 */
export interface EnginePlatform {
  /** The compiled kernel module; throws BackendError saying what to do when there is none. */
  kernels(): WebAssembly.Module;
  /**
   * The relaxed-SIMD build of the same kernels (fused multiply-add in the hot loops), or null where
   * the host has none or does not validate relaxed SIMD; absent: null. The engine prefers it (see
   * EngineOptions.kernels).
   */
  relaxedKernels?: () => WebAssembly.Module | null;
  /** Starts one kernel thread that runs `KERNEL_THREAD_SOURCE` on `init`; absent where the host has no shared-memory threads. */
  startThread?: (init: KernelThreadInit) => KernelThread;
  /** Logical cores; the default thread count is min(2, cores). */
  cores: number;
  /** Environment variables read for defaults (WIDEN_BACKEND, WIDEN_THREADS). */
  env: Readonly<Record<string, string | undefined>>;
  /** Where one-time warnings go. */
  warn(message: string): void;
}

/** The parts a host supplies to createPlatform; everything but the module has a default. */
export interface PlatformParts {
  /** The kernel module (compiled from build/widen.wasm), or its bytes. */
  kernels: WebAssembly.Module | BufferSource;
  /** The relaxed-SIMD kernels (compiled from build/widen-relaxed.wasm), or their bytes; used only where WebAssembly.validate accepts them. */
  relaxedKernels?: WebAssembly.Module | BufferSource;
  startThread?: (init: KernelThreadInit) => KernelThread;
  /** Default 1. */
  cores?: number;
  /** Default: no variables. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Default: console.warn. */
  warn?: (message: string) => void;
}

/**
 * A platform from a compiled kernel module (or its bytes), e.g. in a page:
 * `createPlatform({ kernels: await WebAssembly.compileStreaming(fetch('widen.wasm')) })`; pass
 * `relaxedKernels` (the bytes of widen-relaxed.wasm) too and engines use them where the browser
 * validates relaxed SIMD.
 */
export function createPlatform(parts: PlatformParts): EnginePlatform {
  let module: WebAssembly.Module | null = parts.kernels instanceof WebAssembly.Module ? parts.kernels : null;
  const bytes = parts.kernels;
  const relaxed = parts.relaxedKernels;
  let relaxedModule: WebAssembly.Module | null | undefined = relaxed instanceof WebAssembly.Module ? relaxed : undefined;
  return {
    kernels: () => {
      if (module === null) module = compileKernels(bytes as BufferSource, 'the given bytes');
      return module;
    },
    relaxedKernels: () => {
      if (relaxedModule === undefined) {
        const b = relaxed as BufferSource | undefined;
        relaxedModule = b !== undefined && WebAssembly.validate(b) ? compileKernels(b, 'the given relaxed-SIMD bytes') : null;
      }
      return relaxedModule;
    },
    ...(parts.startThread === undefined ? {} : { startThread: parts.startThread }),
    cores: parts.cores ?? 1,
    env: parts.env ?? {},
    warn: parts.warn ?? ((m) => console.warn(m)),
  };
}

/** Compiles kernel bytes; BackendError names `from` and says how to rebuild them. */
export function compileKernels(bytes: BufferSource, from: string): WebAssembly.Module {
  try {
    return new WebAssembly.Module(bytes);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new BackendError(`the wasm kernels at ${from} failed to compile (${why}); rebuild them with \`npm run build:wasm\``, {
      where: 'createWasmBackend',
      got: from,
    });
  }
}

/** The platform of a host that gave widen nothing: no kernels (so 'auto' means the ref backend), one core, no variables. */
export const BARE_PLATFORM: EnginePlatform = {
  kernels: () => {
    throw new BackendError(
      'no wasm kernels were given to widen: on Node call useNodePlatform() from widen/node once; elsewhere pass createEngine({ platform: createPlatform({ kernels }) })',
      { where: 'createEngine' },
    );
  },
  cores: 1,
  env: {},
  warn: (m) => console.warn(m),
};

let current: EnginePlatform = BARE_PLATFORM;

/** Makes `platform` the one engines use when they are given none (the Node shell's useNodePlatform calls this). */
export function setDefaultPlatform(platform: EnginePlatform): void {
  current = platform;
}

/** The platform engines use when they are given none: BARE_PLATFORM until a host sets its own. */
export function defaultPlatform(): EnginePlatform {
  return current;
}
