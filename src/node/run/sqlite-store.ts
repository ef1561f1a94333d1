import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CheckpointError, ConfigError, WidenError } from '../../engine/index.js';
import type { StoredRecord, TrialStore } from '../../experiments/run/trial-store.js';
import type { TrialRecord } from '../../experiments/trials/trial-record.js';

/** Version of the tables below; a store of another version is refused rather than misread. */
const STORE_SCHEMA_VERSION = 1;
/** File name of the store inside a run folder (and a Sparse Expansion study folder). */
export const STORE_FILE = 'trials.sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS trials (
  id TEXT PRIMARY KEY,
  experiment TEXT NOT NULL,
  config TEXT NOT NULL,
  metrics TEXT NOT NULL,
  curves TEXT NOT NULL,
  timings TEXT NOT NULL,
  finished_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS attempts (
  trial TEXT NOT NULL,
  session INTEGER NOT NULL,
  started_at TEXT NOT NULL
);
`;

interface Row {
  id: string;
  experiment: string;
  config: string;
  metrics: string;
  curves: string;
  timings: string;
  finished_at: string;
}

/** Options of openStore. */
export interface OpenStoreOptions {
  /** Open an existing store without writing to it (no table creation, no WAL switch): for reports. */
  readonly?: boolean;
  /**
   * The kernel table the new records are computed with ('ref', 'wasm' for the plain-SIMD kernels,
   * 'wasm-relaxed' for the relaxed-SIMD ones): the first open records it, a later open with another
   * one is refused, so one store never mixes backends or kernel builds.
   */
  backend?: string;
}

/**
 * Opens (creating if needed) the store of run folder `runDir`. Durability: WAL journal with
 * synchronous=FULL, so each trial's commit is on disk before the next trial is dispatched; a
 * `kill -9` or a power cut loses at most the trials still running, and never corrupts the file.
 * One fsync per trial costs nothing next to a trial's seconds of training. Example:
 * `const s = openStore('runs/headline'); const rows = s.trials(); s.close()`. The Sparse Expansion
 * study keeps its own records (StudyRecord) in the same tables.
 */
export function openStore<R extends StoredRecord = TrialRecord>(runDir: string, options: OpenStoreOptions = {}): TrialStore<R> {
  const readonly = options.readonly === true;
  if (!readonly) mkdirSync(runDir, { recursive: true });
  const file = join(runDir, STORE_FILE);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly, fileMustExist: readonly });
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('busy_timeout = 5000');
    if (!readonly) {
      db.exec(SCHEMA);
      db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('schema_version', String(STORE_SCHEMA_VERSION));
    }
    const version = (db.prepare('SELECT value FROM meta WHERE key = ?').get('schema_version') as { value: string } | undefined)?.value;
    if (version !== String(STORE_SCHEMA_VERSION)) {
      throw new CheckpointError(`${file} has store schema version ${version}; this widen reads version ${STORE_SCHEMA_VERSION}`, {
        where: file,
        got: version,
        allowed: String(STORE_SCHEMA_VERSION),
      });
    }
    if (options.backend !== undefined) claimBackend(db, options.backend, file);
  } catch (err) {
    db?.close();
    if (err instanceof WidenError) throw err;
    // SQLite's own faults (not a database, a missing table, a locked or unreadable file) name the file and the fix
    throw new CheckpointError(
      `${file} is not a readable widen trial store (SQLite: ${(err as Error).message}); pass another run folder, or move the file away to start afresh`,
      { where: file },
    );
  }
  const insert = db.prepare(
    'INSERT OR IGNORE INTO trials (id, experiment, config, metrics, curves, timings, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const logAttempt = db.prepare('INSERT INTO attempts (trial, session, started_at) VALUES (?, ?, ?)');
  const nextSession = db.transaction((): number => {
    const last = db.prepare("SELECT value FROM meta WHERE key = 'sessions'").get() as { value: string } | undefined;
    const session = Number(last?.value ?? 0) + 1;
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('sessions', ?)").run(String(session));
    return session;
  });
  return {
    trials: () => (db.prepare('SELECT * FROM trials ORDER BY rowid').all() as Row[]).map((row) => fromRow<R>(row, file)),
    ids: () => new Set((db.prepare('SELECT id FROM trials').pluck().all() as string[]).values()),
    insert: (r) =>
      insert.run(
        r.id,
        r.experiment,
        JSON.stringify(r.config),
        JSON.stringify(r.metrics),
        JSON.stringify(r.curves),
        JSON.stringify(r.timings),
        r.finishedAt,
      ).changes === 1,
    beginSession: () => nextSession(),
    logAttempt: (id, session) => {
      logAttempt.run(id, session, new Date().toISOString());
    },
    attempts: () =>
      (db.prepare('SELECT trial, session, started_at FROM attempts ORDER BY rowid').all() as Array<Record<string, never>>).map((a) => ({
        trial: a.trial,
        session: a.session,
        startedAt: a.started_at,
      })),
    close: () => db.close(),
  };
}

/** Records `backend` as the store's backend, or refuses it when the store already holds another one. */
function claimBackend(db: Database.Database, backend: string, file: string): void {
  db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('backend', ?)").run(backend);
  const stored = (db.prepare("SELECT value FROM meta WHERE key = 'backend'").get() as { value: string }).value;
  if (stored !== backend) {
    throw new ConfigError(
      `${file} holds trials computed with the ${stored} backend, not ${backend}; results of two backends differ in the last bits, so resume with ${resumeHint(stored)} or pass a new --out folder`,
      { where: file, got: backend, allowed: stored },
    );
  }
}

/** The flags that select the backend id `stored` again. */
function resumeHint(stored: string): string {
  if (stored === 'wasm') return '--backend wasm and WIDEN_KERNELS=plain';
  if (stored === 'wasm-relaxed') return '--backend wasm and WIDEN_KERNELS=relaxed (on a host that has relaxed SIMD)';
  return `--backend ${stored}`;
}

function fromRow<R extends StoredRecord>(row: Row, file: string): R {
  const cell = (column: 'config' | 'metrics' | 'curves' | 'timings'): unknown => {
    try {
      return JSON.parse(row[column]);
    } catch (err) {
      throw new CheckpointError(
        `${file}: trial ${row.id} has a ${column} cell that is not JSON (${(err as Error).message}); the store was edited or damaged, rerun the trial in a new --out folder`,
        { where: `${file}:${row.id}.${column}`, got: String(row[column]).slice(0, 80) },
      );
    }
  };
  return {
    id: row.id,
    experiment: row.experiment,
    config: cell('config'),
    metrics: cell('metrics'),
    curves: cell('curves'),
    timings: cell('timings'),
    finishedAt: row.finished_at,
  } as R;
}
