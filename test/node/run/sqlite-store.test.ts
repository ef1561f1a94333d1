import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { TrialRecord } from '../../../src/index.js';
import { openStore, STORE_FILE } from '../../../src/node/index.js';

function record(id: string, accuracy: number): TrialRecord {
  return {
    id,
    experiment: 'e',
    config: { method: 'dense', mode: 'which-clause', n: 8, m: 4, k: 3, h: 4, alpha: 1, seed: 0, extra: { nested: [1, 2] } },
    metrics: {
      accuracy,
      testLoss: 0.5,
      nnz: 48,
      width: 4,
      capacityMean: 0.5,
      capacitySum: 4,
      cosineMean: 0.1,
      coverage: 1,
      collisionsPerUnit: 6,
      wasserstein: [0.1, 0.2, 0.3, 0.4],
      mappingDifficulty: 1.5,
    },
    curves: { epoch: [10, 20], trainLoss: [1, 0.5], testLoss: [1.1, 0.6], testAccuracy: [0.5, 0.75], splitEpoch: 10 },
    timings: { seconds: 1.5, warmup: 1 },
    finishedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('trial store', () => {
  it('round-trips records and ignores a second write of the same id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'widen-store-'));
    const store = openStore(dir);
    assert.equal(store.insert(record('a', 0.5)), true);
    assert.equal(store.insert(record('b', 0.75)), true);
    assert.equal(store.insert(record('a', 0.99)), false, 'insert-or-ignore keeps the first');
    store.close();

    const again = openStore(dir);
    assert.deepEqual(again.trials(), [record('a', 0.5), record('b', 0.75)]);
    assert.deepEqual([...again.ids()].sort(), ['a', 'b']);
    again.close();
  });

  it('uses WAL, records its schema version, and logs attempts per session', () => {
    const dir = mkdtempSync(join(tmpdir(), 'widen-store-'));
    const store = openStore(dir);
    assert.equal(store.beginSession(), 1);
    store.logAttempt('a', 1);
    assert.equal(store.beginSession(), 2);
    store.logAttempt('b', 2);
    assert.deepEqual(
      store.attempts().map((a) => [a.trial, a.session]),
      [
        ['a', 1],
        ['b', 2],
      ],
    );
    store.close();
    const db = new Database(join(dir, STORE_FILE));
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get(), '1');
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    db.close();
    assert.throws(() => openStore(dir), { name: 'CheckpointError', message: /has store schema version 99; this widen reads version 1/ });
  });

  it('makes each insert visible to another connection at once (one committed transaction per trial)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'widen-store-'));
    const store = openStore(dir);
    store.insert(record('a', 0.5));
    const reader = openStore(dir);
    assert.equal(reader.trials().length, 1);
    reader.close();
    store.close();
  });
});
