import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Locator } from 'playwright-core';
import type { TrialRecord } from '../../src/index.js';
import { openStore } from '../../src/node/index.js';
import { fixtureRun, launch, screenshot, skipBrowser, startServer } from './helpers.js';

// `widen serve`: the read-only JSON API over run folders, its refusals, and the dashboard page
// (/runs/) in Debian's chromium listing the trials of a fixture store and drawing their values,
// two runs side by side, and the error view of a corrupt store beside the runs that still work.

type StoredTrial = Pick<TrialRecord, 'id' | 'metrics'>;

/** Checks that a run card lists `trials` and that its figure has a dot per trial with its value in the hover title. */
async function assertCardShows(card: Locator, trials: StoredTrial[]): Promise<void> {
  assert.equal(await card.locator('table.trials tbody tr').count(), trials.length);
  const y = await card.locator('select.y-axis').inputValue();
  const titles = await card.locator('.figure svg title').allTextContents();
  const value = (t: StoredTrial): number => y.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], t.metrics) as number;
  for (const t of trials)
    assert.ok(
      titles.some((s) => s.includes(`${y} = ${value(t)}`) && s.includes(t.id.slice(0, 8))),
      `${t.id} ${y}`,
    );
}

describe('widen serve', () => {
  let app: FastifyInstance;
  let base: string;
  let run: string;
  let other: string;
  let trials: StoredTrial[];
  let otherTrials: StoredTrial[];

  before(async () => {
    run = await fixtureRun();
    const store = openStore(run);
    trials = store.trials();
    store.close();
    other = await fixtureRun('other', 1);
    const otherStore = openStore(other);
    otherTrials = otherStore.trials();
    otherStore.close();
    // a foreign file where a store should be, and a folder with no store
    const corrupt = join(dirname(run), 'corrupt');
    mkdirSync(corrupt);
    writeFileSync(join(corrupt, 'trials.sqlite'), 'this is not an SQLite database, just text long enough to be read as one');
    ({ app, base } = await startServer([run, corrupt, join(dirname(run), 'missing'), other]));
  });
  after(async () => {
    await app?.close();
  });

  it('lists the run folders; a corrupt or missing store is an error of that run only', async () => {
    const res = await fetch(`${base}/api/runs`);
    assert.equal(res.status, 200);
    const { runs } = (await res.json()) as { runs: { id: string; trials: number | null; error: string | null }[] };
    assert.deepEqual(
      runs.map((r) => [r.id, r.trials, r.error === null]),
      [
        ['tiny', trials.length, true],
        ['corrupt', null, false],
        ['missing', null, false],
        ['other', otherTrials.length, true],
      ],
    );
    assert.match(runs[1].error!, /corrupt.*trials\.sqlite/);
    const bad = await fetch(`${base}/api/runs/corrupt`);
    assert.equal(bad.status, 422);
    assert.match(((await bad.json()) as { error: string }).error, /not a widen run store|cannot be opened/);
    // and the server still serves the good run
    const good = await fetch(`${base}/api/runs/tiny`);
    assert.equal(good.status, 200);
    const body = (await good.json()) as { trials: { id: string }[] };
    assert.deepEqual(
      body.trials.map((t) => t.id),
      trials.map((t) => t.id),
    );
  });

  it('downloads the trials as CSV and JSON', async () => {
    const csv = await fetch(`${base}/api/runs/tiny/trials.csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-disposition') ?? '', /attachment; filename="tiny-trials\.csv"/);
    const lines = (await csv.text()).trim().split('\n');
    assert.equal(lines.length, trials.length + 1);
    assert.match(lines[0], /^id,experiment,finishedAt,config\./);
    const json = (await (await fetch(`${base}/api/runs/tiny/trials.json`)).json()) as unknown[];
    assert.equal(json.length, trials.length);
  });

  it('refuses a path outside the given folders', async () => {
    for (const path of [
      '/api/runs/..%2f..%2fetc%2fpasswd',
      '/api/runs/..%2f..%2fetc%2fpasswd/trials.csv',
      '/api/runs/tiny/..%2f..%2f..%2fetc%2fpasswd',
      '/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/assets/..%2f..%2f..%2fpackage.json',
    ]) {
      const res = await fetch(`${base}${path}`);
      assert.ok(res.status >= 400 && res.status < 500, `${path} answered ${res.status}`);
      assert.doesNotMatch(await res.text(), /root:|"name": "widen"/, path);
    }
  });

  it('refuses every write method, and sends the cross-origin isolation headers', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      for (const path of ['/api/runs', '/api/runs/tiny', '/']) {
        const res = await fetch(`${base}${path}`, { method, body: method === 'DELETE' ? undefined : '{}' });
        assert.equal(res.status, 405, `${method} ${path}`);
      }
    }
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(page.headers.get('cross-origin-embedder-policy'), 'require-corp');
  });

  it('the dashboard lists the trials of the fixture store and its figure shows their values', { skip: skipBrowser }, async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${base}/runs/`);
      await page.waitForSelector('.run-card[data-run] table.trials tbody tr');
      assert.equal(await page.locator('#runs tbody tr').count(), 4);
      assert.match((await page.locator('#runs tbody tr').nth(1).textContent()) ?? '', /not a widen run store|cannot be opened/);
      const card = page.locator('.run-card[data-run]');
      // one dot per trial, each with its value in its hover title
      await assertCardShows(card, trials);
      // choose the x axis and filter a method: the figure follows
      const xs = await card.locator('select.x-axis option').allTextContents();
      assert.ok(xs.includes('seed'));
      await card.locator('select.x-axis').selectOption('seed');
      await page.waitForFunction(() => [...document.querySelectorAll('.figure svg')].some((s) => s.textContent?.includes('seed')));
      const methods = card.locator('.controls input[type=checkbox]');
      const before = await card.locator('.figure svg title').count();
      await methods.first().uncheck();
      await page.waitForFunction((n) => document.querySelectorAll('.figure svg title').length < n, before);
      await methods.first().check();
      // the HTML report's own figures, drawn from the same specs in the page
      assert.ok((await card.locator('.report-figures h3').count()) > 0);
      assert.ok((await card.locator('.report-figures svg title').count()) > 0);
      await page.screenshot({ path: screenshot('dashboard.png') });
      await page.evaluate(() => document.querySelector('.report-figures h3')?.scrollIntoView());
      await page.screenshot({ path: screenshot('dashboard-report-figures.png') });
      // live progress: a trial stored by a run still writing shows up within a poll or two
      const store = openStore(run);
      const stored = store.trials()[0];
      store.insert({ ...stored, id: `${stored.id.slice(0, -4)}live` });
      store.close();
      await page.waitForFunction((n) => document.querySelectorAll('.run-card table.trials tbody tr').length === n, trials.length + 1, {
        timeout: 15_000,
      });
      assert.match((await page.locator('#runs tbody tr').first().textContent()) ?? '', new RegExp(`${trials.length + 1}`));
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });

  it("two runs side by side show both runs' trials and values; the link (?run=) opens them", { skip: skipBrowser }, async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${base}/runs/`);
      await page.waitForSelector('.run-card[data-run] table.trials tbody tr');
      // tick the second good run: it joins the first, and the URL names both
      await page.locator('#runs tbody tr').nth(3).locator('input[type=checkbox]').check();
      await page.waitForSelector(`.run-card[data-run="${other}"] table.trials tbody tr`);
      const link = await page.evaluate(() => location.href);
      assert.equal(new URL(link).searchParams.get('run'), 'tiny,other');
      const now = openStore(run);
      const tinyNow = now.trials();
      now.close();
      const cards = page.locator('.run-card[data-run]');
      assert.equal(await cards.count(), 2);
      await assertCardShows(page.locator(`.run-card[data-run="${run}"]`), tinyNow);
      await assertCardShows(page.locator(`.run-card[data-run="${other}"]`), otherTrials);
      // side by side: one row, two columns
      const [a, b] = [await cards.nth(0).boundingBox(), await cards.nth(1).boundingBox()];
      assert.ok(a && b && Math.abs(a.y - b.y) < 1 && b.x >= a.x + a.width, JSON.stringify([a, b]));
      await page.screenshot({ path: screenshot('dashboard-side-by-side.png') });
      // the same view from its link
      const linked = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await linked.goto(link);
      await linked.waitForFunction(
        () =>
          document.querySelectorAll('.run-card[data-run] table.trials tbody tr').length > 0 &&
          document.querySelectorAll('.run-card[data-run]').length === 2,
      );
      assert.deepEqual(await linked.locator('.run-card[data-run] > h2').allTextContents(), [
        `${run} · ${tinyNow.length} trials`,
        `${other} · ${otherTrials.length} trials`,
      ]);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });

  it('a corrupt or foreign store opens as an error view naming the run and the reason; the other runs keep working', {
    skip: skipBrowser,
  }, async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${base}/runs/?run=corrupt`);
      const view = page.locator('.run-card.run-error');
      await view.waitFor();
      const corrupt = join(dirname(run), 'corrupt');
      assert.equal(await view.getAttribute('data-error-run'), corrupt);
      assert.equal(await view.locator('h2').textContent(), `${corrupt} cannot be shown`);
      assert.match(
        (await view.locator('.reason').textContent()) ?? '',
        /corrupt\/trials\.sqlite (is not a widen run store|cannot be opened)/,
      );
      await page.screenshot({ path: screenshot('dashboard-error.png') });
      // the other runs are listed and open beside it
      assert.equal(await page.locator('#runs tbody tr').count(), 4);
      await page.locator('#runs tbody tr').nth(0).locator('input[type=checkbox]').check();
      await page.waitForSelector(`.run-card[data-run="${run}"] table.trials tbody tr`);
      assert.equal(await view.count(), 1);
      // a missing store and an unknown run id get the same kind of view
      await page.goto(`${base}/runs/?run=missing`);
      await page.waitForSelector('.run-card.run-error .reason:has-text("missing is not a folder")');
      await page.goto(`${base}/runs/?run=nosuch`);
      await page.waitForSelector(`.run-card.run-error .reason:has-text("no run 'nosuch'")`);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
});
