import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { delimiter, join } from 'node:path';
import type { ImageSetName } from '../data/index.js';
import { selectKernels } from '../engine/index.js';
import { type DataEnvironment, locateImageSet } from './data/image-sets.js';
import { defaultWasmPath, enableRelaxedSimd, nodePlatform, relaxedWasmPath } from './platform.js';

/** One line of `widen doctor`: what was checked, what was found, and what to do when it is missing. */
export interface DoctorCheck {
  name: string;
  /** ok: present and fine; warn: present but needs attention; missing: not there. */
  status: 'ok' | 'warn' | 'missing';
  found: string;
  /** What to do (null when ok). */
  fix: string | null;
  /** Whether widen works without it (only some commands or studies need it). */
  optional: boolean;
}

/** Where doctor looks; every field defaults to this machine (tests replace them). */
export interface DoctorOptions extends DataEnvironment {
  /** Node's version string, e.g. 'v20.19.0'. Default process.version. */
  nodeVersion?: string;
  /** Today, for the end-of-life check. Default now. */
  now?: Date;
  /** The Python that must import torch. Default /usr/bin/python3. */
  python?: string;
  /** The browser binary. Default /usr/bin/chromium. */
  chromium?: string;
  /** Directories searched for redis-server. Default $PATH. */
  path?: string;
}

// a module with one () -> v128 function: magic, version, the type and function sections, then the code
// section (its byte size, one body of `size` bytes: no locals, `code`, end)
const V128_FUNCTION = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00];
const v128Module = (code: number[]): number[] => [...V128_FUNCTION, 0x0a, code.length + 4, 0x01, code.length + 2, 0x00, ...code, 0x0b];
const V128_ZERO = [0xfd, 0x0c, ...new Array(16).fill(0)];
// v128.const 0
const SIMD_MODULE = v128Module(V128_ZERO);
// i8x16.relaxed_swizzle (0xfd 0x100) of two v128 constants
const RELAXED_SIMD_MODULE = v128Module([...V128_ZERO, ...V128_ZERO, 0xfd, 0x80, 0x02]);
// a function running atomic.fence (the threads proposal)
const THREADS_MODULE = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x07, 0x01, 0x05, 0x00,
  0xfe, 0x03, 0x00, 0x0b,
];

/** The end of life of a Node major: even (LTS) lines end on 30 April three years after their release, odd ones on 1 June a year after. */
export function nodeEndOfLife(major: number): Date {
  return major % 2 === 0 ? new Date(Date.UTC(2025 + (major - 18) / 2, 3, 30)) : new Date(Date.UTC(2024 + (major - 21) / 2, 5, 1));
}

const validates = (bytes: number[]): boolean => WebAssembly.validate(new Uint8Array(bytes));

/**
 * Checks what widen needs and what its optional parts use: Node and its end of life, wasm SIMD,
 * threads and relaxed SIMD, the kernel build, cores, the image sets, PyTorch, chromium and
 * redis-server; each missing one says what to do. Example: `for (const c of await doctor()) console.log(c.name, c.status)`.
 */
export async function doctor(options: DoctorOptions = {}): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const add = (name: string, ok: boolean, found: string, fix: string, optional: boolean, warn = false) =>
    checks.push({ name, status: ok ? 'ok' : warn ? 'warn' : 'missing', found, fix: ok ? null : fix, optional });

  const version = options.nodeVersion ?? process.version;
  const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
  const eol = nodeEndOfLife(major);
  const now = options.now ?? new Date();
  const day = eol.toISOString().slice(0, 10);
  add(
    'node',
    major >= 20 && now < eol,
    `${version} (${now < eol ? 'supported until' : 'past its end of life on'} ${day})`,
    major < 20
      ? 'widen needs Node >= 20; install Node 22 or 24 (LTS)'
      : 'this Node line gets no more security fixes; install Node 22 or 24 (LTS)',
    false,
    major >= 20,
  );
  const simd = validates(SIMD_MODULE);
  add(
    'wasm SIMD',
    simd,
    simd ? 'v128 supported' : 'no v128',
    'the wasm kernels need SIMD; widen falls back to the slow ref backend; use Node >= 20',
    false,
  );
  const threads = typeof SharedArrayBuffer === 'function' && validates(THREADS_MODULE) && sharedMemory();
  add(
    'wasm threads',
    threads,
    threads ? 'shared memory and atomics supported' : 'no shared WebAssembly.Memory',
    'the second kernel thread needs shared memory; widen runs with 1 thread (WIDEN_THREADS=1)',
    true,
  );
  // on Node 20 relaxed SIMD sits behind a V8 flag that widen's Node platform sets
  const native = validates(RELAXED_SIMD_MODULE);
  const relaxed = native || enableRelaxedSimd();
  add(
    'wasm relaxed SIMD',
    relaxed,
    relaxed ? `supported${native ? '' : ' (behind a V8 flag on this Node; widen sets it)'}` : 'not supported by this Node',
    'widen runs its plain-SIMD kernels (no fused multiply-add); Node >= 22 (V8 >= 11.4) enables relaxed SIMD',
    true,
  );
  const env = { ...process.env, ...options.env };
  const wasm = env.WIDEN_WASM || defaultWasmPath();
  add(
    'kernel build',
    existsSync(wasm),
    `${wasm}; ${kernelsUsed(wasm, env)}`,
    'build the kernels with `npm run build:wasm`; without them widen uses the ref backend',
    false,
    false,
  );
  const cores = availableParallelism();
  add('cores', cores >= 2, `${cores}`, 'one core: `widen run` runs one trial at a time and kernels use 1 thread', true, true);

  for (const name of ['mnist', 'fashion-mnist'] as ImageSetName[]) {
    try {
      const files = await locateImageSet(name, options);
      add(`data: ${name}`, true, files.trainImages.replace(/[/\\][^/\\]*$/, ''), '', true);
    } catch (err) {
      const text = (err as Error).message;
      add(`data: ${name}`, false, 'not found', text.slice(text.indexOf('To get it: ') + 'To get it: '.length), true);
    }
  }

  const python = options.python ?? '/usr/bin/python3';
  const torch = existsSync(python)
    ? spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 })
    : null;
  const torchVersion = torch?.status === 0 ? torch.stdout.trim() : null;
  add(
    'PyTorch',
    torchVersion !== null,
    torchVersion !== null ? `torch ${torchVersion} (${python})` : existsSync(python) ? `${python} cannot import torch` : `no ${python}`,
    'only `npm run bench` (widen against PyTorch) and the fixture scripts need it; run scripts/ensure-torch.sh (apt-get install python3-torch python3-numpy)',
    true,
  );
  const chromium = options.chromium ?? '/usr/bin/chromium';
  add(
    'chromium',
    executable(chromium),
    executable(chromium) ? chromium : `no ${chromium}`,
    'only needed to look at reports and the page in a browser; apt-get install chromium',
    true,
  );
  const dirs = (options.path ?? process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  const redis = dirs.map((d) => join(d, 'redis-server')).find(executable);
  add(
    'redis-server',
    redis !== undefined,
    redis ?? 'not on $PATH',
    'only queue sweeps over several machines (bullmq) need it; apt-get install redis-server',
    true,
  );
  return checks;
}

function sharedMemory(): boolean {
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Which wasm kernel build engines on this host will run, and why, as doctor prints it. */
function kernelsUsed(wasm: string, env: Readonly<Record<string, string | undefined>>): string {
  const relaxed = relaxedWasmPath(wasm);
  try {
    const { flavour } = selectKernels({ ...nodePlatform({ wasmPath: wasm }), env });
    if (flavour === 'relaxed') return `kernels used: relaxed SIMD with FMA (${relaxed}; WIDEN_KERNELS=plain forces the plain ones)`;
    const why =
      env.WIDEN_KERNELS === 'plain'
        ? 'WIDEN_KERNELS=plain'
        : existsSync(relaxed)
          ? 'this Node does not validate relaxed SIMD'
          : `no ${relaxed}`;
    return `kernels used: plain SIMD (${why})`;
  } catch (err) {
    return `kernels used: none (${(err as Error).message})`;
  }
}
