import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { runExpansionGrid } from '../../../src/experiments/studies/sparse-expansion/expansion-grid.js';
import {
  analysisRecord,
  modelRecord,
  settingsRecord,
  storedStudySettings,
} from '../../../src/experiments/studies/sparse-expansion/study-records.js';
import { emptyResults } from '../../../src/experiments/studies/sparse-expansion/study-results.js';
import {
  createEngine,
  createMemoryStore,
  MLP,
  makeBlobs,
  resolveStudySettings,
  SPARSE_EXPANSION_EXPERIMENT,
  type StudyModel,
  type StudyRecord,
  studyResults,
} from '../../../src/index.js';

const engine = createEngine({ backend: 'ref' });
after(() => engine.dispose());

const settings = resolveStudySettings({
  task: { kind: 'blobs', classes: 3, features: 8, trainSize: 256, testSize: 64 },
  hidden: [16],
  calibration: 64,
  ks: [1, 2],
  sparsities: [0.5],
  pruners: ['magnitude'],
  draws: 2,
  restarts: 1,
});
const blobs = makeBlobs({ classes: 3, features: 8, trainSize: 256, testSize: 64 });
const data = { ...blobs, validation: null, features: 8, classes: 3 };

describe('Sparse Expansion study records', () => {
  it('stores each expansion cell once; a rerun on the same store runs nothing and reads the same results back', () => {
    const store = createMemoryStore<StudyRecord>();
    store.insert(settingsRecord(settings));
    const model = MLP.create({ sizes: [8, 16, 3], activation: 'gelu', seed: 1 }, engine);
    try {
      const results = studyResults(store.trials(), settings);
      const labels: string[] = [];
      runExpansionGrid(model, data, settings, results, store, (cell) => labels.push(cell));
      assert.equal(labels.length, 4, 'K x sparsity x pruner x draws cells');
      assert.equal(store.trials().filter((r) => r.config.kind === 'expansion').length, 4);
      const back = studyResults(store.trials(), settings);
      const strip = (r: typeof results) => ({ ...r, seconds: undefined });
      assert.deepEqual(strip(back), strip(results), 'the stored records add up to the results');
      // resume: nothing left to run
      const again = studyResults(store.trials(), settings);
      const rerun: string[] = [];
      runExpansionGrid(model, data, settings, again, store, (cell) => rerun.push(cell));
      assert.deepEqual(rerun, []);
      assert.equal(store.trials().length, 5);
      // a cell lost (a kill mid-grid) is the only one run again
      const partial = createMemoryStore<StudyRecord>();
      for (const r of store.trials().slice(0, 3)) partial.insert(r);
      const resumed = studyResults(partial.trials(), settings);
      const redo: string[] = [];
      runExpansionGrid(model, data, settings, resumed, partial, (cell) => redo.push(cell));
      assert.equal(redo.length, 2);
      assert.deepEqual(
        resumed.expansion.map((c) => [c.pruner, c.sparsity, c.k, c.draw, c.accuracy, c.nnzStored]),
        results.expansion.map((c) => [c.pruner, c.sparsity, c.k, c.draw, c.accuracy, c.nnzStored]),
        'the same cells with the same numbers, in grid order',
      );
    } finally {
      model.dispose();
    }
  });

  it('round-trips the model and the analysis, and keeps the records of other settings apart', () => {
    const store = createMemoryStore<StudyRecord>();
    const model: StudyModel = {
      sizes: [8, 16, 3],
      accuracy: 0.9,
      loss: 0.3,
      nnz: 176,
      seconds: 2,
      curve: [{ epoch: 1, trainLoss: 0.5, testAccuracy: 0.8 }],
    };
    const analysis = { wd: [], importance: [], ablation: [] };
    store.insert(settingsRecord(settings));
    store.insert(modelRecord(settings, model));
    store.insert(analysisRecord(settings, analysis, 3));
    assert.equal(store.insert(modelRecord(settings, model)), false, 'a step is stored once');
    const r = studyResults(store.trials(), settings);
    assert.deepEqual(r.model, model);
    assert.deepEqual([r.wd, r.importance, r.ablation], [[], [], []]);
    assert.deepEqual(r.seconds, { training: 2, expansion: 0, analysis: 3 });
    assert.ok(store.trials().every((x) => x.experiment === SPARSE_EXPANSION_EXPERIMENT));
    assert.deepEqual(storedStudySettings(store.trials()), settings);
    const other = { ...settings, seed: settings.seed + 1 };
    assert.deepEqual(studyResults(store.trials(), other), emptyResults(other), 'other settings start from nothing');
  });
});
