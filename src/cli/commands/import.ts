import { type Activation, createOptimizer, type OptimizerConfig, resolveTrainConfig, WidenError } from '../../index.js';
import { importTorchFile, saveCheckpoint } from '../../node/index.js';
import type { OptionValue } from '../read-options.js';
import { printJson } from './shared.js';
import { readConfigFile } from './train.js';

/**
 * `widen import MODEL.safetensors`: a PyTorch MLP state dict as a widen checkpoint. With --config
 * (a `widen train` config) the checkpoint stores that run (task, optimizer, with the imported
 * widths and activation) and a fresh optimizer, so eval, prune, sparse-expand, neurons, ablate and
 * `train --resume` work on it as on a checkpoint widen trained.
 */
export async function importCommand(args: string[], options: Map<string, OptionValue>): Promise<void> {
  const [path] = args;
  const layers = options.get('layers') as string | undefined;
  const dense = options.get('dense') === true;
  const { model, names } = importTorchFile(path, {
    arch: options.get('arch') as string | undefined,
    layers: layers?.split(',').map((s) => s.trim()),
    activation: options.get('activation') as Activation | undefined,
    dense,
  });
  const out = (options.get('out') as string | undefined) ?? path.replace(/(\.safetensors)?$/, '.widen.safetensors');
  if (out === path) throw new WidenError('usage', `--out ${out} would overwrite the PyTorch file; give another path`);
  const imported = { from: path, layers: names, dense };
  const file = options.get('config') as string | undefined;
  const hidden = model.layers.slice(0, -1).map((l) => l.outFeatures);
  if (file === undefined) saveCheckpoint(out, { model, config: { imported } });
  else {
    const config = resolveTrainConfig(readConfigFile(file));
    // `widen train -c FILE --resume` compares its config with the stored one: they must describe this model
    if (config.model.hidden.join(',') !== hidden.join(',') || config.model.activation !== model.activation) {
      throw new WidenError(
        'config',
        `${file} describes model.hidden [${config.model.hidden.join(', ')}] with ${config.model.activation}, but ${path} has hidden widths [${hidden.join(', ')}] with ${model.activation}; set model: { hidden: [${hidden.join(', ')}], activation: ${model.activation} } in it`,
        { where: `${file}: model`, got: config.model.hidden, allowed: `[${hidden.join(', ')}] ${model.activation}` },
      );
    }
    const task = config.task;
    if (task.kind === 'blobs' && (task.features !== model.inFeatures || task.classes !== model.outFeatures)) {
      throw new WidenError(
        'shape',
        `${path}: the model maps ${model.inFeatures} inputs to ${model.outFeatures} outputs but ${file}'s task has ${task.features} features and ${task.classes} classes`,
        { where: file },
      );
    }
    const o = config.optimizer;
    const optimizerConfig: OptimizerConfig =
      o.kind === 'sgd'
        ? { kind: o.kind, lr: o.lr, weightDecay: o.weightDecay, momentum: o.momentum, nesterov: o.nesterov }
        : { kind: o.kind, lr: o.lr, weightDecay: o.weightDecay };
    const optimizer = createOptimizer(model, optimizerConfig, `${file} optimizer`);
    saveCheckpoint(out, { model, optimizer, config: { config, epochsDone: 0, imported } });
  }
  const summary = {
    checkpoint: out,
    from: path,
    layers: names,
    sizes: [model.inFeatures, ...model.layers.map((l) => l.outFeatures)],
    activation: model.activation,
    nnz: model.nnz(),
    dense: model.layers.reduce((s, l) => s + l.inFeatures * l.outFeatures, 0),
    config: file ?? null,
  };
  model.dispose();
  if (options.get('json') === true) return printJson(summary);
  console.log(
    `${path}: ${summary.sizes.join('-')} ${summary.activation} from layers ${names.join(', ')}; ${summary.nnz} of ${summary.dense} weights non-zero`,
  );
  console.log(
    `widen checkpoint written to ${out}${file === undefined ? ' (no run config: pass --config to eval, prune or train it on a task)' : ''}`,
  );
}
