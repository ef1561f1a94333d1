import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileProbe } from '../../bench/fma-peak.js';
import { type CaseRow, peakNote, peakOf } from '../../bench/report.js';

test('the peak probe runs twelve f32 multiply-add chains (plain: exactly the rounded mul then add)', async () => {
  const peak = await compileProbe(false);
  const f = Math.fround;
  const [a, iters] = [f(1e-3), 1000];
  const b = f(1 - a);
  const chains = Array.from({ length: 12 }, (_, i) => f((i + 1) / 10));
  for (let i = 0; i < iters; i++) for (let c = 0; c < 12; c++) chains[c] = f(f(chains[c] * b) + a);
  const sum = chains.reduce((s, c, i) => (i === 0 ? c : f(s + c)));
  assert.equal(peak(iters, 1e-3), sum);
});

test('peakNote: GEMM as a share of the peak, dense ratios as the floor at the peak; nothing for sparse targets', () => {
  const row = { gflops: 40, ratio: 2, widen_ms: 10 } as CaseRow;
  assert.equal(
    peakNote({ ...row, gflops: 43 }, { metric: 'gflops', sparsity: 0, limit: 60 }, 58),
    "; 74% of this core's 128-bit peak 58 GFLOP/s, the target is 103% of it",
  );
  // widen runs 40 GFLOP/s at 2x torch's time: at 58 GFLOP/s it would take 2 * 40 / 58 = 1.38x
  assert.equal(
    peakNote(row, { metric: 'ratio', sparsity: 0, limit: 1.5 }, 58),
    "; at the 128-bit peak (58 GFLOP/s) widen would take >= 1.38x torch's time",
  );
  assert.equal(peakNote(row, { metric: 'ratio', sparsity: 0.9, limit: 0.3 }, 58), '');
  assert.equal(peakNote(row, { metric: 'ratio', sparsity: 0, limit: 1.5 }, null), '');
  // the core's ceiling: the faster probe, for either kernel build
  assert.equal(peakOf({ fma_peak_plain_gflops: 41, fma_peak_relaxed_gflops: 58 }, 'wasm'), 58);
  assert.equal(peakOf({ fma_peak_plain_gflops: 41, fma_peak_relaxed_gflops: null }, 'wasm-relaxed'), 41);
  assert.equal(peakOf({ fma_peak_plain_gflops: null, fma_peak_relaxed_gflops: null }, 'wasm'), null);
  assert.equal(peakOf({ fma_peak_plain_gflops: 41 }, 'ref'), null);
});
