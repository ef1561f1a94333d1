import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Arena, BackendError, buildCsr, createEngine, Rng, ShapeError, Tensor } from '../../src/engine/index.js';

test('arena allocations are aligned, zeroed, disjoint, and reused after release', () => {
  const arena = new Arena({ initialPages: 1 });
  const a = arena.alloc(10);
  const b = arena.alloc(100);
  assert.equal(a % 64, 0);
  assert.equal(b % 64, 0);
  assert.ok(a >= 1024, 'pointer 0 region is reserved');
  assert.ok(b >= a + 64, 'blocks do not overlap');
  arena.u8(a, 10).fill(7);
  arena.release(a);
  const c = arena.alloc(8);
  assert.equal(c, a, 'first fit reuses the freed block');
  assert.deepEqual([...arena.u8(c, 8)], [0, 0, 0, 0, 0, 0, 0, 0], 'reused memory is zeroed');
  assert.throws(() => arena.release(a + 1), BackendError);
});

test('arena grows memory and fresh views see the new buffer', () => {
  const arena = new Arena({ initialPages: 1 });
  const t = new Tensor(arena, [4]);
  t.data.set([1, 2, 3, 4]);
  const before = arena.memory.buffer.byteLength;
  const big = arena.alloc(5 * 65536);
  assert.ok(arena.memory.buffer.byteLength > before, 'memory grew');
  assert.deepEqual([...t.data], [1, 2, 3, 4], 'tensor views are re-derived after growth');
  arena.release(big);
  t.dispose();
  assert.equal(arena.bytesInUse, 0);
});

test('freed neighbours merge so a large block fits where two small ones were', () => {
  const arena = new Arena({ initialPages: 1 });
  const a = arena.alloc(64);
  const b = arena.alloc(64);
  const guard = arena.alloc(64);
  arena.release(a);
  arena.release(b);
  assert.equal(arena.alloc(128), a);
  arena.release(guard);
});

test('tensor validates shapes and set() lengths', () => {
  const engine = createEngine({ backend: 'ref' });
  assert.throws(() => engine.tensor([2, -1]), /tensor dimensions must be non-negative integers, got \[2, -1\]/);
  const t = engine.tensor([2, 3]);
  assert.throws(() => t.set([1, 2]), ShapeError);
  assert.equal(engine.from([1, 2, 3], [3], 'i32').ints[2], 3);
  assert.throws(() => t.ints, /tensor is f32/);
  t.dispose();
  assert.throws(() => t.data, /after dispose/);
});

test('buildCsr builds matching CSR and CSC views with a value permutation', () => {
  const arena = new Arena({ initialPages: 1 });
  // 3 x 4 mask
  const mask = [1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 1];
  const csr = buildCsr(arena, 3, 4, mask);
  assert.equal(csr.nnz, 5);
  assert.deepEqual([...arena.i32(csr.rowPtr, 4)], [0, 2, 2, 5]);
  assert.deepEqual([...arena.i32(csr.colIdx, 5)], [0, 2, 0, 1, 3]);
  assert.deepEqual([...arena.i32(csr.cscPtr, 5)], [0, 2, 3, 4, 5]);
  assert.deepEqual([...arena.i32(csr.cscRow, 5)], [0, 2, 2, 0, 2]);
  assert.deepEqual([...arena.i32(csr.cscPerm, 5)], [0, 2, 3, 1, 4]);
  assert.throws(() => buildCsr(arena, 3, 3, mask), /mask has 12 entries, expected rows x cols = 3 x 3 = 9/);
  csr.dispose();
});

test('rng is deterministic per seed, uniform in range, and normal has unit moments', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const seqA = Array.from({ length: 5 }, () => a.nextU32());
  assert.deepEqual(
    seqA,
    Array.from({ length: 5 }, () => b.nextU32()),
  );
  assert.notDeepEqual(
    seqA,
    Array.from({ length: 5 }, () => new Rng(43).nextU32()),
  );
  const r = new Rng(1);
  const counts = new Array(7).fill(0);
  for (let i = 0; i < 70000; i++) counts[r.int(7)]++;
  for (const c of counts) assert.ok(Math.abs(c - 10000) < 500, `bucket count ${c} far from 10000`);
  let s = 0;
  let s2 = 0;
  const n = 50000;
  for (let i = 0; i < n; i++) {
    const z = r.normal();
    s += z;
    s2 += z * z;
  }
  assert.ok(Math.abs(s / n) < 0.02);
  assert.ok(Math.abs(s2 / n - 1) < 0.03);
  const perm = r.shuffle([0, 1, 2, 3, 4, 5]);
  assert.deepEqual([...perm].sort(), [0, 1, 2, 3, 4, 5]);
});

test('createEngine rejects bad options with the allowed values', () => {
  assert.throws(() => createEngine({ backend: 'gpu' as never }), /unknown backend 'gpu'; allowed: wasm, ref, auto/);
  assert.throws(() => createEngine({ threads: 3 }), /threads must be 1 or 2, got 3/);
});
