import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Arena } from '../../src/engine/arena.js';
import { defaultPlatform } from '../../src/engine/platform.js';
import { WorkerPool } from '../../src/engine/wasm/pool.js';

/** Index of SEQ in the mailbox's control block (pool.ts). */
const SEQ = 0;

test('a wake of the kernel thread with no new job never runs the last job again (issue 14, defect 13)', () => {
  const platform = defaultPlatform();
  assert.ok(platform.startThread, 'the Node platform starts threads');
  const arena = new Arena({ initialPages: 16 });
  const pool = new WorkerPool(platform.startThread, platform.kernels(), arena.memory, ['rowSum']);
  try {
    const rows = 8;
    const n = 16;
    const a = arena.alloc(rows * n * 4);
    const out = arena.alloc(rows * 4);
    arena.f32(a, rows * n).fill(1);
    // rowSum(lo, hi, n, a, beta, out) with beta = 1 accumulates: running it twice would give 32
    pool.start(0, [0, rows, n, a, 1, out]);
    pool.join();
    assert.deepEqual([...arena.f32(out, rows)], Array(rows).fill(16));
    // wake the waiting worker without posting anything (what a spurious wake-up would do)
    const ctl = (pool as unknown as { ctl: Int32Array }).ctl;
    const deadline = Date.now() + 5000;
    while (Atomics.notify(ctl, SEQ, 1) === 0 && Date.now() < deadline);
    const sleep = new Int32Array(new SharedArrayBuffer(4));
    while (pool.idleWakes() === 0 && arena.f32(out, 1)[0] === 16 && Date.now() < deadline) Atomics.wait(sleep, 0, 0, 5);
    assert.deepEqual([...arena.f32(out, rows)], Array(rows).fill(16), 'the accumulating kernel ran once');
    assert.equal(pool.idleWakes(), 1, 'the worker counted one wake with nothing to do');
    // and the next real job still runs, once
    pool.start(0, [0, rows, n, a, 1, out]);
    pool.join();
    assert.deepEqual([...arena.f32(out, rows)], Array(rows).fill(32));
  } finally {
    pool.dispose();
  }
});
