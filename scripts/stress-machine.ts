// Machine check for issue 14, defect 13: does a SIMD computation give the same bits every time when
// two threads hand work back and forth the way the two-thread engine does, but share NO data?
// Each thread owns its own wasm memory and instance of build/widen.wasm and computes the same
// 256x512x512 gemm over and over into its own output, comparing every result bitwise with its
// first one. The main thread posts a job through an Atomics mailbox, computes its own copy, and
// waits for the worker, exactly like WorkerPool. Any mismatch here cannot be a race in widen (no
// byte is shared): it would be the machine (e.g. vector register state lost across a context switch).
// Run: node --import tsx scripts/stress-machine.ts [seconds=60] [mode=both|main]
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { defaultWasmPath } from '../src/node/platform.js';

const seconds = Number(process.argv[2] ?? 60);
const mode = process.argv[3] ?? 'both';
const module = new WebAssembly.Module(readFileSync(defaultWasmPath()));
const mailbox = new SharedArrayBuffer(64);

/** The job both threads run: builds private inputs, then computes gemm on `post` until told to stop. */
const program = `(data) => {
const { module, mailbox, M, N, K } = data;
const ctl = new Int32Array(mailbox);
const memory = new WebAssembly.Memory({ initial: 512, maximum: 65536, shared: true });
const x = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('abort'); } } }).exports;
const f32 = (p, n) => new Float32Array(memory.buffer, p, n);
const scratch = 1024, sf = x.gemmScratchFloats();
const a = scratch + sf * 4 + 64, b = a + M * K * 4, c = b + K * N * 4, first = c + M * N * 4;
let s = 12345;
const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) - 0.5;
f32(a, M * K).forEach((_, i, v) => { v[i] = rnd(); });
f32(b, K * N).forEach((_, i, v) => { v[i] = rnd(); });
const run = () => x.gemm(0, M, 0, N, scratch, 0, 0, M, N, K, 1, a, b, 0, c);
run();
f32(first, M * N).set(f32(c, M * N));
const same = () => { const u = new Int32Array(memory.buffer, c, M * N), v = new Int32Array(memory.buffer, first, M * N); for (let i = 0; i < u.length; i++) if (u[i] !== v[i]) return false; return true; };
return { run, same };
}`;

const M = 256;
const N = 512;
const K = 512;
const workerSource = `
const { workerData } = require('node:worker_threads');
const t = (${program})(workerData);
const ctl = new Int32Array(workerData.mailbox);
let seen = 0, bad = 0;
for (;;) {
  Atomics.wait(ctl, 0, seen);
  seen = Atomics.load(ctl, 0);
  if (seen < 0) break;
  t.run();
  if (!t.same()) bad++;
  Atomics.store(ctl, 2, bad);
  Atomics.store(ctl, 1, seen);
  Atomics.notify(ctl, 1);
}
`;
const ctl = new Int32Array(mailbox);
const worker = mode === 'both' ? new Worker(workerSource, { eval: true, workerData: { module, mailbox, M, N, K } }) : null;
const mine = new Function(`return ${program}`)()({ module, mailbox, M, N, K });
await new Promise((r) => setTimeout(r, 500));
let seq = 0;
let badMain = 0;
let jobs = 0;
const t0 = performance.now();
while (performance.now() - t0 < seconds * 1000) {
  // bursts of work with idle gaps, as a training run between evaluations
  for (let i = 0; i < 50; i++) {
    seq++;
    if (worker !== null) {
      Atomics.store(ctl, 0, seq);
      Atomics.notify(ctl, 0, 1);
    }
    mine.run();
    if (!mine.same()) badMain++;
    if (worker !== null) while (Atomics.load(ctl, 1) !== seq) Atomics.wait(ctl, 1, seq - 1, 1);
    jobs++;
  }
  await new Promise((r) => setTimeout(r, Math.random() * 20));
}
const badWorker = Atomics.load(ctl, 2);
Atomics.store(ctl, 0, -1);
Atomics.notify(ctl, 0);
await worker?.terminate();
process.stdout.write(`${JSON.stringify({ seconds, mode, jobs, badMain, badWorker })}\n`);
