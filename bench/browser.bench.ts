/**
 * A playground training step inside Chromium (the page's Web Worker, wasm engine, 1 thread)
 * against the same step in Node: `npm run bench:browser [-- --steps 40]`. Needs /usr/bin/chromium
 * (apt-get install chromium). Target: the page within 1.5x of Node. The step: one Adam step of
 * a 256-512-16 ReLU MLP on a batch of 256 samples of a which-clause task (n 256, m 16, k 3).
 */
import { existsSync } from 'node:fs';
import { createEngine, createOptimizer, type Dataset, MLP, makeBooleanTask, trainStep } from '../src/index.js';
import { useNodePlatform } from '../src/node/index.js';
import { CHROMIUM, launch, startServer } from '../test/web/helpers.js';

const arg = process.argv.indexOf('--steps');
const STEPS = arg > 0 ? Number(process.argv[arg + 1]) : 40;
const S = { n: 256, m: 16, k: 3, h: 512, batch: 256, trainSize: 4096, testSize: 256, seed: 1, lr: 0.001 };
const QUERY = `mode=which-clause&n=${S.n}&m=${S.m}&k=${S.k}&trainSize=${S.trainSize}&testSize=${S.testSize}&seed=${S.seed}&h=${S.h}&alpha=2&strategy=random&optimizer=adam&lr=${S.lr}&batch=${S.batch}&steps=1&splitAt=-1&threads=1`;

function nodeMsPerStep(): number {
  useNodePlatform();
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
  for (let t = 0; t < 5; t++) trainStep(model, optimizer, batch(t), task.loss);
  const t0 = performance.now();
  for (let t = 0; t < STEPS; t++) trainStep(model, optimizer, batch(t), task.loss);
  const ms = (performance.now() - t0) / STEPS;
  model.dispose();
  engine.dispose();
  return ms;
}

async function pageMsPerStep(): Promise<number> {
  const { app, base } = await startServer([]);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/?${QUERY}`);
    await page.waitForFunction(() => document.title === 'widen playground · step 1', null, { timeout: 120_000 });
    return await page.evaluate(
      (steps) => (document.querySelector('widen-playground') as unknown as { bench(n: number): Promise<number> }).bench(steps),
      STEPS,
    );
  } finally {
    await browser.close();
    await app.close();
  }
}

if (!existsSync(CHROMIUM)) {
  console.log(`${CHROMIUM} is missing (apt-get install chromium); the browser bench needs it`);
} else {
  // alternate, twice each, and keep each side's best: a busy spell of another process skews one run, not the result
  const node: number[] = [];
  const page: number[] = [];
  for (let i = 0; i < 2; i++) {
    node.push(nodeMsPerStep());
    page.push(await pageMsPerStep());
  }
  const [n, p] = [Math.min(...node), Math.min(...page)];
  console.log(`training step ${S.n}-${S.h}-${S.m} Adam, batch ${S.batch}, wasm, 1 thread (best of 2, ${STEPS} steps each)`);
  console.log(`  node:     ${n.toFixed(2)} ms/step`);
  console.log(`  chromium: ${p.toFixed(2)} ms/step (page Web Worker)`);
  console.log(`  ratio:    ${(p / n).toFixed(2)}x  (target <= 1.5x: ${p / n <= 1.5 ? 'met' : 'NOT met'})`);
}
