import { BackendError } from '../errors.js';
import type { KernelThread, KernelThreadInit } from '../platform.js';

// Mailbox: an Int32Array control block followed by a Float64Array of kernel arguments, in a small
// SharedArrayBuffer of its own. The main thread bumps SEQ to post a job; the worker copies SEQ
// into DONE when the job has finished.
const SEQ = 0;
const DONE = 1;
const KERNEL = 2;
const STATE = 3;
const FAILED = 4;
/** Wakes of the worker that found no new job (counted, never run: a job must not run twice). */
const IDLE_WAKES = 5;
const ARGS_OFFSET = 64;
/** Arguments a posted kernel call can take (spmmPairs takes 18). */
const MAX_ARGS = 20;
const STATE_STARTING = 0;
const STATE_READY = 1;
/** How long createWasmBackend waits for the worker to instantiate the module. */
const START_TIMEOUT_MS = 10_000;
/** Polls of DONE before the main thread sleeps in Atomics.wait; the two halves usually end close together. */
const SPINS = 2000;

/**
 * The kernel thread's program, as the source of a JS function taking a KernelThreadInit: it
 * instantiates the same module on the same shared memory, then runs posted jobs forever. A host
 * runs it in a thread of its own (Node: `(SOURCE)(require('node:worker_threads').workerData)` in a
 * Worker evaluated from a string; a page: the same from a Worker's first message), so no file has
 * to be found under tsx, dist or a bundle.
 */
export const KERNEL_THREAD_SOURCE = `(data) => {
const { module, memory, mailbox, names } = data;
const ctl = new Int32Array(mailbox, 0, ${ARGS_OFFSET / 4});
const a = new Float64Array(mailbox, ${ARGS_OFFSET}, ${MAX_ARGS});
let fns = null;
try {
  // a trap or abort is caught by the loop below and reported through FAILED: the main thread throws BackendError
  const instance = new WebAssembly.Instance(module, { env: { memory, abort() { throw new WebAssembly.RuntimeError('wasm abort'); } } });
  fns = names.map((name) => instance.exports[name]);
} catch {
  // reported through STATE; the main thread throws BackendError
}
Atomics.store(ctl, ${STATE}, fns === null ? -1 : ${STATE_READY});
Atomics.notify(ctl, ${STATE});
let seen = 0;
while (fns !== null) {
  Atomics.wait(ctl, ${SEQ}, seen);
  const next = Atomics.load(ctl, ${SEQ});
  if (next === seen) {
    // woken with nothing new posted: running the last job again would apply an accumulating kernel twice
    ctl[${IDLE_WAKES}]++;
    continue;
  }
  seen = next;
  let failed = 0;
  try {
    fns[ctl[${KERNEL}]](${Array.from({ length: MAX_ARGS }, (_, i) => `a[${i}]`).join(', ')});
  } catch {
    failed = 1;
  }
  ctl[${FAILED}] = failed;
  Atomics.store(ctl, ${DONE}, seen);
  Atomics.notify(ctl, ${DONE});
}
}`;

/**
 * One worker thread running the kernels of a shared-memory wasm module: `start` posts a job,
 * the caller runs its own share, `join` waits for the worker's share.
 */
export class WorkerPool {
  private readonly worker: KernelThread;
  private readonly ctl: Int32Array;
  private readonly args: Float64Array;
  private seq = 0;

  /** Starts the worker with the host's `start` and waits (synchronously) until it has instantiated `module` on `memory`. */
  constructor(
    start: (init: KernelThreadInit) => KernelThread,
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    names: readonly string[],
  ) {
    const mailbox = new SharedArrayBuffer(ARGS_OFFSET + MAX_ARGS * 8);
    this.ctl = new Int32Array(mailbox, 0, ARGS_OFFSET / 4);
    this.args = new Float64Array(mailbox, ARGS_OFFSET, MAX_ARGS);
    this.worker = start({ module, memory, mailbox, names: [...names] });
    // the worker thread boots on its own; the main thread may block meanwhile. Atomics.wait can
    // return before anything was stored (seen in stress runs), so wait until the state changes
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (let left = START_TIMEOUT_MS; left > 0 && Atomics.load(this.ctl, STATE) === STATE_STARTING; left = deadline - Date.now()) {
      Atomics.wait(this.ctl, STATE, STATE_STARTING, left);
    }
    if (Atomics.load(this.ctl, STATE) !== STATE_READY) {
      this.worker.terminate();
      throw new BackendError(`the wasm worker thread failed to start within ${START_TIMEOUT_MS} ms; use threads: 1`, {
        where: 'createWasmBackend',
      });
    }
  }

  /** Posts kernel `id` (an index into the constructor's names) with up to MAX_ARGS numeric arguments. */
  start(id: number, args: readonly number[]): void {
    this.args.fill(0);
    this.args.set(args);
    this.ctl[KERNEL] = id;
    this.seq = (this.seq + 1) | 0;
    Atomics.store(this.ctl, SEQ, this.seq);
    Atomics.notify(this.ctl, SEQ, 1);
  }

  /** Waits until the posted job is done; throws BackendError if it trapped in the worker. */
  join(): void {
    for (let i = 0; i < SPINS && Atomics.load(this.ctl, DONE) !== this.seq; i++);
    while (Atomics.load(this.ctl, DONE) !== this.seq) Atomics.wait(this.ctl, DONE, (this.seq - 1) | 0);
    if (this.ctl[FAILED] !== 0) {
      throw new BackendError('a wasm kernel trapped in the worker thread (out-of-bounds pointer?)', { where: 'WorkerPool' });
    }
  }

  /** How many times the worker woke and found no new job (skipped; a diagnostic of issue 14, defect 13). */
  idleWakes(): number {
    return Atomics.load(this.ctl, IDLE_WAKES);
  }

  /** Stops the worker thread. */
  dispose(): void {
    this.worker.terminate();
  }
}
