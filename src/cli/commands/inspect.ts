import { createEngine } from '../../index.js';
import { loadCheckpoint } from '../../node/index.js';
import type { OptionValue } from '../read-options.js';
import { printJson } from './shared.js';

/** `widen inspect CKPT`: layers, shapes, non-zeros, density and metadata of a checkpoint. */
export async function inspect(args: string[], options: Map<string, OptionValue>): Promise<void> {
  const [path] = args;
  const engine = createEngine({ backend: 'ref' });
  const ckpt = loadCheckpoint(path, engine);
  const layers = ckpt.model.layers.map((l, i) => ({
    layer: i,
    in: l.inFeatures,
    out: l.outFeatures,
    nnz: l.nnz,
    density: l.nnz / (l.inFeatures * l.outFeatures),
    path: l.path,
  }));
  const info = {
    checkpoint: path,
    version: ckpt.version,
    step: ckpt.step,
    activation: ckpt.model.activation,
    nnz: ckpt.model.nnz(),
    optimizer: ckpt.optimizerState?.config.kind ?? null,
    layers,
    config: ckpt.config,
  };
  if (options.get('json') === true) return printJson(info);
  console.log(`${path}: widen ${info.version}, step ${info.step}, activation ${info.activation}, optimizer ${info.optimizer ?? 'none'}`);
  for (const l of layers) {
    console.log(`  layers.${l.layer}  ${l.out} x ${l.in}  nnz ${l.nnz}  density ${(100 * l.density).toFixed(1)}%  (${l.path})`);
  }
  console.log(`  total non-zero weights: ${info.nnz}`);
}
