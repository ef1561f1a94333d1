// Prints a fingerprint of widen's results: every trial id of the committed experiment configs, the
// full records (metrics and curves) of one seed of the Boolean headline cell (all four methods) and
// of one real-data trial (MNIST, 2 + 2 epochs, FPE random). Two runs on the same backend and thread
// count print the same text; a refactor that claims bit-identical results is checked by diffing them.
// Run: node --import tsx scripts/fingerprint.ts > before.json
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, type DatasetTrialConfig, expandTrials, runBooleanTrial, runDatasetTrial } from '../src/index.js';
import { loadDataset, loadExperimentConfig, useNodePlatform } from '../src/node/index.js';

useNodePlatform();

const engine = createEngine({ backend: 'wasm', threads: 1 });
const ids: Record<string, string[]> = {};
for (const dir of ['experiments/boolean', 'experiments/realdata']) {
  for (const f of readdirSync(dir).sort()) ids[join(dir, f)] = expandTrials(loadExperimentConfig(join(dir, f))).map((t) => t.id);
}
const strip = (r: { timings: unknown; finishedAt: unknown }) => ({ ...r, timings: undefined, finishedAt: undefined });
const headline = expandTrials(loadExperimentConfig('experiments/boolean/headline.yaml')).filter((t) => t.config.seed === 0);
const boolean = headline.map((t) => strip(runBooleanTrial(t.config as never, { engine, id: t.id })));
const deep = expandTrials(loadExperimentConfig('experiments/realdata/deep-mnist.yaml')).find((t) => t.config.method === 'fpe-random');
if (deep === undefined) throw new Error('no fpe-random trial in deep-mnist.yaml');
const config = { ...(deep.config as DatasetTrialConfig), warmupEpochs: 2, afterSplitEpochs: 2 };
const data = await loadDataset(config.dataset);
const realdata = strip(runDatasetTrial(config as never, data, { engine, id: deep.id }));
process.stdout.write(`${JSON.stringify({ ids, boolean, realdata }, null, 1)}\n`);
engine.dispose();
