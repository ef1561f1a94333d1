import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { decodeCheckpoint, decodeSafetensors } from '../../src/index.js';
import { launch, screenshot, skipBrowser, startServer } from './helpers.js';

// The playground (/) in Debian's chromium: training in the Web Worker, FPE at a fixed non-zero
// count, the URL as the whole state, a dropped CSV and .npy, the form's refusals and a stopped NaN run.

/** A which-clause task that h = 8 ReLU neurons learn past 90% train accuracy within STEPS Adam steps. */
const STEPS = 300;
const RUN = `mode=which-clause&n=16&m=4&k=3&trainSize=1024&testSize=512&seed=1&h=8&alpha=2&strategy=random&optimizer=adam&lr=0.01&batch=64&steps=${STEPS}&splitAt=-1`;

const doneAt = (page: Page, step: number) =>
  page.waitForFunction(
    (s) => document.title === `widen playground · step ${s}` && !document.querySelector<HTMLButtonElement>('#train')?.disabled,
    step,
    {
      timeout: 40_000,
    },
  );
const num = async (page: Page, sel: string): Promise<number> => Number(await page.textContent(sel));

/** A little-endian float32 .npy file (format 1.0) of `shape`. */
function npy(shape: number[], values: number[]): Buffer {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  // magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64 and ended by \n
  const header = `${dict.padEnd(Math.ceil((10 + dict.length + 1) / 64) * 64 - 10 - 1, ' ')}\n`;
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head.writeUInt8(1, 6);
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(new Float32Array(values).buffer)]);
}

describe('the playground', { skip: skipBrowser }, () => {
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  before(async () => {
    ({ app, base } = await startServer([]));
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it(`trains a which-clause task past 90% train accuracy within ${STEPS} steps; a copied URL reproduces it; Split keeps the non-zero count`, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/?${RUN}`);
    await doneAt(page, STEPS);
    assert.match(
      (await page.textContent('#threads')) ?? '',
      /engine: 2 threads \(wasm, in a Web Worker; the page is cross-origin isolated\)/,
    );
    const acc = await num(page, '#train-acc');
    assert.ok(acc > 0.9, `train accuracy ${acc} after ${STEPS} steps`);
    const url = page.url();
    assert.match(url, new RegExp(`steps=${STEPS}`));

    // downloads: PyTorch names of nn.Sequential(Linear, ReLU, Linear), and a widen checkpoint
    const [torch] = await Promise.all([page.waitForEvent('download'), page.click('#dl-torch')]);
    const file = decodeSafetensors(new Uint8Array(readFileSync(await torch.path())));
    assert.deepEqual(
      [...file.tensors].map(([name, t]) => `${name} ${t.shape.join('x')}`),
      ['0.weight 8x16', '0.bias 8', '2.weight 4x8', '2.bias 4'],
    );
    const [ckpt] = await Promise.all([page.waitForEvent('download'), page.click('#dl-checkpoint')]);
    const restored = decodeCheckpoint(new Uint8Array(readFileSync(await ckpt.path())), 'widen-playground.safetensors');
    assert.equal(restored.step, STEPS);
    assert.equal(restored.model.nnz(), await num(page, '#nnz'));
    restored.model.dispose();

    // the same link in a fresh page replays the same run
    const again = await browser.newPage();
    await again.goto(url);
    await doneAt(again, STEPS);
    assert.equal(await again.textContent('#train-acc'), await page.textContent('#train-acc'));
    assert.equal(await again.textContent('#test-acc'), await page.textContent('#test-acc'));
    await again.close();

    // FPE: twice the neurons, exactly the same non-zero count; then both arms train on
    const nnz = await num(page, '#nnz');
    const hidden = await num(page, '#hidden');
    await page.click('#split');
    await page.waitForSelector('#split-note');
    assert.equal(await num(page, '#hidden'), 2 * hidden);
    assert.equal(await num(page, '#nnz'), nnz);
    assert.equal(await num(page, '#twin-nnz'), nnz);
    assert.match(page.url(), new RegExp(`splitAt=${STEPS}`));
    await page.fill('input[name=steps]', String(STEPS + 100));
    await page.dispatchEvent('input[name=steps]', 'change');
    await page.click('#train');
    await doneAt(page, STEPS + 100);
    assert.equal(await num(page, '#nnz'), nnz);
    assert.match((await page.textContent('#collisions')) ?? '', /at the split: predicted [\d.]+ \(random\), measured [\d.]+/);
    assert.equal(await page.locator('#histograms figure').count(), 2 * hidden);
    await page.screenshot({ path: screenshot('playground.png'), fullPage: true });

    // the split run's link replays the split too
    const replay = await browser.newPage();
    await replay.goto(page.url());
    await doneAt(replay, STEPS + 100);
    assert.equal(await num(replay, '#hidden'), 2 * hidden);
    assert.equal(await replay.textContent('#train-acc'), await page.textContent('#train-acc'));
    await replay.close();
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('trains on a dropped CSV, parsed in the page', async () => {
    const page = await browser.newPage();
    // ?threads=1: one kernel thread, as on a page that is not cross-origin isolated
    await page.goto(`${base}/?threads=1`);
    await page.waitForFunction(() => document.querySelector('#threads')?.textContent?.includes('engine: 1 thread'));
    // two well-separated classes in 3 features
    const rows = ['a,b,c,label'];
    for (let i = 0; i < 200; i++) {
      const c = i % 2;
      const v = (j: number) => ((c ? 2 : -2) + Math.sin(i * 7 + j * 3)).toFixed(3);
      rows.push(`${v(0)},${v(1)},${v(2)},${c ? 'yes' : 'no'}`);
    }
    await page.setInputFiles('#file', { name: 'blobs.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
    await page.waitForSelector('legend:has-text("blobs.csv (200 × 3, 2 classes)")');
    await page.fill('input[name=steps]', '60');
    await page.dispatchEvent('input[name=steps]', 'change');
    await page.click('#train');
    await doneAt(page, 60);
    assert.ok((await num(page, '#train-acc')) > 0.95);
    await page.close();
  });

  it('trains on a dropped .npy ([samples, features + 1], last column the class); a 1-D one is refused with the reason', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/?threads=1`);
    await page.waitForFunction(() => document.querySelector('#threads')?.textContent?.includes('engine: 1 thread'));
    // the same two classes in 3 features as the CSV, as float32 with the class index last
    const values: number[] = [];
    for (let i = 0; i < 200; i++) {
      const c = i % 2;
      for (let j = 0; j < 3; j++) values.push((c ? 2 : -2) + Math.sin(i * 7 + j * 3));
      values.push(c);
    }
    const drop = async (name: string, bytes: Buffer) => {
      // a real drop event on the drop zone, carrying the file in its DataTransfer
      const dataTransfer = await page.evaluateHandle(
        ({ name, b64 }) => {
          const dt = new DataTransfer();
          dt.items.add(new File([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))], name));
          return dt;
        },
        { name, b64: bytes.toString('base64') },
      );
      await page.dispatchEvent('label.drop', 'drop', { dataTransfer });
    };
    await drop('flat.npy', npy([values.length], values));
    await page.waitForSelector('#run-error:has-text("flat.npy: expected a 2-D array")');
    await drop('blobs.npy', npy([200, 4], values));
    await page.waitForSelector('legend:has-text("blobs.npy (200 × 3, 2 classes)")');
    assert.equal(await page.locator('#run-error').count(), 0);
    await page.fill('input[name=steps]', '60');
    await page.dispatchEvent('input[name=steps]', 'change');
    await page.click('#train');
    await doneAt(page, 60);
    assert.ok((await num(page, '#train-acc')) > 0.95);
    await page.close();
  });

  it('refuses impossible settings beside the field, and a NaN/Inf stops the run with the engine message', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${base}/`);
    await page.waitForSelector('#train:not([disabled])');
    const set = async (name: string, value: string) => {
      await page.fill(`input[name=${name}]`, value);
      await page.dispatchEvent(`input[name=${name}]`, 'change');
    };
    await set('n', '4');
    await set('k', '3');
    await set('m', '40'); // C(4, 3)·2^3 = 32 distinct clauses
    assert.match((await page.textContent('small[data-for=m]')) ?? '', /exceeds the 32 distinct clauses/);
    await set('h', '0');
    assert.match((await page.textContent('small[data-for=h]')) ?? '', /h must be an integer >= 1/);
    await set('alpha', '1');
    assert.match((await page.textContent('small[data-for=alpha]')) ?? '', /α must be an integer >= 2/);
    assert.ok(await page.locator('#train').isDisabled());
    await page.screenshot({ path: screenshot('playground-phone.png'), fullPage: false });
    await set('m', '4');
    await set('h', '8');
    await set('alpha', '2');
    assert.equal(await page.locator('small.error').count(), 0);
    await set('lr', '1e30');
    await page.selectOption('select[name=optimizer]', 'sgd');
    await page.click('#train');
    await page.waitForSelector('#run-error');
    assert.match((await page.textContent('#run-error')) ?? '', /^stopped: .*NaN.* at step \d+.*lower the learning rate/);
    await page.close();
  });
});
