import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sparseExpansionBlocks } from '../../../src/experiments/report/sparse-expansion-blocks.js';
import { drawCalibration, makeBlobs, resolveStudySettings, type StudyProgress, type StudyResults } from '../../../src/index.js';
import { openStore, reproduceSparseExpansion, STORE_FILE, writeReport } from '../../../src/node/index.js';
import { assertPlainFigures, trial } from '../../experiments/report/helpers.js';

const fresh = (): string => mkdtempSync(join(tmpdir(), 'widen-se-'));

/** A study small enough for a test: 4-class blobs, MLP 32-48-48-4, K in {1, 4}, 2 sparsities, 3 draws. */
const SMALL = {
  task: { kind: 'blobs', classes: 4, features: 32, trainSize: 2048, testSize: 512, noise: 1.2 },
  hidden: [48, 48],
  epochs: 3,
  calibration: 384,
  ks: [1, 4],
  sparsities: [0.5, 0.9],
  restarts: 2,
  importance: { draws: 3 },
  ablation: { tops: [0.05], draws: 3 },
};

describe('Sparse Expansion study', () => {
  const out = fresh();
  const phases: StudyProgress[] = [];
  const first = reproduceSparseExpansion({ out, settings: SMALL, onProgress: (p) => phases.push(p) });

  it('runs every grid cell for every draw and reports the issue JSON shape', async () => {
    const { results, json } = await first;
    const s = results.settings;
    assert.equal(results.expansion.length, s.draws * s.pruners.length * s.sparsities.length * s.ks.length);
    const rows = json.expansion as Record<string, number | string>[];
    assert.equal(rows.length, s.pruners.length * s.sparsities.length * s.ks.length);
    for (const row of rows) {
      for (const key of ['pruner', 'sparsity', 'K', 'accuracy', 'nnz_stored', 'nnz_per_input']) assert.ok(key in row, `expansion.${key}`);
      assert.ok((row.accuracy as number) >= 0 && (row.accuracy as number) <= 1, 'accuracy is a fraction');
      assert.equal(row.draws, 3);
    }
    const importance = json.importance as Record<string, unknown>[];
    assert.deepEqual(importance.map((r) => r.selection).sort(), ['magnitude', 'mean', 'random', 'top-wd', 'variance']);
    assert.equal(importance.find((r) => r.selection === 'random')?.draws, 3, 'random is pooled over its draws');
    for (const r of json.ablation as Record<string, unknown>[]) for (const key of ['selection', 'accuracy', 'loss']) assert.ok(key in r);
    assert.ok(phases.some((p) => p.phase === 'training') && phases.some((p) => p.phase === 'analysis'), 'progress reports every phase');
  });

  it('keeps the per-expert budget: K experts store K times the non-zeros of K = 1, each input uses one expert', async () => {
    const { results } = await first;
    for (const c of results.expansion.filter((x) => x.k === 4)) {
      const one = results.expansion.find((x) => x.k === 1 && x.pruner === c.pruner && x.sparsity === c.sparsity && x.draw === c.draw);
      assert.ok(one);
      assert.equal(c.nnzStored, 4 * one.nnzStored, `${c.pruner} ${c.sparsity} draw ${c.draw}`);
      assert.ok(Math.abs(c.nnzPerInput - one.nnzPerInput) <= 0.01 * one.nnzPerInput, 'an input runs one expert of each layer');
      assert.ok(c.routingFlops > 0);
      assert.equal(one.routingFlops, 0);
    }
    const dense = results.model?.nnz ?? 0;
    for (const c of results.expansion.filter((x) => x.k === 1)) {
      assert.ok(
        Math.abs(c.nnzStored - (1 - c.sparsity) * dense) <= 0.01 * dense,
        `K=1 at ${c.sparsity} keeps ${1 - c.sparsity} of the weights`,
      );
    }
  });

  it('writes a self-contained HTML report with every section and chart', async () => {
    const { reportPath } = await first;
    const html = readFileSync(reportPath, 'utf8');
    for (const id of ['setup', 'expansion', 'wasserstein', 'importance', 'ablation'])
      assert.match(html, new RegExp(`<section id="${id}">`));
    assert.equal(
      html.match(/<svg[^>]*class="widen-plot"/g)?.length,
      2 + 2 + 1 + 1,
      'accuracy vs K per sparsity, WD histogram and before/after, importance, per-class',
    );
    assert.doesNotMatch(html, /<script|https?:\/\/(?!www\.w3\.org)/, 'no scripts or external references');
    assert.equal(assertPlainFigures(sparseExpansionBlocks((await first).results)), 6, 'figures are plain specs');
  });

  it('resumes: a rerun reuses the model and every stored step and gives the same numbers', async () => {
    const before = (await first).results;
    const t0 = performance.now();
    const again = await reproduceSparseExpansion({ out, settings: SMALL });
    assert.ok(performance.now() - t0 < 5000, 'nothing is recomputed');
    const strip = (r: StudyResults) => ({ ...r, seconds: undefined, expansion: r.expansion.map((c) => ({ ...c, seconds: 0 })) });
    assert.deepEqual(strip(again.results), strip(before));
  });

  it('is read back from its store by widen report: the same page sections and the same JSON summary', async () => {
    const { json } = await first;
    const html = readFileSync(writeReport(out, { format: 'html', out: join(out, 'again.html') }), 'utf8');
    for (const id of ['setup', 'expansion', 'wasserstein', 'importance', 'ablation'])
      assert.match(html, new RegExp(`<section id="${id}">`));
    const summary = JSON.parse(readFileSync(writeReport(out, { format: 'json' }), 'utf8'));
    assert.deepEqual(summary, JSON.parse(JSON.stringify(json)));
    assert.throws(() => writeReport(out, { format: 'csv' }), /Sparse Expansion study, reported as html or json only/);
  });

  it('refuses a store that is not the study’s, and a calibration larger than the training set', async () => {
    const dir = fresh();
    const other = openStore(dir);
    other.insert(trial({ method: 'dense', seed: 0, accuracy: 0.9, experiment: 'headline' }));
    other.close();
    await assert.rejects(
      reproduceSparseExpansion({ out: dir, settings: SMALL }),
      /trials\.sqlite holds trials of experiment 'headline', not the Sparse Expansion study's/,
    );
    const junk = fresh();
    writeFileSync(join(junk, STORE_FILE), 'not a database, just text');
    await assert.rejects(reproduceSparseExpansion({ out: junk, settings: SMALL }), /not a database/);
    await assert.rejects(
      reproduceSparseExpansion({ out: fresh(), settings: { ...SMALL, calibration: 5000 } }),
      /5000 samples asked for but the training set holds 2048/,
    );
    assert.throws(() => resolveStudySettings({ sparsities: [1] }), /sparsities/);
    assert.throws(() => resolveStudySettings({ ks: [0] } as never), /ks/);
    assert.throws(() => resolveStudySettings({ colour: 'red' } as never), /colour/);
  });
});

describe('drawCalibration', () => {
  it('draws distinct samples per draw, the same ones for the same draw', () => {
    const { train } = makeBlobs({ classes: 3, features: 4, trainSize: 200, testSize: 10 });
    const s = resolveStudySettings({ calibration: 50 });
    const [a, b, a2] = [drawCalibration(train, s, 0), drawCalibration(train, s, 1), drawCalibration(train, s, 0)];
    assert.equal(a.size, 50);
    assert.deepEqual(a.x, a2.x);
    assert.notDeepEqual(a.x, b.x);
    // every drawn row is a training row
    const rows = new Set(Array.from({ length: train.size }, (_, i) => train.x.subarray(i * 4, i * 4 + 4).join(',')));
    for (let i = 0; i < a.size; i++) assert.ok(rows.has(a.x.subarray(i * 4, i * 4 + 4).join(',')));
  });
});
