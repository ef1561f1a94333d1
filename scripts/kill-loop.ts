// The kill -9 loop of `npm run fuzz`: starts `widen run` (2 workers) on a small config again and
// again, SIGKILLs its process group at a random moment, and after each kill checks the store:
// PRAGMA integrity_check is ok, no trial is stored twice, no finished trial was rewritten or
// started again. At the end the run completes and every record's metrics must equal a clean run's.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { Rng } from '../src/index.js';

const TOTAL = 80;
const CLI = ['--import', 'tsx', 'test/e2e/widen.ts', 'run'];
const ENV = { ...process.env, WIDEN_THREADS: '1' };
/** 80 trials (20 seeds × 4 methods) of a few seconds each, so that the kills land inside the run. */
const CONFIG =
  'name: killable\ntask: {n: 8, m: 4, trainSize: 1024, testSize: 128}\nmodel: {h: 4}\nseeds: 20\ntraining: {warmupEpochs: 400, afterSplitEpochs: 400, batchSize: 32, evalEvery: 50}\n';

interface Store {
  finished: Map<string, string>;
  metrics: Map<string, string>;
  rows: number;
  attempts: Array<{ trial: string; session: number }>;
  integrity: string;
}

function readStore(runDir: string): Store | null {
  const file = join(runDir, 'trials.sqlite');
  if (!existsSync(file)) return null;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    if (!tables.includes('trials')) return { finished: new Map(), metrics: new Map(), rows: 0, attempts: [], integrity };
    const rows = db.prepare('SELECT id, metrics, finished_at FROM trials').all() as Array<{
      id: string;
      metrics: string;
      finished_at: string;
    }>;
    return {
      finished: new Map(rows.map((r) => [r.id, r.finished_at])),
      metrics: new Map(rows.map((r) => [r.id, r.metrics])),
      rows: rows.length,
      attempts: db.prepare('SELECT trial, session FROM attempts').all() as Store['attempts'],
      integrity,
    };
  } finally {
    db.close();
  }
}

/** Runs `kills` kill -9 rounds and the final comparison; prints one line per kill and a summary; resolves to true when every check held. */
export async function killLoop(kills: number, seed: number): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'widen-kill-loop-'));
  const config = join(dir, 'killable.yaml');
  writeFileSync(config, CONFIG);
  const out = join(dir, 'killed');
  const rng = new Rng(seed);
  const problems: string[] = [];
  let before: Store = { finished: new Map(), metrics: new Map(), rows: 0, attempts: [], integrity: 'ok' };
  const delays: number[] = [];
  let midRun = 0;
  console.log(`\nkill -9 loop: ${kills} kills of \`widen run\` (2 workers, ${TOTAL} trials) in ${out}`);
  for (let k = 1; k <= kills; k++) {
    // a random moment from start-up (loading tsx, opening the store) into the trials
    const delay = Math.round(1000 + rng.float() * 11000);
    delays.push(delay);
    const child = spawn(process.execPath, [...CLI, config, '--out', out, '--workers', '2'], { detached: true, stdio: 'ignore', env: ENV });
    const exited = new Promise((done) => child.on('exit', done));
    await Promise.race([sleep(delay), exited]);
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // the run had already finished
    }
    await exited;
    if (before.rows < TOTAL) midRun++;
    const after = readStore(out);
    const fail = (p: string) => problems.push(`kill ${k} (at ${delay} ms): ${p}`);
    if (after === null) {
      console.log(`kill ${k}: at ${delay} ms, before the store existed`);
      continue;
    }
    if (after.integrity !== 'ok') fail(`integrity_check says ${after.integrity}`);
    if (new Set(after.finished.keys()).size !== after.rows) fail('a trial id is stored twice');
    for (const [id, at] of before.finished) if (after.finished.get(id) !== at) fail(`finished trial ${id} was lost or rewritten`);
    const session = Math.max(0, ...after.attempts.map((a) => a.session));
    const restarted = after.attempts.filter((a) => a.session === session && before.finished.has(a.trial));
    if (session > Math.max(0, ...before.attempts.map((a) => a.session)) && restarted.length > 0)
      fail(`finished trial(s) started again: ${restarted.map((a) => a.trial).join(', ')}`);
    console.log(
      `kill ${k}: at ${delay} ms, ${after.rows} of ${TOTAL} trials stored (+${after.rows - before.rows}), integrity ${after.integrity}`,
    );
    before = after;
  }
  const finish = spawnSync(process.execPath, [...CLI, config, '--out', out, '--workers', '2'], { encoding: 'utf8', env: ENV });
  if (finish.status !== 0) problems.push(`the final resume failed: ${finish.stderr}`);
  const clean = spawnSync(process.execPath, [...CLI, config, '--out', join(dir, 'clean'), '--workers', '2'], {
    encoding: 'utf8',
    env: ENV,
  });
  if (clean.status !== 0) problems.push(`the clean run failed: ${clean.stderr}`);
  const resumed = readStore(out);
  const reference = readStore(join(dir, 'clean'));
  let differ = 0;
  if (resumed === null || reference === null) problems.push('a store is missing');
  else {
    if (resumed.rows !== TOTAL || reference.rows !== TOTAL)
      problems.push(`stores hold ${resumed.rows} and ${reference.rows} trials, expected ${TOTAL}`);
    for (const [id, m] of reference.metrics) if (resumed.metrics.get(id) !== m) differ++;
    if (differ > 0) problems.push(`${differ} of ${TOTAL} records' metrics differ from the clean run`);
    const sessions = Math.max(...resumed.attempts.map((a) => a.session));
    console.log(
      `kill -9 loop: ${kills} kills (at ${Math.min(...delays)}–${Math.max(...delays)} ms), ${sessions} sessions, ${resumed.attempts.length} attempts for ${TOTAL} trials; ${midRun} kills with trials still to run; ` +
        `integrity ok after every kill: ${!problems.some((p) => p.includes('integrity'))}; records equal to a clean run: ${TOTAL - differ} of ${TOTAL}`,
    );
  }
  for (const p of problems) console.error(`kill -9 loop: ${p}`);
  return problems.length === 0;
}
