import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { widen } from './helpers.js';

// `widen reproduce beyond --quick`: the issue-11 study end to end from the command line (the
// Boolean m = 16, alpha = 4 cell at 100 + 100 epochs and Fashion-MNIST h = 8 at 1 + 1, 2 seeds).

const dir = mkdtempSync(join(tmpdir(), 'widen-beyond-'));
const CELL_KEYS = ['task', 'm', 'h', 'alpha', 'method', 'seeds', 'mean', 'ci95', 'paired_vs_fpe_random', 'paired_vs_sparse_init'];

test('reproduce beyond --quick runs every variant beside the baselines, prints the cells and resumes', () => {
  const out = join(dir, 'quick');
  const r = widen('reproduce', 'beyond', '--quick', '--json', '--workers', '2', '--out', out);
  assert.equal(r.code, 0, r.stderr);
  const cells = r.json().cells as Array<Record<string, unknown>>;
  for (const c of cells) assert.deepEqual(Object.keys(c), CELL_KEYS);
  const boolean = cells.filter((c) => c.task === 'boolean');
  assert.deepEqual(
    boolean.map((c) => c.method),
    [
      'dense',
      'sparse-init',
      'fpe-random',
      'fpe-clause',
      'fpe-partition',
      'fpe-partition-scaled',
      'fpe-layer-restore',
      'fpe-selective-wd',
      'fpe-selective-collisions',
      'fpe-schedule',
      'fpe-clause-routed',
    ],
  );
  const fashion = cells.filter((c) => c.task === 'fashion-mnist');
  assert.equal(fashion.length, 9);
  for (const c of [...boolean, ...fashion]) {
    assert.equal(c.seeds, 2);
    assert.equal(c.alpha, 4);
    const ci = c.ci95 as [number, number];
    assert.ok(ci[0] <= (c.mean as number) && (c.mean as number) <= ci[1], `${c.method}: ${c.mean} outside ${ci}`);
    const vsRandom = c.paired_vs_fpe_random as { mean: number; ci95: [number, number]; seeds: number } | null;
    if (c.method === 'fpe-random') assert.equal(vsRandom, null);
    else assert.equal(vsRandom?.seeds, 2);
  }
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, /<svg/);
  assert.match(html, /Target per variant/);
  // every trial is stored: a rerun runs none and prints the same cells
  const again = widen('reproduce', 'beyond', '--quick', '--json', '--workers', '2', '--out', out);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(again.json().cells, r.json().cells);
  assert.ok(existsSync(join(out, 'beyond-boolean-alpha4-quick', 'trials.sqlite')));
});
