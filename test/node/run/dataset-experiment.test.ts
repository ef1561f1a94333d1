import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { reportBlocks } from '../../../src/experiments/report/blocks.js';
import {
  type BooleanTrialConfig,
  buildReport,
  ConfigError,
  DataError,
  type DatasetTrialConfig,
  expandTrials,
  REALDATA_TITLE,
  type ResolvedDatasetSpec,
  renderHtml,
  renderMarkdown,
  resolveExperimentConfig,
  runBooleanTrial,
  type TrialRecord,
} from '../../../src/index.js';
import { loadExperimentConfig, renderFigureSvg, runExperiment } from '../../../src/node/index.js';
import { checkDataAvailable } from '../../../src/node/run/check-data.js';
import { assertPlainFigures } from '../../experiments/report/helpers.js';
import { stored } from './helpers.js';

const FIXTURE = 'test/fixtures/data';
const fresh = (): string => mkdtempSync(join(tmpdir(), 'widen-realdata-'));

/** A tiny real-data experiment on the committed 48-sample embeddings fixture: 2 widths × 4 methods × 2 seeds. */
const CONFIG = {
  name: 'tiny-embeddings',
  task: {
    kind: 'dataset',
    data: {
      kind: 'embeddings',
      path: `${FIXTURE}/embeddings-small.npy`,
      labels: `${FIXTURE}/embeddings-small-labels.txt`,
      labelMap: 'sorted',
      test: 0.25,
    },
  },
  model: { h: 4 },
  methods: ['dense', 'sparse-init', 'fpe-random', 'fpe-gram'],
  alpha: 2,
  seeds: 2,
  training: { warmupEpochs: 3, afterSplitEpochs: 3, batchSize: 8 },
  grid: { 'model.h': [2, 4] },
};

const withTask = (task: unknown, extra: object = {}) => ({ ...CONFIG, task, ...extra });

describe('dataset experiment config', () => {
  it('fills the dataset kind defaults and the resolved spec', () => {
    const c = resolveExperimentConfig({ name: 'x', task: { kind: 'dataset', data: { kind: 'fashion-mnist' } } });
    assert.equal(c.task.kind, 'dataset');
    assert.deepEqual(c.task.data, {
      kind: 'fashion-mnist',
      validation: 0,
      stratify: true,
      seed: 0,
      standardize: 'none',
      scale: true,
      download: false,
    });
    assert.deepEqual([c.training.warmupEpochs, c.training.afterSplitEpochs, c.training.batchSize, c.training.evalEvery], [25, 25, 128, 1]);
    assert.deepEqual(c.training.optimizer, { kind: 'adam', lr: 1e-3 });
    const trial = expandTrials({ ...c, methods: ['fpe-random'], grid: {} })[0].config as DatasetTrialConfig;
    assert.deepEqual([trial.task, trial.datasetName, trial.depth, trial.alpha], ['dataset', 'fashion-mnist', 1, 2]);
  });

  it('refuses bad task, spec and method values with the key path', () => {
    const cases: Array<[unknown, RegExp]> = [
      [withTask({ kind: 'dataset', dta: {} }), /unknown key 'experiment config\.task\.dta'; allowed keys: kind, data/],
      [withTask({ kind: 'datset' }), /task\.kind must be one of "boolean", "dataset", got "datset"/],
      [withTask({ kind: 'dataset', data: { kind: 'cifar' } }), /task\.data\.kind must be one of "mnist", "fashion-mnist"/],
      [withTask({ kind: 'dataset', data: { kind: 'mnist', scal: true } }), /unknown key 'experiment config\.task\.data\.scal'/],
      [withTask({ kind: 'dataset', data: { kind: 'npy', x: 'a.npy', y: 'b.npy' } }), /task\.data\.test must be a fraction in \(0, 1\)/],
      [
        { ...CONFIG, methods: ['dense', 'fpe-clause'] },
        /'fpe-clause' is not available on real data; use dense, sparse-init, fpe-random, fpe-gram/,
      ],
      [{ ...CONFIG, task: { n: 8 }, model: { depth: 4 } }, /model\.depth must be 1 for the Boolean task/],
    ];
    for (const [config, message] of cases)
      assert.throws(
        () => resolveExperimentConfig(config),
        (e: unknown) => e instanceof ConfigError && message.test(e.message),
      );
  });

  it('refuses a missing file before making the run folder', async () => {
    const out = join(fresh(), 'run');
    const missing = withTask({ ...CONFIG.task, data: { ...CONFIG.task.data, labels: `${FIXTURE}/nope.txt` } });
    await assert.rejects(
      runExperiment(missing, { out, workers: 1 }),
      (e: unknown) => e instanceof DataError && /task\.data\.labels: .*nope\.txt does not exist/.test(e.message),
    );
    assert.equal(existsSync(out), false);
  });

  it('says where it looked for a missing image set and how to get it', async () => {
    const empty = fresh();
    const spec = resolveExperimentConfig(withTask({ kind: 'dataset', data: { kind: 'fashion-mnist' } })).task;
    await assert.rejects(
      checkDataAvailable((spec as unknown as { data: ResolvedDatasetSpec }).data, { env: {}, home: empty, systemDir: empty }),
      (e: unknown) => e instanceof DataError && /fashion-mnist not found\. widen looked in:[\s\S]*To get it:/.test(e.message),
    );
  });

  it('the committed (c) config resolves', () => {
    assert.equal(loadExperimentConfig('experiments/realdata/embeddings.yaml').task.kind, 'dataset');
  });
});

describe('dataset experiment run', () => {
  it('runs every method at the dense nnz, stores records, is deterministic and reports', async () => {
    const [one, two] = [fresh(), fresh()];
    const s1 = await runExperiment(CONFIG, { out: one, workers: 1 });
    const s2 = await runExperiment(CONFIG, { out: two, workers: 2 });
    assert.deepEqual([s1.total, s1.ran, s1.failed], [16, 16, []]);
    assert.deepEqual([s2.total, s2.ran, s2.failed], [16, 16, []]);
    const records = stored(one);
    const strip = (rs: TrialRecord[]) => new Map(rs.map((r) => [r.id, { ...r, timings: undefined, finishedAt: undefined }]));
    assert.deepEqual(strip(stored(two)), strip(records), 'same records with 1 or 2 workers');
    for (const r of records) {
      const dense = records.find((d) => d.config.method === 'dense' && d.config.h === r.config.h && d.config.seed === r.config.seed)!;
      assert.equal(r.metrics.nnz, dense.metrics.nnz, `${r.config.method} h=${r.config.h} keeps the dense nnz`);
      assert.equal(r.metrics.width, r.config.method === 'dense' ? r.config.h : 2 * r.config.h);
      assert.deepEqual(r.curves.epoch, [1, 2, 3, 4, 5, 6]);
      assert.equal(r.curves.splitEpoch, r.config.method.startsWith('fpe-') ? 3 : undefined);
      assert.ok(r.metrics.accuracy >= 0 && r.metrics.accuracy <= 1);
    }
    const report = buildReport(records, { generatedAt: 'fixed' });
    assert.ok(report.realData?.available);
    const group = report.realData.data.groups[0];
    assert.deepEqual([group.dataset, group.hiddenLayers, group.cells.length, group.gains.length], ['embeddings-small.npy', 1, 8, 6]);
    const html = renderHtml(report, renderFigureSvg);
    assert.ok(html.includes(REALDATA_TITLE) && html.match(/<svg[^>]*class="widen-plot"/g)?.length === 3);
    assert.ok(!html.includes('headline cell'), 'a real-data report leaves out the Boolean sections');
    assert.equal(assertPlainFigures(reportBlocks(report)), 3, 'accuracy, gain and curves as plain specs');
    assert.match(renderMarkdown(report), /Relative gain over dense/);
    // Boolean sections ignore real-data trials: mixed records give the Boolean-only cells
    const boolean = expandTrials(
      resolveExperimentConfig({
        name: 'b',
        task: { n: 8, m: 4, trainSize: 64, testSize: 32 },
        model: { h: 4 },
        methods: ['dense'],
        seeds: 1,
        training: { warmupEpochs: 1, afterSplitEpochs: 1 },
      }),
    ).map((t) => runBooleanTrial(t.config as BooleanTrialConfig, { id: t.id }));
    const mixed = buildReport([...boolean, ...records], { generatedAt: 'fixed' });
    assert.deepEqual(mixed.cells, buildReport(boolean, { generatedAt: 'fixed' }).cells);
    assert.ok(renderHtml(mixed, renderFigureSvg).includes(REALDATA_TITLE));
  });

  it('splits every hidden layer of a deeper network', async () => {
    const out = fresh();
    await runExperiment(
      { ...CONFIG, name: 'deep', model: { h: 3, depth: 3 }, methods: ['dense', 'fpe-random'], seeds: 1, grid: {} },
      { out, workers: 1 },
    );
    const rs = stored(out);
    const fpe = rs.find((r) => r.config.method === 'fpe-random')!;
    assert.deepEqual(fpe.metrics.widths, [6, 6, 6]);
    assert.equal(fpe.metrics.nnz, rs.find((r) => r.config.method === 'dense')!.metrics.nnz);
  });
});
