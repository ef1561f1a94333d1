import type { BooleanRun, BooleanTiming } from './boolean.js';
import type { BrowserRun, BrowserTiming } from './browser.js';
import type { CaseName } from './options.js';
import { denseFlops, type Plan } from './plan.js';
import type { RealdataRun, RealdataTiming } from './realdata.js';
import type { TorchRun } from './torch-side.js';
import type { WidenTiming } from './widen-side.js';

/** One line of the JSON report. ratio = widen_ms / torch_ms; gflops is widen's dense-equivalent rate. For gemm, batch is n. */
export interface CaseRow {
  case: CaseName;
  sparsity: number;
  batch: number;
  threads: 1 | 2;
  widen_ms: number;
  torch_ms: number | null;
  ratio: number | null;
  gflops: number;
}

/** The JSON object printed with --json: where it ran, one row per engine case, the real-data and browser cases (null: not asked for). */
export interface Report {
  machine: Record<string, string | number | boolean | null>;
  cases: CaseRow[];
  realdata: RealdataTiming | { skipped: string } | null;
  browser: BrowserTiming | { skipped: string } | null;
  boolean: BooleanTiming | { skipped: string } | null;
}

const key = (c: { case: string; sparsity: number; batch: number; threads: number }) => `${c.case}|${c.sparsity}|${c.batch}|${c.threads}`;
const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** Pairs each widen timing with the peer's timing of the same case; adds the real-data and browser runs when there were some. */
export function buildReport(
  plan: Plan,
  machine: Report['machine'],
  widen: WidenTiming[],
  torch: TorchRun['cases'],
  realdata: RealdataRun | null,
  browser: BrowserRun | null,
  boolean: BooleanRun | null = null,
): Report {
  const peer = new Map(torch.map((c) => [key(c), c.ms]));
  const cases = widen.map((t): CaseRow => {
    const torchMs = peer.get(key(t)) ?? null;
    return {
      case: t.case,
      sparsity: t.sparsity,
      batch: t.batch,
      threads: t.threads,
      widen_ms: round(t.ms, 4),
      torch_ms: torchMs === null ? null : round(torchMs, 4),
      ratio: torchMs === null ? null : round(t.ms / torchMs, 3),
      gflops: round(denseFlops(plan, t.case, t.batch) / t.ms / 1e6, 2),
    };
  });
  const either = <T>(run: { ok: true; timing: T } | { ok: false; reason: string } | null) =>
    run === null ? null : run.ok ? run.timing : { skipped: run.reason };
  return { machine, cases, realdata: either(realdata), browser: either(browser), boolean: either(boolean) };
}

/** The readable table: one line per case, torch's dense-equivalent rate beside widen's. */
export function formatTable(plan: Plan, report: Report): string {
  const head = ['case', 'sparsity', 'batch', 'threads', 'widen ms', 'torch ms', 'ratio', 'widen GF/s', 'torch GF/s'];
  const rows = report.cases.map((c) => [
    c.case,
    `${Math.round(c.sparsity * 100)}%`,
    String(c.batch),
    String(c.threads),
    c.widen_ms.toFixed(3),
    c.torch_ms === null ? '-' : c.torch_ms.toFixed(3),
    c.ratio === null ? '-' : c.ratio.toFixed(3),
    c.gflops.toFixed(1),
    c.torch_ms === null ? '-' : (denseFlops(plan, c.case, c.batch) / c.torch_ms / 1e6).toFixed(1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((s, i) => (i < 2 ? s.padEnd(widths[i]) : s.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

interface Target {
  label: string;
  case: CaseName;
  sparsity: number;
  batch: number;
  metric: 'ratio' | 'gflops';
  limit: number;
}

// For the full shapes, single thread: 2-thread numbers on this 2-vCPU VM are advisory (engine study).
const TARGETS: Target[] = [
  { label: 'train step, 90% sparse: widen/torch <= 0.7', case: 'train', sparsity: 0.9, batch: 256, metric: 'ratio', limit: 0.7 },
  { label: 'train step, 75% sparse: widen/torch <= 1.3', case: 'train', sparsity: 0.75, batch: 256, metric: 'ratio', limit: 1.3 },
  { label: 'inference batch 1, 90% sparse: widen/torch <= 0.3', case: 'infer', sparsity: 0.9, batch: 1, metric: 'ratio', limit: 0.3 },
  { label: 'dense GEMM 1024³: widen >= 35 GFLOP/s', case: 'gemm', sparsity: 0, batch: 1024, metric: 'gflops', limit: 35 },
];

/** The issue's budget for one real-data trial of (a) at h = 32, alpha = 4 on one thread. */
const REALDATA_TRIAL_SECONDS = 120;
/** The issue's budget for a training step in the page (Chromium, 1 thread), relative to the same step in Node. */
const BROWSER_RATIO = 1.5;

/** One line per target (single thread), saying met, MISSED, or why it cannot be judged. */
export function checkTargets(report: Report, fullShapes: boolean): string[] {
  return [
    ...TARGETS.map((t) => engineTarget(report, fullShapes, t)),
    realdataTarget(report, fullShapes),
    browserTarget(report),
    booleanTarget(report, fullShapes),
  ];
}

function engineTarget(report: Report, fullShapes: boolean, t: Target): string {
  const head = `  ${t.label.padEnd(52)}`;
  if (!fullShapes) return `${head}n/a (targets are for --shapes full)`;
  const row = report.cases.find((c) => key(c) === key({ ...t, threads: 1 }));
  if (!row) return `${head}not run (needs --cases ${t.case} and --threads 1)`;
  const value = t.metric === 'ratio' ? row.ratio : row.gflops;
  if (value === null) return `${head}unknown (no torch timing)`;
  const met = t.metric === 'ratio' ? value <= t.limit : value >= t.limit;
  return `${head}${met ? 'met' : 'MISSED'} (${t.metric} ${value})`;
}

function realdataTarget(report: Report, fullShapes: boolean): string {
  const head = `  ${`real-data trial (a) h=32 alpha=4: < ${REALDATA_TRIAL_SECONDS} s`.padEnd(52)}`;
  const r = report.realdata;
  if (!fullShapes) return `${head}n/a (targets are for --shapes full)`;
  if (r === null) return `${head}not run (needs --cases realdata)`;
  if ('skipped' in r) return `${head}not run (skipped; the reason is printed above)`;
  const met = r.trial_seconds < REALDATA_TRIAL_SECONDS;
  return `${head}${met ? 'met' : 'MISSED'} (${r.trial_seconds.toFixed(1)} s; epoch FPE/dense ${r.epoch_ratio} wall, ${r.epoch_cpu_ratio} CPU)`;
}

// the browser case has one fixed step (the playground's), so it is judged whatever --shapes says
function browserTarget(report: Report): string {
  const head = `  ${`train step in the page: chromium/node <= ${BROWSER_RATIO}`.padEnd(52)}`;
  const b = report.browser;
  if (b === null) return `${head}not run (needs --cases browser)`;
  if ('skipped' in b) return `${head}not run (skipped; the reason is printed above)`;
  return `${head}${b.ratio <= BROWSER_RATIO ? 'met' : 'MISSED'} (ratio ${b.ratio}; ${b.chromium_ms} vs ${b.node_ms} ms)`;
}

/** The issue's budget for one Boolean headline seed (four methods, 1 thread), relative to the PyTorch peer's time. */
const BOOLEAN_RATIO = 0.5;

// judged on wall time over the four methods, as the issue states it; --quick counts (fewer epochs, same steps per epoch)
function booleanTarget(report: Report, fullShapes: boolean): string {
  const head = `  ${`Boolean headline seed: widen/torch <= ${BOOLEAN_RATIO}`.padEnd(52)}`;
  const b = report.boolean;
  if (!fullShapes) return `${head}n/a (targets are for --shapes full)`;
  if (b === null) return `${head}not run (needs --cases boolean)`;
  if ('skipped' in b) return `${head}not run (skipped; the reason is printed above)`;
  if (b.ratio_wall === null) return `${head}unknown (no torch timing)`;
  return `${head}${b.ratio_wall <= BOOLEAN_RATIO ? 'met' : 'MISSED'} (ratio ${b.ratio_wall} wall, ${b.ratio_cpu} CPU; ${b.widen_wall} vs ${b.torch_wall} s)`;
}
