import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { assertSameBits, KernelFixture } from './kernel-fixture.js';

// gatherRows copies rows picked by an i32 order, bit for bit (f32 or i32 rows), on both backends.
const f = new KernelFixture(1, 41);
after(() => f.dispose());

test('gatherRows picks the ordered rows, bit for bit, at odd widths and counts, on ref and wasm', () => {
  for (const width of [1, 3, 4, 5, 17, 32, 784]) {
    for (const [rows, count] of [
      [1, 1],
      [5, 3],
      [17, 17],
      [40, 33],
    ]) {
      const src = f.rand(rows * width, 10);
      // a NaN with a payload and a -0 must come through unchanged
      const bits = f.arena.i32(src, rows * width);
      bits[0] = 0x7fc01234;
      bits[rows * width - 1] = 0x80000000;
      const order = f.arena.alloc(count * 4);
      const o = f.arena.i32(order, count);
      for (let i = 0; i < count; i++) o[i] = f.rng.int(rows);
      o[0] = rows - 1;
      const want = new Float32Array(count * width);
      const s = f.read(src, rows * width);
      for (let i = 0; i < count; i++) want.set(s.subarray(o[i] * width, (o[i] + 1) * width), i * width);
      for (const be of [f.ref, f.wasm]) {
        const dst = f.rand(count * width);
        be.gatherRows(count, width, order, src, dst);
        assertSameBits(f.read(dst, count * width), want, `${be.name} gatherRows ${count} of ${rows} rows x ${width}`);
        f.arena.release(dst);
      }
      f.arena.release(src);
      f.arena.release(order);
    }
  }
});

test('gatherRows with count 0 writes nothing', () => {
  const dst = f.rand(4);
  const before = f.read(dst, 4);
  for (const be of [f.ref, f.wasm]) be.gatherRows(0, 4, 8, 8, dst);
  assert.deepEqual(f.read(dst, 4), before);
});
