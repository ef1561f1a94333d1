import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WidenError } from '../../../src/engine/index.js';
import { CSV_COLUMNS } from '../../../src/experiments/report/index.js';
import { openStore, writeReport } from '../../../src/node/index.js';
import { syntheticRun } from '../../experiments/report/helpers.js';

describe('writeReport', () => {
  const dir = mkdtempSync(join(tmpdir(), 'widen-report-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the store of a run folder and writes report.<format> atomically', () => {
    const store = openStore(dir);
    for (const r of syntheticRun(2, 10).slice(0, 30)) store.insert(r);
    store.close();
    const html = writeReport(dir, { format: 'html' });
    assert.equal(html, join(dir, 'report.html'));
    assert.match(readFileSync(html, 'utf8'), /<h2>Accuracy by method \(headline cell\)<\/h2>/);
    const out = join(dir, 'custom.csv');
    assert.equal(writeReport(dir, { format: 'csv', out }), out);
    assert.equal(readFileSync(out, 'utf8').split('\r\n')[0], CSV_COLUMNS.join(','));
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it('refuses a folder without a store and an unknown format', () => {
    assert.throws(
      () => writeReport(join(dir, 'nope'), { format: 'html' }),
      (e: unknown) => e instanceof WidenError && /holds no trials\.sqlite/.test(e.message),
    );
    assert.throws(() => writeReport(dir, { format: 'pdf' as 'html' }), /unknown report format "pdf"; pass one of html, md, json, csv/);
  });
});
