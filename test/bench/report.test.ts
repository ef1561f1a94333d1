import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseOptions, UsageError } from '../../bench/options.js';
import { denseFlops, makePlan } from '../../bench/plan.js';
import type { RealdataTiming } from '../../bench/realdata.js';
import { buildReport, checkTargets, formatTable, type Report } from '../../bench/report.js';
import { median } from '../../bench/timing.js';
import type { WidenTiming } from '../../bench/widen-side.js';

const plan = makePlan(parseOptions(['--cases', 'train', '--threads', '1']) ?? assert.fail('no options'));

const widen = (ms: number, round: number, kernels = 'wasm-relaxed', sparsity = 0.9): WidenTiming & { round: number } => ({
  case: 'train',
  sparsity,
  batch: 256,
  threads: 1,
  kernels,
  ms,
  cpu_ms: ms + 1,
  density: 1 - sparsity,
  round,
});
const torch = (ms: number, round: number, sparsity = 0.9) => ({
  case: 'train' as const,
  sparsity,
  batch: 256,
  threads: 1,
  ms,
  cpu_ms: ms,
  runs: 15,
  round,
});

describe('bench report with --rounds', () => {
  test('the ratio is the median of the paired per-round ratios, not the ratio of the medians', () => {
    // round 2 is a busy spell for widen only, round 3 for the peer only: the pairs give 0.3, 0.6, 0.15
    const w = [widen(30, 0), widen(60, 1), widen(30, 2)];
    const t = [torch(100, 0), torch(100, 1), torch(200, 2)];
    const [row] = buildReport(plan, {}, w, t, null, null).cases;
    assert.equal(row.rounds, 3);
    assert.deepEqual(row.round_ratios, [0.3, 0.6, 0.15]);
    assert.equal(row.ratio, 0.3);
    assert.equal(row.widen_ms, 30);
    assert.equal(row.torch_ms, 100);
    // CPU: widen 31, 61, 31 against 100, 100, 200
    assert.equal(row.cpu_ratio, 0.31);
    // the rate follows widen's median time
    assert.equal(row.gflops, Number((denseFlops(plan, 'train', 256) / 30 / 1e6).toFixed(2)));
  });

  test('one row per case and kernel build, in the order first timed; rounds pair by number, not by position', () => {
    const w = [widen(10, 0, 'wasm'), widen(8, 0), widen(12, 1, 'wasm'), widen(9, 1)];
    const t = [torch(50, 1), torch(40, 0)];
    const rows = buildReport(plan, {}, w, t, null, null).cases;
    assert.deepEqual(
      rows.map((r) => [r.kernels, r.rounds, r.round_ratios, r.ratio]),
      [
        ['wasm', 2, [0.25, 0.24], 0.245],
        ['wasm-relaxed', 2, [0.2, 0.18], 0.19],
      ],
    );
  });

  test('one round is plain widen / torch; a case the peer did not time has no ratio; a round without its peer is left out', () => {
    const [one] = buildReport(plan, {}, [widen(30, 0)], [torch(120, 0)], null, null).cases;
    assert.equal(one.ratio, 0.25);
    assert.deepEqual(one.round_ratios, [0.25]);
    const [none] = buildReport(plan, {}, [widen(30, 0)], [], null, null).cases;
    assert.equal(none.ratio, null);
    assert.equal(none.torch_ms, null);
    assert.deepEqual(none.round_ratios, []);
    // the peer failed after round 1: round 2's widen time still counts in widen_ms, not in the ratio
    const [partial] = buildReport(plan, {}, [widen(30, 0), widen(50, 1)], [torch(100, 0)], null, null).cases;
    assert.equal(partial.rounds, 2);
    assert.equal(partial.widen_ms, 40);
    assert.deepEqual(partial.round_ratios, [0.3]);
    assert.equal(partial.ratio, 0.3);
  });

  test('the table says when its numbers are medians of rounds', () => {
    const one = formatTable(plan, buildReport(plan, {}, [widen(30, 0)], [torch(100, 0)], null, null));
    assert.doesNotMatch(one, /rounds/);
    const three = formatTable(
      plan,
      buildReport(
        plan,
        {},
        [0, 1, 2].map((r) => widen(30, r)),
        [0, 1, 2].map((r) => torch(100, r)),
        null,
        null,
      ),
    );
    assert.match(three, /\(3 rounds: times are medians; ratio and cpu ratio are medians of the rounds' paired ratios\)/);
  });
});

describe('bench options: --rounds', () => {
  test('defaults to 1 and takes 1 to 9', () => {
    assert.equal(parseOptions([])?.rounds, 1);
    assert.equal(parseOptions(['--rounds', '3'])?.rounds, 3);
    assert.equal(parseOptions(['--rounds=9'])?.rounds, 9);
  });

  test('anything else is a usage error naming the option and what it takes', () => {
    for (const bad of ['0', '10', '2.5', '-1', 'three', '', ' 3']) {
      assert.throws(
        () => parseOptions([`--rounds=${bad}`]),
        (err: unknown) =>
          err instanceof UsageError && err.message === `invalid value '${bad}' for --rounds; valid values are the integers 1 to 9`,
        `--rounds '${bad}'`,
      );
    }
  });
});

test('median: odd and even counts, unsorted input left as it was', () => {
  const xs = [5, 1, 4];
  assert.equal(median(xs), 4);
  assert.deepEqual(xs, [5, 1, 4]);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median(new Float64Array([7])), 7);
});

describe('the real-data targets', () => {
  const timing = (ratio: number): RealdataTiming => ({
    trial_seconds: 17.7,
    trial_phases: { warmup: 7.7, split: 0.2, train: 9.7, metrics: 0.1 },
    warmup_epochs: 25,
    after_split_epochs: 25,
    accuracy: 0.882,
    train_size: 60000,
    batch_size: 128,
    epoch_dense_seconds: 0.26,
    epoch_fpe_seconds: 0.26 * ratio,
    epoch_ratio: ratio,
    epoch_dense_cpu_seconds: 0.37,
    epoch_fpe_cpu_seconds: 0.42,
    epoch_cpu_ratio: 1.14,
    epoch_runs: 9,
    nnz_dense: 25408,
    nnz_fpe: 25408,
    fpe_layers: '128x784 csr 24128, 10x128 dense 1280',
  });
  const report = (realdata: Report['realdata']): Report => ({ machine: {}, cases: [], realdata, browser: null, boolean: null });
  const line = (r: Report, full = true) =>
    checkTargets(r, full, null).find((l) => l.includes('FPE alpha=4 epoch')) ?? assert.fail('no epoch line');

  test('the FPE epoch is judged against 1.1x the dense one on wall time, the CPU ratio shown beside it', () => {
    assert.match(
      line(report(timing(1.19))),
      /FPE alpha=4 epoch: FPE\/dense <= 1\.1 +MISSED \(1\.19 wall, 1\.14 CPU; medians of 9 epochs each\)$/,
    );
    assert.match(line(report(timing(1.1))), / met \(1\.1 wall/);
    assert.match(line(report(timing(1.04))), / met \(1\.04 wall/);
    // the trial's own budget stays a line of its own
    const trial = checkTargets(report(timing(1.19)), true, null).find((l) => l.includes('real-data trial'));
    assert.match(trial ?? '', /met \(17\.7 s; epoch FPE\/dense 1\.19 wall, 1\.14 CPU\)$/);
  });

  test('not judged when the case did not run, was skipped, or ran with small shapes', () => {
    assert.match(line(report(null)), /not run \(needs --cases realdata\)$/);
    assert.match(line(report({ skipped: 'no data' })), /not run \(skipped; the reason is printed above\)$/);
    assert.match(line(report(timing(1.04)), false), /n\/a \(targets are for --shapes full\)$/);
  });
});
