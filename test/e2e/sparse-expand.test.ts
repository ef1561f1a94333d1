import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadExpanded } from '../../src/node/index.js';
import { widen } from './helpers.js';

// Runs the CLI from source in a child process, as a user would.

const dir = mkdtempSync(join(tmpdir(), 'widen-se-cli-'));
const ckpt = join(dir, 'm.safetensors');

test('train a dense model for the Sparse Expansion commands', () => {
  const t = widen(
    'train',
    '--density',
    '1',
    '--hidden',
    '48,48',
    '--epochs',
    '3',
    '--train-size',
    '1024',
    '--test-size',
    '512',
    '--out',
    ckpt,
  );
  assert.equal(t.code, 0, t.stderr);
});

test('sparse-expand reports k = 16 beside k = 1 and writes an expanded model that loads back', () => {
  const out = join(dir, 'm.k16.safetensors');
  const r = widen(
    'sparse-expand',
    ckpt,
    '--k',
    '16',
    '--sparsity',
    '0.9',
    '--pruner',
    'wanda',
    '--reduce',
    '4',
    '--calibration',
    '256',
    '--out',
    out,
    '--json',
  );
  assert.equal(r.code, 0, r.stderr);
  const s = r.json() as {
    results: Array<{ k: number; nnz_stored: number; nnz_per_input: number; routing_flops: number; accuracy: number }>;
  };
  const [one, sixteen] = s.results;
  assert.deepEqual([one.k, sixteen.k], [1, 16]);
  assert.equal(sixteen.nnz_stored, 16 * one.nnz_stored, 'wanda keeps the same count in every expert');
  assert.equal(sixteen.nnz_per_input, one.nnz_per_input);
  assert.equal(one.routing_flops, 0);
  // per layer: d + 2·d·(d/4) + 3·16·(d/4) for d = 32, 48, 48
  assert.equal(
    sixteen.routing_flops,
    [32, 48, 48].reduce((t, d) => t + d + (2 * d * d) / 4 + (3 * 16 * d) / 4, 0),
  );
  assert.ok(existsSync(out));
  const loaded = loadExpanded(out);
  assert.deepEqual(loaded.model.experts(), [16, 16, 16]);
  assert.equal(loaded.model.nnzStored(), sixteen.nnz_stored);
  loaded.model.dispose();
});

test('neurons prints the WD ranking, the importance test and the WD shift after Sparse Expansion', () => {
  const r = widen('neurons', ckpt, '--calibration', '256', '--k', '4', '--draws', '2', '--top', '0.1', '--json');
  assert.equal(r.code, 0, r.stderr);
  const s = r.json() as {
    layers: Array<{ layer: number; units: number; ranking: Array<{ wd: number }> }>;
    importance: Array<{ selection: string; units: number[] }>;
    expansion: { layers: Array<{ top: { units: number } }> };
  };
  assert.deepEqual(
    s.layers.map((l) => [l.layer, l.units]),
    [
      [0, 48],
      [1, 48],
    ],
  );
  for (const l of s.layers) for (let i = 1; i < l.ranking.length; i++) assert.ok(l.ranking[i - 1].wd >= l.ranking[i].wd);
  assert.deepEqual(
    s.importance.map((i) => i.selection),
    ['top-wd', 'mean', 'variance', 'magnitude', 'random', 'random'],
  );
  for (const i of s.importance) assert.deepEqual(i.units, [5, 5, 0]);
  assert.deepEqual(
    s.expansion.layers.map((l) => l.top.units),
    [5, 5],
  );
  const text = widen('neurons', ckpt, '--calibration', '128', '--k', '2', '--draws', '1');
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /layers\.0: 48 units, median WD/);
  assert.match(text.stdout, /importance test: sparsify 3\.0% of units per hidden layer to 90\.0% with sparsegpt/);
});

test('bad Sparse Expansion input is refused with a clear message and exit code 1', () => {
  const cases: Array<[string[], RegExp]> = [
    [
      ['sparse-expand', ckpt, '--k', '300', '--sparsity', '0.5', '--calibration', '200'],
      /k = 300 experts is not allowed with a calibration set of 200 samples; k must be an integer in \[1, 200\]/,
    ],
    [['sparse-expand', ckpt, '--sparsity', '1.5'], /sparsity must be a number in \[0, 1\).*got 1\.5/],
    [['sparse-expand', ckpt, '--nm', '2:5'], /nm\.m = 5 does not divide the input width 32/],
    [
      ['sparse-expand', ckpt, '--sparsity', '0.5', '--reduce', '64'],
      /reduce = 64 leaves floor\(32 \/ 64\) = 0 PCA dimensions for layers\.0 \(32 inputs\); reduce must be an integer in \[1, 32\]/,
    ],
    [['sparse-expand', ckpt], /give exactly one of --sparsity \(per expert, e\.g\. 0\.9\) and --nm/],
    [
      ['sparse-expand', ckpt, '--sparsity', '0.5', '--pruner', 'obs'],
      /invalid option value: --pruner obs; valid values are: sparsegpt, wanda, magnitude/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = widen(...args);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});
