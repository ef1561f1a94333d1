import { ConfigError, type Rng } from '../engine/index.js';
import type { Dataset } from '../nn/index.js';

/**
 * Yields one epoch of minibatches of `data` covering every sample exactly once (the last batch may
 * be smaller). Without `rng` the batches are zero-copy views in order; with it the order is a
 * fresh shuffle and each batch is gathered into two buffers reused by every batch, so only
 * batch-sized memory is written per step. Consume a batch before asking for the next one.
 * Example: `for (const b of batches(train, 64, rng.fork(epoch))) trainStep(model, opt, b, 'cross-entropy')`.
 */
export function* batches(data: Dataset, batchSize: number, rng?: Rng): Generator<Dataset> {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new ConfigError(`batchSize must be an integer >= 1, got ${batchSize}`, { where: 'batches.batchSize', got: batchSize });
  const { x, y, size } = data;
  const xw = x.length / size; // features per sample
  const yw = y.length / size; // 1 for labels, out for targets
  if (rng === undefined) {
    for (let s = 0; s < size; s += batchSize) {
      const e = Math.min(size, s + batchSize);
      yield { x: x.subarray(s * xw, e * xw), y: y.subarray(s * yw, e * yw), size: e - s };
    }
    return;
  }
  const order = rng.shuffle(Uint32Array.from({ length: size }, (_, i) => i));
  const bs = Math.min(batchSize, size);
  const bx = new Float32Array(bs * xw);
  const by = y instanceof Int32Array ? new Int32Array(bs * yw) : new Float32Array(bs * yw);
  for (let s = 0; s < size; s += bs) {
    const n = Math.min(bs, size - s);
    for (let j = 0; j < n; j++) {
      const r = order[s + j];
      bx.set(x.subarray(r * xw, (r + 1) * xw), j * xw);
      by.set(y.subarray(r * yw, (r + 1) * yw), j * yw);
    }
    yield n === bs ? { x: bx, y: by, size: n } : { x: bx.subarray(0, n * xw), y: by.subarray(0, n * yw), size: n };
  }
}
