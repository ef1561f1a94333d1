import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CheckpointError, Rng } from '../../src/engine/index.js';
import {
  createOptimizer,
  type Dataset,
  decodeSafetensors,
  encodeSafetensors,
  type FitOptions,
  fit,
  MLP,
  restoreOptimizer,
  type SafetensorsInput,
  trainStep,
} from '../../src/nn/index.js';
import { loadCheckpoint, saveCheckpoint } from '../../src/node/index.js';
import { randomArray, randomLabels, refEngine } from './helpers.js';

const engine = refEngine();
const dir = mkdtempSync(join(tmpdir(), 'widen-ckpt-'));
const pkgVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const rng = new Rng(3);
const data: Dataset = { x: randomArray(rng, 64 * 6), y: randomLabels(rng, 64, 4), size: 64 };

function trained(kind: 'adam' | 'adamw' | 'sgd') {
  const model = MLP.create({ sizes: [6, 10, 8, 4], density: [0.4, 0.7, 0.5], activation: 'gelu', seed: 9 }, engine);
  const opt = createOptimizer(model, kind === 'sgd' ? { kind, lr: 0.05, momentum: 0.9 } : { kind, lr: 0.01 });
  for (let s = 0; s < 5; s++) trainStep(model, opt, data, 'cross-entropy');
  return { model, opt };
}

describe('checkpoints', () => {
  for (const kind of ['adam', 'adamw', 'sgd'] as const) {
    it(`round-trips weights, masks, biases, ${kind} state and metadata`, () => {
      const { model, opt } = trained(kind);
      const path = join(dir, `${kind}.safetensors`);
      const config = { run: 'test', sizes: [6, 10, 8, 4] };
      saveCheckpoint(path, { model, optimizer: opt, config });
      assert.deepEqual(
        readdirSync(dir).filter((f) => f.includes(kind)),
        [`${kind}.safetensors`],
        'no temp file left',
      );
      const c = loadCheckpoint(path, engine);
      assert.equal(c.step, 5);
      assert.equal(c.version, pkgVersion);
      assert.deepEqual(c.config, config);
      assert.equal(c.model.activation, 'gelu');
      c.model.layers.forEach((l, i) => {
        assert.deepEqual(l.weight(), model.layers[i].weight());
        assert.deepEqual(l.mask(), model.layers[i].mask());
        assert.deepEqual(l.bias(), model.layers[i].bias());
      });
      assert.deepEqual(c.optimizerState, opt.exportState());
      const header = decodeSafetensors(readFileSync(path));
      const slot = kind === 'sgd' ? 'momentum' : 'adam_m';
      assert.deepEqual(header.tensors.get(`layers.1.weight.${slot}`)!.shape, [8, 10], 'optimizer state is stored dense');
      assert.equal(header.tensors.get('layers.0.mask')!.dtype, 'U8');
    });
  }

  it('continued training after a load equals uninterrupted training, bit for bit', () => {
    const options: FitOptions = {
      epochs: 4,
      batchSize: 10,
      optimizer: { kind: 'adamw', lr: 0.01, weightDecay: 0.05 },
      loss: 'cross-entropy',
      seed: 5,
      schedule: { kind: 'cosine', warmupSteps: 3, totalSteps: 28 },
    };
    const create = () => MLP.create({ sizes: [6, 10, 8, 4], density: 0.5, seed: 2 }, engine);
    const straight = create();
    const full = fit(straight, data, options);

    const first = create();
    const half = fit(first, data, { ...options, epochs: 2 });
    const path = join(dir, 'resume.safetensors');
    saveCheckpoint(path, { model: first, optimizer: half.optimizer, config: options });
    const c = loadCheckpoint(path, engine);
    const rest = fit(c.model, data, { ...options, optimizer: restoreOptimizer(c.model, c.optimizerState!), initialEpoch: 2 });
    assert.deepEqual([...half.trainLoss, ...rest.trainLoss], full.trainLoss);
    for (const [i, l] of straight.layers.entries()) assert.deepEqual(c.model.layers[i].weight(), l.weight());
    assert.equal(rest.optimizer.stepCount, full.optimizer.stepCount);
  });

  it('saves a model alone (no optimizer state) and loads it back', () => {
    const { model } = trained('adam');
    const path = join(dir, 'plain.safetensors');
    saveCheckpoint(path, { model, step: 42 });
    const c = loadCheckpoint(path, engine);
    assert.equal(c.step, 42);
    assert.equal(c.optimizerState, undefined);
    assert.equal(c.config, null);
    assert.deepEqual(c.model.predict(data.x, 64), model.predict(data.x, 64));
  });

  describe('refuses corrupted files with a CheckpointError naming the file', () => {
    const { model, opt } = trained('adam');
    const path = join(dir, 'good.safetensors');
    saveCheckpoint(path, { model, optimizer: opt, config: { a: 1 } });
    const good = readFileSync(path);
    const file = decodeSafetensors(good);
    let n = 0;
    const expectRefusal = (bytes: Uint8Array, pattern: RegExp) => {
      const p = join(dir, `bad-${n++}.safetensors`);
      writeFileSync(p, bytes);
      assert.throws(
        () => loadCheckpoint(p, engine),
        (e) => e instanceof CheckpointError && e.message.startsWith(`${p}: `) && pattern.test(e.message),
        pattern.source,
      );
    };
    /** Re-encodes the good file after `edit` changes its tensors or metadata. */
    const rebuilt = (edit: (t: Record<string, SafetensorsInput>, m: Record<string, string>) => void) => {
      const tensors: Record<string, SafetensorsInput> = {};
      for (const [k, e] of file.tensors) tensors[k] = { dtype: e.dtype, shape: e.shape, data: e.data.slice() };
      const metadata = { ...file.metadata };
      edit(tensors, metadata);
      return encodeSafetensors(tensors, metadata);
    };

    it('truncated at several points', () => {
      const headerEnd = 8 + Number(new DataView(good.buffer, good.byteOffset).getBigUint64(0, true));
      for (const at of [
        0,
        3,
        7,
        8,
        20,
        headerEnd - 1,
        headerEnd,
        headerEnd + 5,
        Math.floor((headerEnd + good.length) / 2),
        good.length - 1,
      ]) {
        expectRefusal(good.subarray(0, at), /too short|exceeds|ends at byte|cover/);
      }
    });

    it('bad header length, bad JSON', () => {
      const bytes = new Uint8Array(good);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(good.length), true);
      expectRefusal(bytes, /header length \d+ exceeds/);
      const json = new Uint8Array(good);
      json[8] = '['.charCodeAt(0);
      expectRefusal(json, /header is not valid UTF-8 JSON/);
    });

    it('wrong dtype, shape/offset mismatch, missing or extra tensor', () => {
      expectRefusal(
        rebuilt((t) => (t['layers.0.bias'].dtype = 'I32')),
        /tensor 'layers\.0\.bias' has dtype I32, expected F32/,
      );
      const text = new TextDecoder().decode(good);
      const shape = JSON.stringify(file.tensors.get('layers.2.bias')!.shape);
      const bytes = new Uint8Array(good);
      const at = text.indexOf(`"layers.2.bias":`);
      const s = text.indexOf(shape, at);
      bytes.set(Buffer.from(shape.replace('4', '5')), s);
      expectRefusal(bytes, /tensor 'layers\.2\.bias' \(F32 \[5\]\) needs 20 bytes but data_offsets/);
      expectRefusal(
        rebuilt((t) => delete t['layers.1.mask']),
        /required tensor 'layers\.1\.mask' is missing/,
      );
      expectRefusal(
        rebuilt((t) => delete t['layers.2.bias.adam_v']),
        /required tensor 'layers\.2\.bias\.adam_v' is missing/,
      );
      expectRefusal(
        rebuilt((t) => (t['layers.3.weight'] = { dtype: 'F32', shape: [1], data: new Float32Array(1) })),
        /unexpected tensor\(s\) 'layers\.3\.weight'; this checkpoint has 3 layer\(s\)/,
      );
      expectRefusal(
        rebuilt((t) => (t['layers.1.bias'] = { dtype: 'F32', shape: [7], data: new Float32Array(7) })),
        /tensor 'layers\.1\.bias' has shape \[7\], expected \[8\]/,
      );
    });

    it('a weight that is non-zero where its mask is 0, inconsistent layers, foreign metadata', () => {
      const mask = file.tensors.get('layers.0.mask')!.data;
      const off = mask.indexOf(0);
      expectRefusal(
        rebuilt((t) => (t['layers.0.weight'].data as Uint8Array).set(new Uint8Array(new Float32Array([0.5]).buffer), off * 4)),
        new RegExp(`layers\\.0\\.weight is 0\\.5 at flat index ${off} where the mask is 0`),
      );
      expectRefusal(
        rebuilt((t) => {
          t['layers.1.weight'] = { dtype: 'F32', shape: [8, 9], data: new Float32Array(72) };
        }),
        /layers\.1 has 9 inputs but layers\.0 has 10 outputs/,
      );
      expectRefusal(
        rebuilt((_, m) => delete m.format),
        /not a widen checkpoint: __metadata__\.format is undefined/,
      );
      expectRefusal(
        rebuilt((_, m) => (m.optimizer = '{"kind":"adam","lr":0.1,"stepCount":-1}')),
        /__metadata__\.optimizer\.stepCount is -1/,
      );
      // found by fuzzing: Number.isInteger(1e300) is true, so a huge count loaded as a rounded number
      for (const count of ['1e+300', '9007199254740992']) {
        expectRefusal(
          rebuilt((_, m) => (m.optimizer = `{"kind":"adam","lr":0.1,"stepCount":${count}}`)),
          new RegExp(`__metadata__\\.optimizer\\.stepCount is ${count.replace('+', '\\+')}, expected an integer in \\[0, 2\\^53 - 1\\]`),
        );
      }
      expectRefusal(
        rebuilt((_, m) => (m.activation = 'tanh')),
        /unknown activation "tanh" at __metadata__\.activation; allowed: identity, relu, gelu, sigmoid/,
      );
      expectRefusal(
        rebuilt((_, m) => (m.config = '{oops')),
        /__metadata__\.config is not valid JSON/,
      );
    });
  });
});
