import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { widenWithEnv } from './helpers.js';

// A real-data run on a machine without Fashion-MNIST: $WIDEN_DATA, the cache under $HOME and the
// Debian root ($WIDEN_SYSTEM_DATA) all point at empty temp dirs, so nothing is found (and nothing
// is downloaded: download is off by default).

const root = mkdtempSync(join(tmpdir(), 'widen-missing-data-e2e-'));
const [data, home, system] = ['data', 'home', 'system'].map((name) => {
  const dir = join(root, name);
  mkdirSync(dir);
  return dir;
});
const config = join(root, 'fashion.yaml');
writeFileSync(
  config,
  // one short trial, should the lookup ever find a copy after all
  [
    'name: no-data',
    'task:',
    '  kind: dataset',
    '  data:',
    '    kind: fashion-mnist',
    'model:',
    '  h: 8',
    'methods: [dense]',
    'seeds: 1',
    'training:',
    '  warmupEpochs: 1',
    '  afterSplitEpochs: 0',
    '',
  ].join('\n'),
);

test('widen run without Fashion-MNIST anywhere exits 1, naming every place it looked and how to get the data', () => {
  const out = join(root, 'run');
  const r = widenWithEnv({ WIDEN_DATA: data, HOME: home, WIDEN_SYSTEM_DATA: system }, 'run', config, '--out', out);
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    [
      'widen: error: fashion-mnist not found. widen looked in:',
      `  $WIDEN_DATA/fashion-mnist: ${join(data, 'fashion-mnist')} does not exist`,
      `  the widen cache: ${join(home, '.cache', 'widen', 'fashion-mnist')} does not exist`,
      `  Debian dataset-fashion-mnist: ${join(system, 'fashion-mnist')} does not exist`,
      'To get it: apt-get install dataset-fashion-mnist, or put the four files {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz] ' +
        "in $WIDEN_DATA/fashion-mnist, or allow a download into the cache with { kind: 'fashion-mnist', download: true } " +
        '(from http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/, or $WIDEN_FASHION_MNIST_URL)',
      '',
    ].join('\n'),
  );
  assert.equal(existsSync(out), false, 'no run folder for a run that cannot start');
});

test('without WIDEN_DATA the message says it is unset and still lists the cache and the Debian location', () => {
  const r = widenWithEnv({ WIDEN_DATA: undefined, HOME: home, WIDEN_SYSTEM_DATA: system }, 'run', config, '--out', join(root, 'run2'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^ {2}\$WIDEN_DATA\/fashion-mnist: not set up \(WIDEN_DATA is unset\)$/m);
  assert.ok(r.stderr.includes(`  the widen cache: ${join(home, '.cache', 'widen', 'fashion-mnist')} does not exist`), r.stderr);
  assert.ok(r.stderr.includes(`  Debian dataset-fashion-mnist: ${join(system, 'fashion-mnist')} does not exist`), r.stderr);
  assert.match(r.stderr, /To get it: apt-get install dataset-fashion-mnist/);
});

test('widen reproduce sparse-expansion without Fashion-MNIST fails the same way before writing anything', () => {
  const out = join(root, 'se');
  const r = widenWithEnv(
    { WIDEN_DATA: data, HOME: home, WIDEN_SYSTEM_DATA: system },
    'reproduce',
    'sparse-expansion',
    '--quick',
    '--out',
    out,
  );
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^widen: error: fashion-mnist not found\. widen looked in:/);
  assert.match(r.stderr, /To get it: apt-get install dataset-fashion-mnist/);
  assert.equal(existsSync(out), false, 'no study folder for a study that cannot start');
});
