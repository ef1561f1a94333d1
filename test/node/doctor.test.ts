import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { nodeEndOfLife } from '../../src/node/doctor.js';
import { doctor } from '../../src/node/index.js';

const empty = mkdtempSync(join(tmpdir(), 'widen-doctor-'));

describe('doctor', () => {
  it('dates the end of life of Node lines (even: 30 April, odd: 1 June)', () => {
    assert.equal(nodeEndOfLife(20).toISOString().slice(0, 10), '2026-04-30');
    assert.equal(nodeEndOfLife(22).toISOString().slice(0, 10), '2027-04-30');
    assert.equal(nodeEndOfLife(24).toISOString().slice(0, 10), '2028-04-30');
    assert.equal(nodeEndOfLife(23).toISOString().slice(0, 10), '2025-06-01');
  });

  it('warns about a Node past its end of life and says what to do about everything missing', async () => {
    const checks = await doctor({
      nodeVersion: 'v20.19.0',
      now: new Date('2026-12-06'),
      env: {},
      home: empty,
      systemDir: empty,
      mnistPackageDir: null,
      python: join(empty, 'python3'),
      chromium: join(empty, 'chromium'),
      path: empty,
    });
    const by = new Map(checks.map((c) => [c.name, c]));
    assert.deepEqual(by.get('node'), {
      name: 'node',
      status: 'warn',
      found: 'v20.19.0 (past its end of life on 2026-04-30)',
      fix: 'this Node line gets no more security fixes; install Node 22 or 24 (LTS)',
      optional: false,
    });
    for (const name of ['data: mnist', 'data: fashion-mnist', 'PyTorch', 'chromium', 'redis-server']) {
      const c = by.get(name)!;
      assert.equal(c.status, 'missing', name);
      assert.equal(c.optional, true, name);
      assert.ok(c.fix !== null && c.fix.length > 20, `${name} says what to do`);
    }
    assert.match(by.get('data: fashion-mnist')!.fix!, /apt-get install dataset-fashion-mnist/);
    assert.match(by.get('PyTorch')!.fix!, /scripts\/ensure-torch\.sh/);
    assert.equal(by.get('wasm SIMD')?.status, 'ok');
  });

  it('finds a supported Node', async () => {
    const [node] = await doctor({ nodeVersion: 'v22.3.0', now: new Date('2026-12-06'), python: join(empty, 'none') });
    assert.deepEqual([node.status, node.found], ['ok', 'v22.3.0 (supported until 2027-04-30)']);
  });
});
