import type { TrialRecord } from '../trials/trial-record.js';

/** One start of a trial: which trial, in which session (1, 2, ... per store). */
export interface Attempt {
  trial: string;
  session: number;
  startedAt: string;
}

/** What a store holds: a trial record, or any record of the same shape (the Sparse Expansion study's steps). */
export interface StoredRecord {
  /** Stable id: a hash of what the record was made from; a second record with the same id is not stored. */
  id: string;
  experiment: string;
  config: Record<string, unknown>;
  metrics: object;
  curves: object;
  timings: { seconds: number; [phase: string]: number };
  finishedAt: string;
}

/**
 * Where finished records are kept, plus a log of trial starts: the SQLite file of a run folder
 * (widen/node's openStore), or memory (createMemoryStore). runTrials needs nothing more.
 */
export interface TrialStore<R extends StoredRecord = TrialRecord> {
  /** Every stored record, in the order they were stored. */
  trials(): R[];
  /** Ids of the stored records. */
  ids(): Set<string>;
  /** Stores one record at once (durably, for a file store); false if its id was already stored (nothing is written). */
  insert(record: R): boolean;
  /** Starts a new session and returns its number. */
  beginSession(): number;
  /** Logs that trial `id` starts in `session`. */
  logAttempt(id: string, session: number): void;
  /** Every logged trial start. */
  attempts(): Attempt[];
  close(): void;
}

/**
 * A TrialStore in memory (records are deep-copied through JSON in and out, as a file store would).
 * Example: `const store = createMemoryStore(); await runTrials(trials, { store, ... })`.
 */
export function createMemoryStore<R extends StoredRecord = TrialRecord>(): TrialStore<R> {
  const rows = new Map<string, string>();
  const log: Attempt[] = [];
  let sessions = 0;
  return {
    trials: () => [...rows.values()].map((r) => JSON.parse(r) as R),
    ids: () => new Set(rows.keys()),
    insert: (record) => {
      if (rows.has(record.id)) return false;
      rows.set(record.id, JSON.stringify(record));
      return true;
    },
    beginSession: () => ++sessions,
    logAttempt: (trial, session) => {
      log.push({ trial, session, startedAt: new Date().toISOString() });
    },
    attempts: () => log.map((a) => ({ ...a })),
    close: () => {},
  };
}
