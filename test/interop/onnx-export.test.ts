import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { ConfigError, exportExpandedOnnx, exportOnnx, MLP, sparseExpand, weightsNpz } from '../../src/index.js';

const out = mkdtempSync(join(tmpdir(), 'widen-onnx-'));
const inputs = (rows: number, d: number) => Float32Array.from({ length: rows * d }, (_, i) => 2 * Math.sin(i * 1.37) + Math.cos(i * 0.11));

async function run(bytes: Uint8Array, x: Float32Array, rows: number, d: number) {
  const session = await ort.InferenceSession.create(bytes);
  return session.run({ input: new ort.Tensor('float32', x, [rows, d]) });
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** onnx.checker.check_model(full_check=True) on a file; null when python3-onnx is missing (the caller skips). */
function onnxCheck(path: string): { ok: boolean; text: string } | null {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import onnx'], { encoding: 'utf8' });
  if (probe.status !== 0) return null;
  const r = spawnSync(
    '/usr/bin/python3',
    ['-c', `import onnx; onnx.checker.check_model(onnx.load('${path}'), full_check=True); print('ok')`],
    {
      encoding: 'utf8',
    },
  );
  return { ok: r.status === 0 && r.stdout.trim() === 'ok', text: r.stderr };
}

describe('exportOnnx: the MLP at opset 17', () => {
  for (const activation of ['relu', 'gelu', 'sigmoid', 'identity'] as const) {
    it(`${activation}: onnxruntime gives widen's logits within 1e-5`, async () => {
      const model = MLP.create({ sizes: [10, 24, 16, 5], activation, density: 0.4, seed: 3 });
      const x = inputs(33, 10);
      const r = await run(exportOnnx(model), x, 33, 10);
      assert.deepEqual(r.logits.dims, [33, 5]);
      assert.ok(maxDiff(r.logits.data as Float32Array, model.predict(x, 33)) < 1e-5);
      model.dispose();
    });
  }

  it('is accepted by onnx.checker (full check, with shape inference)', (t) => {
    const model = MLP.create({ sizes: [6, 8, 3], activation: 'gelu', density: 0.5, seed: 1 });
    const path = join(out, 'mlp.onnx');
    writeFileSync(path, exportOnnx(model));
    model.dispose();
    const check = onnxCheck(path);
    if (check === null) return t.skip('/usr/bin/python3 cannot import onnx (apt-get install python3-onnx)');
    assert.ok(check.ok, check.text);
  });

  it('an opset it cannot express the graph in is a ConfigError naming the range', () => {
    const model = MLP.create({ sizes: [4, 3], seed: 1 });
    assert.throws(
      () => exportOnnx(model, { opset: 11 }),
      (e: Error) => e instanceof ConfigError && /opset 11 cannot express.*13 to 17/.test(e.message),
    );
    model.dispose();
  });
});

describe('exportExpandedOnnx: a Sparse Expansion model (PCA, nearest centroid, per-expert layers)', () => {
  const model = MLP.create({ sizes: [12, 20, 4], activation: 'gelu', density: 0.9, seed: 5 });
  const cal = inputs(96, 12);
  const expanded = sparseExpand(model, { x: cal, size: 96 }, { k: 4, sparsity: 0.6, reduce: 3, restarts: 2 });

  it("onnxruntime routes every row to widen's expert and gives its logits within 1e-5", async () => {
    const x = inputs(200, 12).map((v, i) => v * (1 + (i % 7) / 10));
    const r = await run(exportExpandedOnnx(expanded), x, 200, 12);
    const passes = expanded.trace(x, 200);
    assert.deepEqual(Array.from(r['experts.0'].data as BigInt64Array, Number), Array.from(passes[0].labels));
    assert.deepEqual(Array.from(r['experts.1'].data as BigInt64Array, Number), Array.from(passes[1].labels));
    assert.ok(new Set(passes[0].labels).size > 1, 'the test inputs reach several experts');
    assert.ok(maxDiff(r.logits.data as Float32Array, expanded.predict(x, 200)) < 1e-5);
  });

  it('is accepted by onnx.checker', (t) => {
    const path = join(out, 'expanded.onnx');
    writeFileSync(path, exportExpandedOnnx(expanded));
    const check = onnxCheck(path);
    if (check === null) return t.skip('/usr/bin/python3 cannot import onnx (apt-get install python3-onnx)');
    assert.ok(check.ok, check.text);
  });
});

describe('weightsNpz (widen export --format npz)', () => {
  it('NumPy loads the weights, masks and biases (when python3 has numpy; else says why it skips)', (t) => {
    const probe = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' });
    if (probe.status !== 0) return t.skip('/usr/bin/python3 cannot import numpy');
    const model = MLP.create({ sizes: [5, 7, 3], activation: 'relu', density: 0.5, seed: 4 });
    const path = join(out, 'w.npz');
    writeFileSync(path, weightsNpz(model));
    const r = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        `import numpy as np; d = np.load('${path}'); print(sorted(d.keys())); print(d['layers.1.weight'].dtype, d['layers.1.weight'].shape, d['layers.0.mask'].dtype, repr(float(d['layers.1.weight'].sum())))`,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    const [keys, info] = r.stdout.trim().split('\n');
    assert.equal(keys, "['layers.0.bias', 'layers.0.mask', 'layers.0.weight', 'layers.1.bias', 'layers.1.mask', 'layers.1.weight']");
    const sum = model.layers[1].weight().reduce((s, v) => s + v, 0);
    const [dtype, shape1, shape2, maskType, total] = info.split(' ');
    assert.deepEqual([dtype, `${shape1} ${shape2}`, maskType], ['float32', '(3, 7)', 'uint8']);
    assert.ok(Math.abs(Number(total) - sum) < 1e-4);
    model.dispose();
  });
});
