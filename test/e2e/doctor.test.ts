import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { widen, widenWithEnv } from './helpers.js';

test('widen doctor prints each check with what to do, and --json the same as data; exit 0', () => {
  const r = widen('doctor');
  assert.equal(r.code, 0, r.stderr);
  for (const name of [
    'node',
    'wasm SIMD',
    'wasm threads',
    'wasm relaxed SIMD',
    'cores',
    'data: mnist',
    'data: fashion-mnist',
    'PyTorch',
    'chromium',
    'redis-server',
  ])
    assert.match(r.stdout, new RegExp(`^(ok|warn|missing) +${name} `, 'm'));
  const json = widen('doctor', '--json');
  assert.equal(json.code, 0, json.stderr);
  const { checks } = json.json() as { checks: Array<{ name: string; status: string; fix: string | null; optional: boolean }> };
  assert.equal(checks.length, 11);
  for (const c of checks) assert.equal(c.fix === null, c.status === 'ok', c.name);
});

test('widen doctor exits 0 when the optional data sets and tools are missing, and says how to get them', () => {
  const empty = mkdtempSync(join(tmpdir(), 'widen-doctor-e2e-'));
  // no PATH entry holds redis-server; no system data; the cache in an empty home
  const r = widenWithEnv({ HOME: empty, WIDEN_SYSTEM_DATA: empty, PATH: empty }, 'doctor', '--json');
  assert.equal(r.code, 0, r.stderr);
  const { checks } = r.json() as { checks: Array<{ name: string; status: string; fix: string | null }> };
  const by = new Map(checks.map((c) => [c.name, c]));
  assert.equal(by.get('data: fashion-mnist')?.status, 'missing');
  assert.match(by.get('data: fashion-mnist')?.fix ?? '', /apt-get install dataset-fashion-mnist/);
  assert.equal(by.get('redis-server')?.status, 'missing');
  assert.match(by.get('redis-server')?.fix ?? '', /apt-get install redis-server/);
});
