import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { widen, widenWithEnv } from './helpers.js';

// The real-data study's refusals from the command line: each fails before any trial runs.

const dir = mkdtempSync(join(tmpdir(), 'widen-realdata-e2e-'));

test('widen reproduce refuses an unknown study and a bad option before running anything', () => {
  const unknown = widen('reproduce', 'real-data');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /unknown study 'real-data'; studies: boolean, realdata/);
  const out = join(dir, 'never');
  // the option is refused whether or not the data sets are on this machine
  for (const env of [{}, { WIDEN_SYSTEM_DATA: dir, WIDEN_DATA: undefined, HOME: dir }]) {
    const workers = widenWithEnv(env, 'reproduce', 'realdata', '--quick', '--workers', '0', '--out', out);
    assert.equal(workers.code, 1);
    assert.match(workers.stderr, /workers must be an integer >= 1, got 0/);
    assert.equal(existsSync(out), false);
  }
});

test('widen run refuses a real-data config whose dataset file is missing, naming the key and the file', () => {
  const config = join(dir, 'missing.yaml');
  writeFileSync(
    config,
    [
      'name: missing',
      'task:',
      '  kind: dataset',
      '  data:',
      '    kind: embeddings',
      `    path: ${join(dir, 'no-such.npy')}`,
      '    labels: labels.txt',
      '    test: 0.2',
      '',
    ].join('\n'),
  );
  const out = join(dir, 'run');
  const r = widen('run', config, '--out', out);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /task\.data\.path: .*no-such\.npy does not exist/);
  assert.equal(existsSync(out), false);
});
