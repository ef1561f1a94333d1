// Shared by the browser tests: a fresh build of the web app, a fixture run folder, the server and Debian's chromium.
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium } from 'playwright-core';
import { createServer, runExperiment } from '../../src/node/index.js';

export const CHROMIUM = '/usr/bin/chromium';
/** Why the browser tests skip, or false when they run (CI installs chromium with apt). */
export const skipBrowser: string | false = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is missing (apt-get install chromium); browser tests skipped`;
if (skipBrowser) console.log(`# ${skipBrowser}`);

const newest = (dir: string): number =>
  readdirSync(dir).reduce((t, n) => {
    const p = join(dir, n);
    const s = statSync(p);
    return Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }, 0);

/** dist/web-test, rebuilt by vite when web/ or src/ changed since the last build (a few seconds). */
export async function builtWeb(): Promise<string> {
  const out = join(process.cwd(), 'dist', 'web-test');
  const stamp = join(out, 'index.html');
  if (existsSync(stamp) && statSync(stamp).mtimeMs > Math.max(newest('web'), newest('src'), statSync('build/widen.wasm').mtimeMs))
    return out;
  const { build } = await import('vite');
  await build({ configFile: join(process.cwd(), 'web', 'vite.config.ts'), logLevel: 'warn', build: { outDir: out, emptyOutDir: true } });
  return out;
}

/** A run folder `name` of a tiny Boolean experiment (4 trials per seed, about a second). */
export async function fixtureRun(name = 'tiny', seeds = 2): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'widen-web-')), name);
  await runExperiment(
    {
      name,
      task: { n: 8, m: 4, trainSize: 256, testSize: 128 },
      model: { h: 4 },
      seeds,
      training: { warmupEpochs: 4, afterSplitEpochs: 4, batchSize: 64, evalEvery: 4 },
    },
    { out, workers: 1 },
  );
  return out;
}

export async function startServer(runs: string[]): Promise<{ app: FastifyInstance; base: string }> {
  const app = await createServer({ runs, webDir: await builtWeb() });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base: address };
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Where the tests save their screenshots: a temp folder, so a test run leaves the work tree clean;
 * `WIDEN_SCREENSHOTS=docs/screenshots npm test -- test/web/...` refreshes the README's pictures.
 */
export const SCREENSHOTS = process.env.WIDEN_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'widen-screenshots-'));

/** The path of screenshot `name` (a .png file name). */
export const screenshot = (name: string): string => join(SCREENSHOTS, name);
