import { existsSync } from 'node:fs';
import { createEngine, createOptimizer, type Dataset, MLP, makeBooleanTask, trainStep } from '../src/index.js';
import { CHROMIUM, launch, startServer } from '../test/web/helpers.js';
import type { BenchOptions } from './options.js';

/** The browser case of the JSON report: ms per training step in the page's Web Worker and in Node (both wasm, 1 thread). */
export interface BrowserTiming {
  /** The step: one Adam step of an `n`-`h`-`m` ReLU MLP on a batch of `batch` which-clause samples. */
  step: string;
  steps: number;
  rounds: number;
  node_ms: number;
  chromium_ms: number;
  /** chromium_ms / node_ms; the target is <= 1.5. */
  ratio: number;
}

/** The browser case: its timings, or why it did not run (no chromium). */
export type BrowserRun = { ok: true; timing: BrowserTiming } | { ok: false; reason: string };

// the playground's which-clause task at a size where a step takes milliseconds, not microseconds
const S = { n: 256, m: 16, k: 3, h: 512, batch: 256, trainSize: 4096, testSize: 256, seed: 1, lr: 0.001 };
const QUERY = `mode=which-clause&n=${S.n}&m=${S.m}&k=${S.k}&trainSize=${S.trainSize}&testSize=${S.testSize}&seed=${S.seed}&h=${S.h}&alpha=2&strategy=random&optimizer=adam&lr=${S.lr}&batch=${S.batch}&steps=1&splitAt=-1&threads=1`;

function nodeMsPerStep(steps: number): number {
  const engine = createEngine({ backend: 'wasm', threads: 1 });
  const task = makeBooleanTask({
    mode: 'which-clause',
    n: S.n,
    m: S.m,
    k: S.k,
    trainSize: S.trainSize,
    testSize: S.testSize,
    seed: S.seed,
  });
  const model = MLP.create({ sizes: [S.n, S.h, task.outputs], activation: 'relu', seed: S.seed }, engine);
  const optimizer = createOptimizer(model, { kind: 'adam', lr: S.lr });
  const batch = (t: number): Dataset => {
    const o = ((t * S.batch) % (S.trainSize - S.batch)) | 0;
    return {
      x: task.train.x.subarray(o * S.n, (o + S.batch) * S.n),
      y: task.train.y.subarray(o, o + S.batch),
      size: S.batch,
      features: S.n,
    };
  };
  try {
    for (let t = 0; t < 5; t++) trainStep(model, optimizer, batch(t), task.loss);
    const t0 = performance.now();
    for (let t = 0; t < steps; t++) trainStep(model, optimizer, batch(t), task.loss);
    return (performance.now() - t0) / steps;
  } finally {
    model.dispose();
    engine.dispose();
  }
}

/** The page's own timing of `steps` steps in its worker (after the one step of the URL, its warm-up). */
async function pageMsPerStep(steps: number): Promise<number> {
  const { app, base } = await startServer([]);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/?${QUERY}`);
    await page.waitForFunction(() => document.title === 'widen playground · step 1', null, { timeout: 120_000 });
    return await page.evaluate(
      (n) => (document.querySelector('widen-playground') as unknown as { bench(n: number): Promise<number> }).bench(n),
      steps,
    );
  } finally {
    await browser.close();
    await app.close();
  }
}

/**
 * Times the same training step in the playground page (headless Chromium, 1 thread, non-shared
 * memory) and in Node, alternated (twice each, once with --quick) keeping each side's best: a
 * busy spell of another process skews one run, not the result. The step is the playground's and
 * does not follow --shapes. Without /usr/bin/chromium it does not run and says why.
 */
export async function timeBrowser(options: BenchOptions, log: (line: string) => void): Promise<BrowserRun> {
  if (!existsSync(CHROMIUM)) return { ok: false, reason: `${CHROMIUM} is missing (apt-get install chromium); the browser case needs it` };
  const steps = 40;
  const rounds = options.quick ? 1 : 2;
  const node: number[] = [];
  const page: number[] = [];
  for (let i = 0; i < rounds; i++) {
    node.push(nodeMsPerStep(steps));
    log(`browser case, node: ${node[i].toFixed(2)} ms/step`);
    page.push(await pageMsPerStep(steps));
    log(`browser case, chromium: ${page[i].toFixed(2)} ms/step`);
  }
  const [n, p] = [Math.min(...node), Math.min(...page)];
  const round = (x: number) => Number(x.toFixed(3));
  return {
    ok: true,
    timing: {
      step: `${S.n}-${S.h}-${S.m} ReLU MLP, Adam, batch ${S.batch}, wasm, 1 thread`,
      steps,
      rounds,
      node_ms: round(n),
      chromium_ms: round(p),
      ratio: round(p / n),
    },
  };
}

/** The readable lines of the browser case. */
export function formatBrowser(run: BrowserRun): string {
  if (!run.ok) return `Browser: not run: ${run.reason}`;
  const t = run.timing;
  return [
    `Browser: one training step in the playground page (headless Chromium, Web Worker) vs Node: ${t.step} (best of ${t.rounds}, ${t.steps} steps each)`,
    `  node:     ${t.node_ms.toFixed(2)} ms/step`,
    `  chromium: ${t.chromium_ms.toFixed(2)} ms/step`,
    `  ratio:    ${t.ratio.toFixed(2)}x`,
  ].join('\n');
}
