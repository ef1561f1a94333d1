/**
 * widen against PyTorch on this machine: `npm run bench -- [--json] [--quick]
 * [--cases train,infer,gemm,realdata,browser,boolean] [--threads 1,2] [--backend wasm|ref|auto] [--shapes full|small] [--rounds n]`.
 *
 * Cases (the engine study's, shared/research/engines.md): one Adam training step of an MLP
 * 512-2048-2048-10 (ReLU, batch 256, softmax cross-entropy, lr 1e-3) with fixed random masks at
 * 0/50/75/90 % sparsity; forward-only inference at batch 1 and 256; a dense 1024³ GEMM.
 * For each thread count (a fresh widen engine each) and each kind of case, widen runs, then
 * bench/torch_peer.py runs the same cases, never both at once: the two engines of one comparison
 * are timed seconds apart, so a busy spell of another process skews both rather than one. With
 * --rounds n that pair runs n times; the report takes medians, and each ratio is the median of the
 * n paired ratios.
 * Then, in widen alone on one thread, the real-data case (bench/realdata.ts): one Fashion-MNIST
 * trial of experiment (a) at h = 32, alpha = 4 (target: under 2 minutes) and the training epoch
 * of dense h = 32 beside FPE alpha = 4 at the same non-zero count (about a minute in all; without
 * the dataset it is skipped with a note of where widen looked and how to get it).
 * Then the browser case (bench/browser.ts): one playground training step in the page's Web Worker
 * (headless Chromium, wasm, 1 thread) against the same step in Node, target <= 1.5x (~20 s; on by
 * default since it is cheap; without /usr/bin/chromium it is skipped, saying so).
 * Then the boolean case (bench/boolean.ts): one seed of the Boolean headline cell, the four methods,
 * in widen (1 thread) and in bench/torch_boolean.py on the same task (1 thread), target <= 0.5x.
 * Progress goes to stderr; stdout has the table, the targets and, with --json, one JSON object last.
 */

import type { Engine } from '../src/engine/index.js';
import { useNodePlatform } from '../src/node/index.js';
import { type BooleanRun, formatBoolean, timeBoolean } from './boolean.js';
import type { BrowserRun } from './browser.js';
import { type FmaPeak, measureFmaPeak } from './fma-peak.js';
import { describeMachine, otherCpuLoad, otherCpuMeter } from './machine.js';
import { helpText, parseOptions, UsageError } from './options.js';
import { makePlan } from './plan.js';
import { formatRealdata, type RealdataRun, timeRealdata } from './realdata.js';
import { buildReport, checkTargets, formatTable, type Round } from './report.js';
import { ensureTorch, runTorch, type TorchRun } from './torch-side.js';
import { openEngine, timeWiden, type WidenTiming } from './widen-side.js';

useNodePlatform();

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === null) {
    console.log(helpText());
    return;
  }
  const plan = makePlan(options);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  // the peer is only needed for the engine cases: --cases realdata alone installs nothing
  let torchError = plan.cases.length > 0 || options.boolean ? ensureTorch(log) : null;
  const busy = otherCpuLoad();
  if (busy !== null && busy > 0.2) log(`warning: other processes use ${busy} cores right now; the timings will be noisy`);
  const during = otherCpuMeter();

  const widen: Array<WidenTiming & Round> = [];
  const torch: Array<TorchRun['cases'][number] & Round> = [];
  let torchInfo: { torch: string; blas: string } | null = null;
  let backend = '';
  for (const threads of plan.cases.length > 0 ? plan.threads : []) {
    // one engine per kernel build, all timed in this run; a build this host lacks is skipped with a note
    const engines: Engine[] = [];
    for (const kernels of options.backend === 'ref' ? (['auto'] as const) : options.kernels) {
      try {
        engines.push(openEngine(options.backend, threads, log, kernels));
      } catch (err) {
        log(`note: no ${kernels} kernels on ${threads} thread(s): ${(err as Error).message}`);
      }
    }
    try {
      for (const kind of plan.cases) {
        for (let round = 0; round < options.rounds; round++) {
          if (options.rounds > 1) log(`round ${round + 1} of ${options.rounds}: ${kind}, ${threads} thread(s)`);
          for (const engine of engines) {
            backend = engine.backend.name;
            widen.push(...timeWiden(plan, engine, kind, threads, log).map((t) => ({ ...t, round })));
          }
          if (torchError !== null) continue;
          const peer = runTorch({ ...plan, cases: [kind], threads: [threads] });
          if (!peer.ok) {
            torchError = peer.reason;
            continue;
          }
          torchInfo = { torch: peer.run.torch, blas: peer.run.blas };
          torch.push(...peer.run.cases.map((c) => ({ ...c, round })));
          for (const c of peer.run.cases)
            log(`torch ${c.case} sparsity=${c.sparsity} batch=${c.batch} threads=${threads}: ${c.ms.toFixed(3)} ms`);
        }
      }
    } finally {
      for (const engine of engines) engine.dispose();
    }
  }
  if (torchError !== null) log(`torch: no peer numbers: ${torchError}`);
  let realdata: RealdataRun | null = null;
  if (options.realdata) {
    const engine = openEngine(options.backend, 1, log);
    backend = engine.backend.name;
    try {
      realdata = await timeRealdata(options, engine, log);
    } finally {
      engine.dispose();
    }
  }
  // loaded only when asked: it pulls in playwright-core and the web test helpers
  const browserCase = options.browser ? await import('./browser.js') : null;
  const browser: BrowserRun | null = browserCase ? await browserCase.timeBrowser(options, log) : null;
  let boolean: BooleanRun | null = null;
  if (options.boolean) {
    const engine = openEngine(options.backend, 1, log);
    backend = engine.backend.name;
    try {
      boolean = timeBoolean(options.shapes === 'small' ? 'small' : options.quick ? 'quick' : 'full', engine, torchError === null, log);
    } finally {
      engine.dispose();
    }
  }
  // the ceiling of the engine cases on this core, in the same run (wasm builds only)
  let peak: FmaPeak | null = null;
  if (plan.cases.length > 0 && options.backend !== 'ref') {
    peak = await measureFmaPeak(options.quick || options.shapes === 'small');
    log(`128-bit multiply-add peak of one core: plain ${peak.plain_gflops} GFLOP/s, relaxed ${peak.relaxed_gflops ?? 'n/a'} GFLOP/s`);
  }
  const busyDuring = during();
  if (busyDuring !== null && busyDuring > 0.2) {
    log(`warning: other processes used ${busyDuring} cores on average during the run; rerun on an idle machine for numbers to quote`);
  }

  const machine = {
    ...describeMachine(),
    other_cpu_before: busy,
    other_cpu_during: busyDuring,
    torch: torchInfo?.torch ?? (boolean?.ok ? boolean.timing.torch : null),
    blas: torchInfo?.blas ?? null,
    torch_error: torchError,
    widen_backend: backend,
    fma_peak_plain_gflops: peak?.plain_gflops ?? null,
    fma_peak_relaxed_gflops: peak?.relaxed_gflops ?? null,
    shapes: options.shapes,
    rounds: options.rounds,
    sizes: plan.sizes.join('-'),
    quick: options.quick,
    date: new Date().toISOString(),
  };
  const report = buildReport(plan, machine, widen, torch, realdata, browser, boolean);
  for (const t of widen.filter((t) => t.density !== null && Math.abs(t.density - (1 - t.sparsity)) > 0.005)) {
    log(
      `warning: widen kept ${t.density?.toFixed(4)} of the weights at sparsity ${t.sparsity}; torch keeps ${(1 - t.sparsity).toFixed(4)}`,
    );
  }

  if (plan.cases.length > 0) {
    console.log(`widen (${backend}) vs PyTorch ${machine.torch ?? '(not available)'} on ${machine.cpu}, ${machine.cores} cores`);
    console.log(`MLP ${machine.sizes}; medians after warm-up; GF/s = dense-equivalent GFLOP/s; ratio = widen ms / torch ms`);
    if (peak !== null)
      console.log(
        `128-bit multiply-add peak of one core (the ceiling of widen's kernels): plain ${peak.plain_gflops}, relaxed ${peak.relaxed_gflops ?? 'n/a'} GFLOP/s`,
      );
    console.log('');
    console.log(formatTable(plan, report));
  }
  if (realdata !== null) console.log(`${plan.cases.length > 0 ? '\n' : ''}${formatRealdata(realdata)}`);
  if (browserCase && browser) console.log(`${plan.cases.length > 0 || realdata !== null ? '\n' : ''}${browserCase.formatBrowser(browser)}`);
  if (boolean !== null)
    console.log(`${plan.cases.length > 0 || realdata !== null || browser !== null ? '\n' : ''}${formatBoolean(boolean)}`);
  for (const kernels of [...new Set(report.cases.map((c) => c.kernels))]) {
    console.log(`\nTargets (${kernels} kernels; 1 thread unless said):`);
    for (const line of checkTargets(report, options.shapes === 'full', kernels)) console.log(line);
  }
  if (report.cases.length === 0) {
    console.log('\nTargets:');
    for (const line of checkTargets(report, options.shapes === 'full', null)) console.log(line);
  }
  if (options.json) console.log(JSON.stringify(report));
}

try {
  await main();
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(`bench: ${err.message}`);
  process.exitCode = 1;
}
