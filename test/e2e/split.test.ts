import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadCheckpoint } from '../../src/node/index.js';
import { widen } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'widen-split-e2e-'));
const TRAIN = ['--epochs', '2', '--hidden', '16,16', '--density', '0.5', '--seed', '3'];

/** Rows r..r+alpha-1 of a [rows, cols] mask share no column (children of one parent). */
function childrenDisjoint(mask: Uint8Array, rows: number, cols: number, alpha: number): boolean {
  for (let p = 0; p < rows / alpha; p++) {
    for (let c = 0; c < cols; c++) {
      let kept = 0;
      for (let a = 0; a < alpha; a++) kept += mask[(p * alpha + a) * cols + c];
      if (kept > 1) return false;
    }
  }
  return true;
}

test('split: alpha x width at exactly the same non-zero count, disjoint children, and train --resume keeps it', () => {
  const parent = join(dir, 'm.safetensors');
  assert.equal(widen('train', ...TRAIN, '-o', parent).code, 0);
  const s = widen('split', parent, '--alpha', '4', '--seed', '1', '--json');
  assert.equal(s.code, 0, s.stderr);
  const r = s.json();
  assert.deepEqual(r.sizes_before, [32, 16, 16, 4]);
  assert.deepEqual(r.sizes_after, [32, 64, 64, 4]);
  assert.equal(r.nnz_after, r.nnz_before);
  assert.equal((r.nnz_after_split as number) - (r.pruned_by_restore as number), r.nnz_before);
  assert.equal(r.optimizer, 'carried over');
  const out = join(dir, 'm.split.safetensors');
  const before = loadCheckpoint(parent).model;
  const wide = loadCheckpoint(out).model;
  assert.equal(wide.nnz(), before.nnz());
  assert.ok(childrenDisjoint(wide.layers[0].mask(), 64, 32, 4), 'children of one parent hold disjoint inputs');
  // training on continues the wide network; masked weights stay zero, the count is unchanged
  const resumed = join(dir, 'resumed.safetensors');
  const t = widen('train', ...TRAIN.map((v) => (v === '2' ? '4' : v)), '--resume', out, '-o', resumed, '--json');
  assert.equal(t.code, 0, t.stderr);
  const after = loadCheckpoint(resumed).model;
  assert.deepEqual(after.sizes(), [32, 64, 64, 4]);
  assert.equal(after.nnz(), before.nnz());
  for (const [k, l] of after.layers.entries()) {
    const w = l.weight();
    assert.ok(
      l.mask().every((m, i) => m === 1 || w[i] === 0),
      `layer ${k}: masked weights stay zero`,
    );
    assert.notDeepEqual(w, wide.layers[k].weight(), `layer ${k} trained`);
  }
});

test('split: the clause strategy, one layer, and bad input refused by name', () => {
  const parent = join(dir, 'c.safetensors');
  assert.equal(widen('train', ...TRAIN, '-o', parent).code, 0);
  const clauses = join(dir, 'clauses.json');
  writeFileSync(
    clauses,
    JSON.stringify([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ]),
  );
  const s = widen(
    'split',
    parent,
    '--strategy',
    'clause',
    '--clauses',
    clauses,
    '--split-layers',
    '0',
    '-o',
    join(dir, 'c2.safetensors'),
    '--json',
  );
  assert.equal(s.code, 0, s.stderr);
  assert.deepEqual(s.json().sizes_after, [32, 32, 16, 4]);
  assert.equal(s.json().nnz_after, s.json().nnz_before);

  const refused: Array<[string[], RegExp]> = [
    [['--strategy', 'clause'], /--strategy clause needs --clauses FILE/],
    [['--split-layers', '2'], /--split-layers 2; expected comma-separated hidden-layer indices in 0\.\.1/],
    [['--alpha', '1'], /alpha: must be an integer >= 2/],
    [['--alpha', '99999999999'], /alpha: must be at most 2147483647/],
    [['--strategy', 'best'], /strategy/],
  ];
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify([[0, 32]]));
  refused.push([['--clauses', bad], /input indices in 0\.\.31/]);
  for (const [args, message] of refused) {
    const r = widen('split', parent, ...args, '-o', join(dir, 'never.safetensors'));
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
  }
  const missing = widen('split', join(dir, 'nope.safetensors'));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nope\.safetensors/);
});

test("split: outgoing partition (issue 11) needs no restore and keeps the count; per-layer restore keeps each layer's count", () => {
  const parent = join(dir, 'p.safetensors');
  assert.equal(widen('train', ...TRAIN, '-o', parent).code, 0);
  const p = widen('split', parent, '--alpha', '4', '--outgoing', 'partition', '-o', join(dir, 'p4.safetensors'), '--json');
  assert.equal(p.code, 0, p.stderr);
  assert.equal(p.json().pruned_by_restore, 0);
  assert.equal(p.json().nnz_after, p.json().nnz_before);
  assert.equal(p.json().outgoing, 'partition');
  const r = widen(
    'split',
    parent,
    '--alpha',
    '2',
    '--split-layers',
    '0',
    '--restore',
    'per-layer',
    '-o',
    join(dir, 'pl.safetensors'),
    '--json',
  );
  assert.equal(r.code, 0, r.stderr);
  const before = loadCheckpoint(parent).model;
  const after = loadCheckpoint(join(dir, 'pl.safetensors')).model;
  assert.deepEqual(
    after.layers.map((l) => l.mask().reduce((a, m) => a + m, 0)),
    before.layers.map((l) => l.mask().reduce((a, m) => a + m, 0)),
  );
  const bad = widen('split', parent, '--outgoing-route', 'clause', '--outgoing', 'partition');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--outgoing-route clause needs --clauses FILE/);
});

test('split: a PyTorch MLP brought in by widen import splits and keeps its count', () => {
  const torchMlp = new URL('../fixtures/interop/torch-mlp.safetensors', import.meta.url).pathname;
  const imported = join(dir, 'torch.widen.safetensors');
  assert.equal(widen('import', torchMlp, '--activation', 'gelu', '-o', imported).code, 0);
  const s = widen('split', imported, '--alpha', '2', '-o', join(dir, 'torch.split.safetensors'), '--json');
  assert.equal(s.code, 0, s.stderr);
  assert.deepEqual(s.json().sizes_after, [12, 32, 32, 4]);
  assert.equal(s.json().nnz_after, s.json().nnz_before);
  assert.equal(s.json().optimizer, 'none stored');
});
