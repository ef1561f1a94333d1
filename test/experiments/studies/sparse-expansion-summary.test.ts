import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ExpansionCell, resolveStudySettings, type StudyResults, studyJson } from '../../../src/index.js';

const settings = resolveStudySettings({ ks: [1, 16], sparsities: [0.5, 0.9], pruners: ['sparsegpt', 'wanda'], draws: 3 });

function cell(pruner: string, sparsity: number, k: number, draw: number, accuracy: number): ExpansionCell {
  return {
    pruner,
    sparsity,
    k,
    draw,
    accuracy,
    loss: 1 - accuracy,
    nnzStored: 100 * k,
    nnzPerInput: 100,
    routingFlops: k > 1 ? 50 : 0,
    seconds: 1,
  };
}

/** Results where K = 16 beats K = 1 at 90% in every draw for sparsegpt, and in 2 of 3 for wanda. */
function results(): StudyResults {
  const expansion: ExpansionCell[] = [];
  const acc: Record<string, number[][]> = {
    sparsegpt: [
      [0.8, 0.81, 0.79],
      [0.85, 0.86, 0.84],
    ],
    wanda: [
      [0.6, 0.7, 0.65],
      [0.7, 0.69, 0.66],
    ],
  };
  for (const pruner of ['sparsegpt', 'wanda'])
    for (const [i, k] of [1, 16].entries())
      for (let d = 0; d < 3; d++) {
        expansion.push(cell(pruner, 0.9, k, d, acc[pruner][i][d]));
        expansion.push(cell(pruner, 0.5, k, d, 0.88));
      }
  return {
    version: 1,
    settings,
    model: { sizes: [4, 8, 2], accuracy: 0.9, loss: 0.3, nnz: 48, seconds: 1, curve: [] },
    expansion,
    wd: null,
    importance: [
      { selection: 'top-wd', draw: null, p: 0.03, units: [1, 1, 0], accuracy: 0.8, accuracyDrop: 0.1 },
      { selection: 'random', draw: 0, p: 0.03, units: [1, 1, 0], accuracy: 0.89, accuracyDrop: 0.01 },
      { selection: 'random', draw: 1, p: 0.03, units: [1, 1, 0], accuracy: 0.87, accuracyDrop: 0.03 },
    ],
    ablation: null,
    seconds: { training: 1, expansion: 2, analysis: 3 },
  };
}

describe('studyJson', () => {
  const json = studyJson(results());

  it('averages each grid point over its draws and keeps the spread', () => {
    const rows = json.expansion as Record<string, number | string>[];
    assert.equal(rows.length, 8);
    const row = rows.find((r) => r.pruner === 'sparsegpt' && r.sparsity === 0.9 && r.K === 16);
    assert.ok(row, 'sparsegpt 90% K=16 is a row');
    assert.ok(Math.abs((row.accuracy as number) - 0.85) < 1e-12);
    assert.deepEqual([row.accuracy_min, row.accuracy_max, row.draws, row.nnz_stored], [0.84, 0.86, 3, 1600]);
  });

  it('passes the acceptance only when the largest K wins in every draw at the highest sparsity', () => {
    const acceptance = json.acceptance as { pruner: string; wins: number; draws: number; pass: boolean; sparsity: number }[];
    assert.deepEqual(
      acceptance.map((a) => [a.pruner, a.sparsity, a.wins, a.draws, a.pass]),
      [
        ['sparsegpt', 0.9, 3, 3, true],
        ['wanda', 0.9, 2, 3, false],
      ],
    );
  });

  it('pools the random draws of the importance test into one row with their spread', () => {
    const imp = json.importance as Record<string, number | string | null>[];
    assert.deepEqual(
      imp.map((r) => r.selection),
      ['top-wd', 'random'],
    );
    const random = imp[1];
    assert.ok(Math.abs((random.accuracy_drop as number) - 0.02) < 1e-12);
    assert.deepEqual([random.draws, random.accuracy_drop_min, random.accuracy_drop_max], [2, 0.01, 0.03]);
    assert.equal(imp[0].accuracy_drop_ci95, null, 'one value has no CI');
  });
});
