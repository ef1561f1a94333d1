import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { resolveTrainConfig, WidenError } from '../../index.js';
import { runTraining } from '../../node/index.js';
import { createProgress } from '../progress.js';
import { configOverrides, type OptionValue } from '../read-options.js';
import { engineFrom, pct, printJson } from './shared.js';

/** `widen train`: config file + flag overrides -> trained model in a safetensors checkpoint. */
export async function train(_args: string[], options: Map<string, OptionValue>): Promise<void> {
  const json = options.get('json') === true;
  const file = options.get('config') as string | undefined;
  const base = file === undefined ? {} : readConfigFile(file);
  const data = options.get('data') as string | undefined;
  const task = data === undefined ? {} : { task: { kind: 'dataset', data: { kind: data } } };
  const config = resolveTrainConfig(merge(merge(base, task), configOverrides('train', options)));
  const out = (options.get('out') as string | undefined) ?? 'model.safetensors';
  const engine = engineFrom(options);
  const progress = createProgress('epochs', config.epochs, json);
  // the per-epoch curve is on the validation split when the dataset spec holds one out
  const curve = config.task.kind === 'dataset' && config.task.data.validation > 0 ? 'val' : 'test';
  const result = await runTraining(config, {
    engine,
    out,
    resume: options.get('resume') as string | undefined,
    onEpoch: (e) => progress.update(e.epoch + 1, `loss ${e.trainLoss.toFixed(4)}, ${curve} acc ${pct(e.valAccuracy ?? 0)}`),
  });
  progress.stop();
  engine.dispose();
  const summary = {
    checkpoint: out,
    test_accuracy: result.test.accuracy,
    test_loss: result.test.loss,
    nnz: result.nnz,
    seconds: result.seconds,
    config,
  };
  if (json) return printJson(summary);
  console.log(
    `test accuracy ${pct(result.test.accuracy)}, loss ${result.test.loss.toFixed(4)}, ${result.nnz} non-zero weights, ${result.seconds.toFixed(1)} s`,
  );
  console.log(`checkpoint written to ${out}`);
}

/** A JSON or YAML config file's value; a missing or malformed file is a ConfigError naming it. */
export function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new WidenError('config', `cannot read config file ${file}: ${(err as Error).message}`, { where: file });
  }
  const yaml = /\.ya?ml$/i.test(file);
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new WidenError('config', `config file ${file} is not valid ${yaml ? 'YAML' : 'JSON'}: ${(err as Error).message}`, {
      where: file,
    });
  }
}

/** Deep-merges plain objects; `over` wins. */
function merge(base: unknown, over: Record<string, unknown>): unknown {
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return Object.keys(over).length > 0 ? over : base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) {
    out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) ? merge(out[k] ?? {}, v as Record<string, unknown>) : v;
  }
  return out;
}
