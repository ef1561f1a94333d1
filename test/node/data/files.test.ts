import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { labeledData } from '../../../src/data/labeled.js';
import { DataError } from '../../../src/engine/index.js';
import { readEmbeddings, readSafetensorsData, writeSafetensors } from '../../../src/node/index.js';
import { fixture, put, tempDir } from '../../data/helpers.js';

const emb = (JSON.parse(readFileSync(fixture('npy-expected.json'), 'utf8')) as { embeddings: Record<string, unknown> }).embeddings as {
  shape: number[];
  firstRow: number[];
  labels: number[];
  classNames: string[];
};

describe('safetensors data', () => {
  const dir = tempDir();
  const path = `${dir}/set.safetensors`;
  writeSafetensors(path, {
    feats: { dtype: 'F64', shape: [3, 2], data: new Float64Array([0.5, -1, 2, 3, 4, 5]) },
    labels: { dtype: 'I64', shape: [3], data: new BigInt64Array([2n, 0n, 1n]) },
    half: { dtype: 'F16', shape: [1], data: new Uint16Array([0]) },
  });

  it('reads a feature matrix and a label vector by tensor name', () => {
    const d = readSafetensorsData(path, { x: 'feats', y: 'labels' });
    assert.deepEqual(d.x, new Float32Array([0.5, -1, 2, 3, 4, 5]));
    assert.deepEqual(d.y, new Int32Array([2, 0, 1]));
    assert.deepEqual([d.size, d.features, d.classes], [3, 2, 3]);
  });

  it('names a missing tensor and lists the ones there', () => {
    assert.throws(
      () => readSafetensorsData(path, { x: 'embeddings', y: 'labels' }),
      new RegExp(`^DataError: ${path}: no tensor named 'embeddings'; the file has: feats, labels, half$`),
    );
    assert.throws(() => readSafetensorsData(path, { x: 'half', y: 'labels' }), /tensor 'half' has dtype F16; widen reads U8, I8/);
    assert.throws(
      () => readSafetensorsData(path, { x: 'labels', y: 'labels' }),
      /'labels': features must be an array \[samples, features, \.\.\.\], got shape \[3\]/,
    );
  });

  it('turns a malformed file into a DataError naming it', () => {
    const bad = put(dir, 'bad.safetensors', new Uint8Array([1, 2, 3]));
    assert.throws(
      () => readSafetensorsData(bad, { x: 'a', y: 'b' }),
      (e: Error) => e instanceof DataError && e.message.startsWith(`${bad}: file is 3 bytes, too short`),
    );
  });
});

describe('embeddings fixture', () => {
  it('loads features with text labels mapped in sorted order', () => {
    const d = readEmbeddings({ path: fixture('embeddings-small.npy'), labels: fixture('embeddings-small-labels.txt'), labelMap: 'sorted' });
    assert.deepEqual([d.size, d.features], emb.shape);
    assert.deepEqual([...d.x.subarray(0, d.features)], emb.firstRow);
    assert.deepEqual([...d.y], emb.labels);
    assert.deepEqual(d.classNames, emb.classNames);
    assert.equal(d.classes, 3);
  });

  it('loads the same labels from an int64 .npy and from a safetensors tensor', () => {
    const fromNpy = readEmbeddings({ path: fixture('embeddings-small.npy'), labels: fixture('embeddings-small-labels.npy') });
    assert.deepEqual([...fromNpy.y], emb.labels);
    const dir = tempDir();
    const st = `${dir}/emb.safetensors`;
    writeSafetensors(st, {
      x: { dtype: 'F32', shape: [emb.shape[0], emb.shape[1]], data: fromNpy.x },
      y: { dtype: 'I32', shape: [emb.shape[0]], data: fromNpy.y },
    });
    const fromSt = readEmbeddings({ path: st, tensor: 'x', labels: st, labelsTensor: 'y' });
    assert.deepEqual(fromSt.x, fromNpy.x);
    assert.deepEqual(fromSt.y, fromNpy.y);
    assert.throws(
      () => readEmbeddings({ path: st, labels: st, labelsTensor: 'y' }),
      new RegExp(`${st}: name the tensor to read with 'tensor'; the file has: x, y`),
    );
  });

  it('refuses a label count mismatch naming both files, and unknown labels with their line', () => {
    const dir = tempDir();
    const labels = put(dir, 'short.txt', `${emb.classNames.join('\n')}\n`);
    const x = fixture('embeddings-small.npy');
    assert.throws(
      () => readEmbeddings({ path: x, labels, labelMap: 'sorted' }),
      new RegExp(`^DataError: ${x} \\+ ${labels}: 48 feature rows but 3 labels; every sample needs exactly one label$`),
    );
    const odd = put(dir, 'odd.txt', 'cat\ndog\n\nbird\n');
    assert.throws(
      () => readEmbeddings({ path: x, labels: odd, labelMap: { cat: 0, dog: 1 } }),
      new RegExp(`${odd}:4: label "bird" is not in the labelMap`),
    );
  });
});

describe('labeledData checks', () => {
  it('refuses count mismatch, labels out of range and NaN features, never dropping samples', () => {
    const x = new Float32Array([1, 2, 3, 4]);
    assert.throws(() => labeledData(x, new Int32Array([0]), 2, 'm.npy'), /^DataError: m\.npy: 2 feature rows but 1 labels/);
    assert.throws(
      () => labeledData(x, new Int32Array([0, 5]), 2, 'r.npy', 5),
      /r\.npy: label 5 at sample 1 is out of range; labels must be integers in \[0, 4\]/,
    );
    assert.throws(() => labeledData(x, new Int32Array([0, -1]), 2, 'n.npy'), /n\.npy: label -1 at sample 1 is negative/);
    assert.throws(
      () => labeledData(new Float32Array([1, Number.NaN, 3, 4]), new Int32Array([0, 1]), 2, 'f.npy'),
      /f\.npy: feature 1 of sample 0 is NaN; features must be finite/,
    );
    assert.throws(
      () => labeledData(new Float32Array(3), new Int32Array(1), 2, 'w.npy'),
      /w\.npy: 3 feature values do not split into rows of 2/,
    );
    assert.equal(labeledData(x, new Int32Array([0, 1]), 2, 'ok.npy').classes, 2);
  });
});
