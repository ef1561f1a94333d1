import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { STORE_FILE } from '../run/sqlite-store.js';

/** A run folder given to `widen serve`: its id in URLs, its name, its absolute path. */
export interface ServedRun {
  id: string;
  name: string;
  dir: string;
}

/** One stored trial as the API returns it. */
export interface ServedTrial {
  id: string;
  experiment: string;
  config: unknown;
  metrics: unknown;
  curves: unknown;
  timings: unknown;
  finishedAt: string;
}

/**
 * The given folders with URL ids (their base names, made unique with -2, -3, ...). URLs name runs
 * by id only, and an id is a key of this list, never joined to a path, so no URL reaches a file
 * outside the given folders.
 */
export function servedRuns(dirs: readonly string[]): ServedRun[] {
  const seen = new Map<string, number>();
  return dirs.map((d) => {
    const dir = resolve(d);
    const base = basename(dir).replace(/[^\w.-]/g, '_') || 'run';
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { id: n === 1 ? base : `${base}-${n}`, name: d, dir };
  });
}

/**
 * The trials of a run folder, read from its store opened read-only (never created, never
 * migrated, never written). Throws with a message naming the folder when the store is missing,
 * not SQLite, or not a widen store.
 */
export function readRunTrials(run: ServedRun): ServedTrial[] {
  const file = resolve(run.dir, STORE_FILE);
  if (!existsSync(run.dir) || !statSync(run.dir).isDirectory()) throw new Error(`${run.name} is not a folder`);
  if (!existsSync(file)) throw new Error(`${run.name} holds no ${STORE_FILE}; give the folder of a run (the one given to widen run)`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new Error(`${run.name}/${STORE_FILE} cannot be opened: ${(err as Error).message}`);
  }
  try {
    const rows = db
      .prepare('SELECT id, experiment, config, metrics, curves, timings, finished_at FROM trials ORDER BY rowid')
      .all() as Record<string, string>[];
    return rows.map((r) => ({
      id: r.id,
      experiment: r.experiment,
      config: JSON.parse(r.config),
      metrics: JSON.parse(r.metrics),
      curves: JSON.parse(r.curves),
      timings: JSON.parse(r.timings),
      finishedAt: r.finished_at,
    }));
  } catch (err) {
    throw new Error(`${run.name}/${STORE_FILE} is not a widen run store: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

/** Numeric and string leaves of a nested object as dotted columns, for the CSV download. */
function flatten(o: unknown, prefix: string, out: Record<string, string>): void {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) {
    if (prefix) out[prefix] = Array.isArray(o) ? JSON.stringify(o) : String(o ?? '');
    return;
  }
  for (const [k, v] of Object.entries(o)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
}

/** The trials as CSV: one row per trial, columns id, experiment, finishedAt, config.*, metrics.* (curves left out). */
export function trialsCsv(trials: readonly ServedTrial[]): string {
  const rows = trials.map((t) => {
    const out: Record<string, string> = { id: t.id, experiment: t.experiment, finishedAt: t.finishedAt };
    flatten(t.config, 'config', out);
    flatten(t.metrics, 'metrics', out);
    return out;
  });
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: string | undefined): string => (v === undefined ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `${[columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n')}\n`;
}
