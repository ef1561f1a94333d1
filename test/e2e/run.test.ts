import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';

// `widen run` as a user runs it: from source in a child process, single-threaded engines.
const ARGS = ['--import', 'tsx', 'test/e2e/widen.ts', 'run'];
const ENV = { ...process.env, WIDEN_THREADS: '1' };

function widenRun(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...ARGS, ...args], { encoding: 'utf8', env: ENV });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'widen-e2e-run-'));
const config = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** 12 trials (3 seeds × 4 methods) of about half a second each. */
const KILLABLE = config(
  'killable.yaml',
  'name: killable\ntask: {n: 8, m: 4, trainSize: 1024, testSize: 128}\nmodel: {h: 4}\nseeds: 3\ntraining: {warmupEpochs: 50, afterSplitEpochs: 50, batchSize: 32, evalEvery: 10}\n',
);

test('widen run writes every trial of a YAML config and reports them with --json; a rerun skips them', () => {
  const file = config(
    'tiny.yaml',
    'name: tiny\ntask: {n: 8, m: 4, trainSize: 128, testSize: 64}\nmodel: {h: 4}\nseeds: 2\ntraining: {warmupEpochs: 4, afterSplitEpochs: 4}\n',
  );
  const out = join(dir, 'tiny');
  const r = widenRun(file, '--out', out, '--workers', '2', '--json');
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');
  assert.deepEqual([summary.experiment, summary.total, summary.ran, summary.skipped, summary.failed], ['tiny', 8, 8, 0, []]);
  assert.equal(summary.store, join(out, 'trials.sqlite'));
  const again = widenRun(file, '--out', out);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /tiny: ran 0 of 8 trials \(8 already stored, 0 failed\)/);
});

test('widen run refuses a missing or broken config and a folder of another experiment, with exit code 1', () => {
  const other = config('other.yaml', 'name: other\ntask: {n: 8, m: 4}\n');
  const cases: Array<[string[], RegExp]> = [
    [[join(dir, 'nope.yaml')], /cannot read experiment config .*nope\.yaml: ENOENT/],
    [[config('broken.yaml', 'name: b\ntask:\n  m: [4\n')], /experiment config .*broken\.yaml is not valid YAML at line \d+, column \d+/],
    [
      [config('typo.yaml', 'name: t\nsede: 3\n')],
      /typo\.yaml: invalid experiment config: unknown key 'experiment config.sede'; allowed keys: name, task/,
    ],
    [[other, '--out', join(dir, 'tiny')], /run folder .*tiny holds experiment 'tiny', not 'other'; pass a new --out folder/],
    [[other, '--workers', 'two'], /invalid option value: --workers two; expected an integer/],
    [[other, '--workers', '0'], /workers must be an integer >= 1, got 0; pass --workers 2/],
  ];
  for (const [args, message] of cases) {
    const r = widenRun(...args);
    assert.equal(r.code, 1, `${args.join(' ')} should fail; stderr: ${r.stderr}`);
    assert.match(r.stderr, /^widen: error: /m);
    assert.match(r.stderr, message, args.join(' '));
  }
});

interface Stored {
  ids: string[];
  finished: Map<string, string>;
  attempts: Array<{ trial: string; session: number }>;
  integrity: string;
}

function readStore(runDir: string): Stored {
  const db = new Database(join(runDir, 'trials.sqlite'));
  try {
    const rows = db.prepare('SELECT id, finished_at FROM trials').all() as Array<{ id: string; finished_at: string }>;
    return {
      ids: rows.map((r) => r.id),
      finished: new Map(rows.map((r) => [r.id, r.finished_at])),
      attempts: db.prepare('SELECT trial, session FROM attempts').all() as Stored['attempts'],
      integrity: db.pragma('integrity_check', { simple: true }) as string,
    };
  } finally {
    db.close();
  }
}

/** Trials stored so far (0 while the store or its tables do not exist yet). */
function countTrials(runDir: string): number {
  const file = join(runDir, 'trials.sqlite');
  if (!existsSync(file)) return 0;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT count(*) FROM trials').pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

test('after kill -9 of the whole run, a rerun resumes: nothing finished is lost, rerun or stored twice', async () => {
  const out = join(dir, 'killed');
  // its own process group, so that one SIGKILL takes the CLI and its worker threads at once
  const child = spawn(process.execPath, [...ARGS, KILLABLE, '--out', out, '--workers', '2'], { detached: true, stdio: 'ignore', env: ENV });
  const exited = new Promise((done) => child.on('exit', done));
  const deadline = Date.now() + 30_000;
  while (countTrials(out) < 1 && Date.now() < deadline) await sleep(20);
  process.kill(-(child.pid as number), 'SIGKILL');
  await exited;

  const before = readStore(out);
  assert.equal(before.integrity, 'ok');
  assert.ok(before.ids.length >= 1 && before.ids.length < 12, `killed after ${before.ids.length} of 12 trials; make the trials longer`);

  const r = widenRun(KILLABLE, '--out', out, '--workers', '2', '--json');
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');
  assert.deepEqual([summary.total, summary.skipped, summary.ran], [12, before.ids.length, 12 - before.ids.length]);

  const after = readStore(out);
  assert.equal(after.integrity, 'ok');
  assert.equal(after.ids.length, 12);
  assert.equal(new Set(after.ids).size, 12);
  for (const [id, at] of before.finished) assert.equal(after.finished.get(id), at, `finished trial ${id} was rewritten`);
  const rerun = after.attempts.filter((a) => a.session === 2).map((a) => a.trial);
  assert.deepEqual(
    rerun.filter((id) => before.finished.has(id)),
    [],
    'no finished trial is started again',
  );
  assert.deepEqual(new Set(rerun), new Set(after.ids.filter((id) => !before.finished.has(id))), 'the rest ran in session 2');
});
