import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CheckpointError } from '../../src/engine/index.js';
import { decodeSafetensors, encodeSafetensors, entryF32 } from '../../src/nn/index.js';
import { readSafetensors, writeSafetensors } from '../../src/node/index.js';

/** A file laid out by hand from the format description: u64 LE header length, JSON header, data. */
function handMade(header: string, data: number[]): Uint8Array {
  const head = Buffer.from(header, 'utf8');
  const out = new Uint8Array(8 + head.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  out.set(data, 8 + head.length);
  return out;
}

const f32Bytes = (...v: number[]) => [...new Uint8Array(new Float32Array(v).buffer)];

describe('safetensors', () => {
  it('decodes a hand-made file', () => {
    const bytes = handMade(
      '{"__metadata__":{"k":"v"},"b":{"dtype":"U8","shape":[3],"data_offsets":[8,11]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}',
      [...f32Bytes(1.5, -2), 7, 8, 9],
    );
    const f = decodeSafetensors(bytes, 'hand.safetensors');
    assert.deepEqual(f.metadata, { k: 'v' });
    assert.deepEqual([...f.tensors.keys()], ['b', 'a'], 'file order is kept');
    assert.deepEqual(entryF32('hand', 'a', f.tensors.get('a')!), new Float32Array([1.5, -2]));
    assert.deepEqual(f.tensors.get('b')!.data, new Uint8Array([7, 8, 9]));
  });

  it('round-trips every dtype it is given, with an 8-byte aligned header', () => {
    const bytes = encodeSafetensors(
      {
        w: { dtype: 'F32', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
        m: { dtype: 'U8', shape: [3], data: new Uint8Array([1, 0, 1]) },
        i: { dtype: 'I32', shape: [1], data: new Int32Array([-5]) },
        d: { dtype: 'F64', shape: [], data: new Float64Array([Math.PI]) },
        e: { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
      },
      { note: 'x' },
    );
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    assert.equal((8 + n) % 8, 0);
    const f = decodeSafetensors(bytes);
    assert.deepEqual(new Int32Array(f.tensors.get('i')!.data.buffer), new Int32Array([-5]));
    assert.deepEqual(new Float64Array(f.tensors.get('d')!.data.buffer), new Float64Array([Math.PI]));
    assert.deepEqual(f.tensors.get('e')!.shape, [0, 4]);
    assert.deepEqual(f.metadata, { note: 'x' });
  });

  it('refuses malformed files with a CheckpointError naming the source and the problem', () => {
    const good = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    const data = f32Bytes(1, 2);
    const bad: Array<[Uint8Array, RegExp]> = [
      [new Uint8Array(5), /f\.st: file is 5 bytes, too short for the 8-byte header length/],
      [handMade(good, data).slice(0, 30), /header length 54 exceeds the 22 bytes after the length field/],
      [handMade('{"a":', data), /header is not valid UTF-8 JSON/],
      [handMade('[1,2]', data), /header is not a JSON object/],
      [handMade(good.replace('F32', 'F33'), data), /tensor 'a' has dtype "F33"; allowed: BOOL, U8/],
      [handMade(good.replace('[2]', '[3]'), data), /tensor 'a' \(F32 \[3\]\) needs 12 bytes but data_offsets \[0, 8\] span 8/],
      [
        handMade(good.replace('[0,8]', '[4,12]').replace('[2]', '[2]'), data),
        /tensor 'a' starts at byte 4 of the data section, expected 0/,
      ],
      [handMade(good, [...data, 0]), /tensors cover 8 bytes but the data section has 9: trailing or missing data/],
      [handMade(good, data.slice(0, 6)), /tensor 'a' ends at byte 8 but the data section has 6 bytes/],
      [
        handMade('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', data),
        /tensor 'b' starts at byte 4 of the data section, expected 8: ranges must be contiguous and non-overlapping/,
      ],
      [
        handMade('{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}', data),
        /tensor 'a' has shape \[-2\]; expected an array of non-negative integers/,
      ],
      [handMade('{"__metadata__":{"k":1}}', []), /__metadata__\.k is not a string/],
    ];
    for (const [bytes, pattern] of bad) {
      assert.throws(
        () => decodeSafetensors(bytes, 'f.st'),
        (e) => e instanceof CheckpointError && e.message.startsWith('f.st: ') && pattern.test(e.message),
        pattern.source,
      );
    }
    const huge = handMade(good, data);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 63n, true);
    assert.throws(
      () => decodeSafetensors(huge, 'f.st'),
      (e) => e instanceof CheckpointError && /header length 9223372036854775808 exceeds/.test(e.message),
    );
  });

  it('writes atomically: the whole file or the old one, and no temp file left behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'widen-st-'));
    const path = join(dir, 'x.safetensors');
    writeFileSync(path, 'old');
    writeSafetensors(path, { a: { dtype: 'U8', shape: [2], data: new Uint8Array([1, 2]) } });
    assert.deepEqual(readdirSync(dir), ['x.safetensors']);
    assert.deepEqual(readSafetensors(path).tensors.get('a')!.data, new Uint8Array([1, 2]));
    assert.ok(readFileSync(path).length > 8);
    assert.throws(
      () => writeSafetensors(join(dir, 'missing', 'y.safetensors'), {}),
      (e) => e instanceof CheckpointError && /y\.safetensors: cannot write/.test(e.message),
    );
    assert.throws(
      () => readSafetensors(join(dir, 'nope.safetensors')),
      (e) => e instanceof CheckpointError && /nope\.safetensors: cannot read/.test(e.message),
    );
  });
});
