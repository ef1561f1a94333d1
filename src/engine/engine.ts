import { Arena, type ArenaOptions } from './arena.js';
import type { Backend } from './backend.js';
import { ConfigError, WidenError } from './errors.js';
import { defaultPlatform, type EnginePlatform } from './platform.js';
import { RefBackend } from './ref/ref-backend.js';
import { type DType, Tensor } from './tensor.js';
import type { KernelChoice } from './wasm/load.js';
import { createWasmBackend } from './wasm/wasm-backend.js';

/** Which kernel table to use: 'wasm' (SIMD, the default), 'ref' (plain TypeScript) or 'auto' (wasm, else ref). */
export type BackendName = 'wasm' | 'ref' | 'auto';

/** Options of createEngine. */
export interface EngineOptions {
  /** Kernel table; 'auto' (default) takes wasm and falls back to ref with one warning. */
  backend?: BackendName;
  /** Threads for the heavy kernels: 1 or 2 (default: 2 when the machine has 2+ cores and the host can start threads). Ignored by ref. */
  threads?: number;
  /** The host's kernels, threads, cores and environment (default: the one set by setDefaultPlatform, e.g. useNodePlatform()). */
  platform?: EnginePlatform;
  /**
   * Which wasm kernel build: 'auto' (default) takes the relaxed-SIMD one (fused multiply-add) where
   * the host validates it, else the plain-SIMD one; 'plain' forces the plain one; 'relaxed' fails
   * where it is not available. Default from WIDEN_KERNELS. The two differ in the last bits.
   */
  kernels?: KernelChoice;
  /** Arena sizing in 64 KiB pages. */
  arena?: ArenaOptions;
  /** Where the one-time fallback warning goes (default: the platform's warn). */
  onWarning?: (message: string) => void;
}

/** An arena plus the kernel table that works on it: the handle every layer and tensor belongs to. */
export class Engine {
  readonly arena: Arena;
  readonly backend: Backend;

  constructor(arena: Arena, backend: Backend) {
    this.arena = arena;
    this.backend = backend;
  }

  /** A zero-filled tensor of `shape` in this engine's memory. */
  tensor(shape: readonly number[], dtype: DType = 'f32'): Tensor {
    return new Tensor(this.arena, shape, dtype);
  }

  /** A tensor of `shape` holding a copy of `values`. */
  from(values: ArrayLike<number>, shape: readonly number[], dtype: DType = 'f32'): Tensor {
    return new Tensor(this.arena, shape, dtype).set(values);
  }

  /** Stops the backend's worker thread, if any. */
  dispose(): void {
    this.backend.dispose();
  }
}

let fallbackWarned = false;

/**
 * Creates an engine. Example: `const engine = createEngine({ backend: 'wasm', threads: 1 })`.
 * The platform's environment variables WIDEN_BACKEND, WIDEN_THREADS and WIDEN_KERNELS supply defaults for unset options.
 */
export function createEngine(options: EngineOptions = {}): Engine {
  const platform = options.platform ?? defaultPlatform();
  const backendName = options.backend ?? parseBackend(platform.env.WIDEN_BACKEND) ?? 'auto';
  const cores = platform.startThread === undefined ? 1 : platform.cores;
  const threads = options.threads ?? parseThreads(platform.env.WIDEN_THREADS) ?? Math.max(1, Math.min(2, cores));
  if (!['wasm', 'ref', 'auto'].includes(backendName)) {
    throw new ConfigError(`unknown backend '${backendName}'; allowed: wasm, ref, auto`, {
      where: 'createEngine',
      got: backendName,
      allowed: 'wasm, ref, auto',
    });
  }
  if (threads !== 1 && threads !== 2) {
    throw new ConfigError(`threads must be 1 or 2, got ${threads}`, { where: 'createEngine', got: threads, allowed: '1, 2' });
  }
  const arena = new Arena(options.arena);
  if (backendName === 'ref') return new Engine(arena, new RefBackend(arena));
  try {
    return new Engine(arena, createWasmBackend(arena, { threads, platform, kernels: options.kernels }));
  } catch (err) {
    // a bad kernels / WIDEN_KERNELS value is the caller's mistake, not a host without wasm
    if (backendName === 'wasm' || err instanceof ConfigError) throw err;
    // a worker that starts too slowly (a cold, busy machine) must not change the numbers: the wasm
    // kernels give the same bits on one thread, the reference kernels do not
    if (threads === 2) {
      try {
        const backend = createWasmBackend(arena, { threads: 1, platform, kernels: options.kernels });
        const why = err instanceof Error ? err.message : String(err);
        (options.onWarning ?? ((m: string) => platform.warn(m)))(`widen: ${why}; running the wasm kernels on one thread (same results)`);
        return new Engine(arena, backend);
      } catch {
        // the wasm module itself does not load: fall through to the reference backend
      }
    }
    if (!fallbackWarned) {
      fallbackWarned = true;
      const why = err instanceof WidenError || err instanceof Error ? err.message : String(err);
      const warn = options.onWarning ?? ((m: string) => platform.warn(m));
      warn(`widen: the wasm backend could not load (${why}); using the slower reference backend`);
    }
    return new Engine(arena, new RefBackend(arena));
  }
}

function parseBackend(v: string | undefined): BackendName | undefined {
  return v === undefined || v === '' ? undefined : (v as BackendName);
}

function parseThreads(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new ConfigError(`WIDEN_THREADS must be 1 or 2, got '${v}'`, { where: 'WIDEN_THREADS', got: v });
  return n;
}

let shared: Engine | null = null;
let sharedOn: EnginePlatform | null = null;

/**
 * The engine used when a layer or model is created without one; made on first use, never at
 * import, and made anew when the default platform has changed since (useNodePlatform after a
 * first use without it).
 */
export function defaultEngine(): Engine {
  if (shared === null || sharedOn !== defaultPlatform()) {
    shared = createEngine();
    sharedOn = defaultPlatform();
  }
  return shared;
}
