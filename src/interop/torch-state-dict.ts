import { type Activation, CheckpointError, defaultEngine, type Engine, ShapeError } from '../engine/index.js';
import { entryToF32, type LayerWeights, MLP, parseActivation, type SafetensorsFile, type SafetensorsInput } from '../nn/index.js';

/** Options of importTorch. */
export interface TorchImportOptions {
  /** Expected architecture, e.g. "784-256-256-10 gelu": widths checked against the tensors, activation taken from it. */
  arch?: string;
  /** Module names of the Linear layers in order (`fc1,fc2,out`); default: the integer-named modules of an nn.Sequential. */
  layers?: readonly string[];
  /** Hidden activation; default: --arch's, else the file's `__metadata__.activation`. */
  activation?: Activation;
  /** Keep every weight (all-ones masks) instead of masking the zeros. */
  dense?: boolean;
  /** File name for error messages. */
  source?: string;
}

/** An imported model and the PyTorch module names its layers came from. */
export interface TorchImport {
  model: MLP;
  names: string[];
}

/**
 * A PyTorch MLP state dict (safetensors.torch.save_file of an nn.Sequential of Linear layers and
 * activations, or of any module with --layers) as a widen MLP. Per layer it reads `P.weight`
 * [out, in] or torch.nn.utils.prune's `P.weight_orig` × `P.weight_mask`, and `P.bias` (zeros when
 * absent); F32, F16, BF16 and F64 are converted to float32. Masks are the pruning mask when
 * stored, else the non-zero pattern (all ones with `dense`). Shapes must chain; a tensor no layer
 * uses, a missing name or an unknown activation is a CheckpointError listing what the file has.
 * Example: `importTorch(decodeSafetensors(bytes, 'mlp.safetensors'), { activation: 'gelu' }).model`.
 */
export function importTorch(file: SafetensorsFile, options: TorchImportOptions = {}, engine: Engine = defaultEngine()): TorchImport {
  const source = options.source ?? '<safetensors>';
  const present = [...file.tensors.keys()];
  const list = present.length > 0 ? present.map((n) => `'${n}'`).join(', ') : 'no tensors';
  const fail = (problem: string, got?: unknown) => new CheckpointError(`${source}: ${problem}`, { where: source, got });
  const arch = options.arch === undefined ? undefined : parseArch(options.arch, source);
  const names = options.layers === undefined ? sequentialLayers(present, list, fail) : [...options.layers];
  let activation = options.activation ?? arch?.activation;
  if (activation === undefined && file.metadata.activation !== undefined)
    activation = parseActivation(file.metadata.activation, `${source} __metadata__.activation`);
  if (activation === undefined) {
    throw fail(
      'the activation between the layers is not stored in a state dict; state it: --activation relu|gelu|sigmoid|identity (or --arch "784-256-10 gelu")',
    );
  }
  const used = new Set<string>();
  const take = (name: string, optional = false) => {
    const e = file.tensors.get(name);
    if (e === undefined && !optional) throw fail(`no tensor named '${name}'; the file has ${list}`, name);
    if (e !== undefined) used.add(name);
    return e;
  };
  const layers: LayerWeights[] = names.map((p, i) => {
    const pruned = file.tensors.has(`${p}.weight_orig`);
    const w = take(pruned ? `${p}.weight_orig` : `${p}.weight`)!;
    const wName = pruned ? `${p}.weight_orig` : `${p}.weight`;
    if (w.shape.length !== 2) throw fail(`tensor '${wName}' has shape [${w.shape.join(', ')}]; a Linear weight is [out, in]`, w.shape);
    const [out, inF] = w.shape;
    if (i > 0 && layersOut(i - 1) !== inF) {
      throw new ShapeError(
        `${source}: shapes do not chain: '${wName}' takes ${inF} inputs but '${names[i - 1]}' gives ${layersOut(i - 1)} outputs`,
        { where: `${source}: ${wName}`, got: inF, allowed: String(layersOut(i - 1)) },
      );
    }
    const weight = entryToF32(w, wName, source);
    let mask: Uint8Array;
    if (pruned) {
      const m = take(`${p}.weight_mask`)!;
      const values = checkShape(m.shape, [out, inF], `${p}.weight_mask`) && entryToF32(m, `${p}.weight_mask`, source);
      mask = Uint8Array.from(values as Float32Array, (v) => (v !== 0 ? 1 : 0));
      for (let j = 0; j < weight.length; j++) if (mask[j] === 0) weight[j] = 0;
    } else mask = options.dense ? new Uint8Array(weight.length).fill(1) : Uint8Array.from(weight, (v) => (v !== 0 ? 1 : 0));
    const b = take(`${p}.bias`, true);
    if (b !== undefined) checkShape(b.shape, [out], `${p}.bias`);
    const bias = b === undefined ? new Float32Array(out) : entryToF32(b, `${p}.bias`, source);
    return { weight, mask, bias, inFeatures: inF, outFeatures: out };
    function layersOut(j: number): number {
      return file.tensors.get(`${names[j]}.weight`)?.shape[0] ?? file.tensors.get(`${names[j]}.weight_orig`)?.shape[0] ?? -1;
    }
  });
  const extra = present.filter((n) => !used.has(n));
  if (extra.length > 0) {
    throw fail(
      `tensor(s) ${extra.map((n) => `'${n}'`).join(', ')} belong to no imported layer (layers: ${names.join(', ')}); widen imports MLPs of Linear layers only: list the Linear modules with --layers or save a state dict of the MLP alone`,
      extra,
    );
  }
  if (arch !== undefined) {
    const sizes = [layers[0].inFeatures, ...layers.map((l) => l.outFeatures)];
    if (sizes.join('-') !== arch.sizes.join('-')) {
      throw new ShapeError(`${source}: the tensors give the architecture ${sizes.join('-')}, --arch says ${arch.sizes.join('-')}`, {
        where: source,
        got: sizes.join('-'),
        allowed: arch.sizes.join('-'),
      });
    }
  }
  return { model: MLP.fromWeights(layers, { activation }, engine), names };

  function checkShape(shape: number[], want: number[], name: string): true {
    if (shape.join(',') !== want.join(','))
      throw new ShapeError(`${source}: tensor '${name}' has shape [${shape.join(', ')}], expected [${want.join(', ')}]`, {
        where: `${source}: ${name}`,
        got: shape,
      });
    return true;
  }
}

/** The Linear modules of an nn.Sequential state dict: 2-D `P.weight` (or `P.weight_orig`) whose last name part is an index, by index. */
function sequentialLayers(present: string[], list: string, fail: (p: string, got?: unknown) => CheckpointError): string[] {
  const prefixes = present.map((n) => /^(.+)\.weight(_orig)?$/.exec(n)?.[1]).filter((p): p is string => p !== undefined);
  const parsed = prefixes.map((p) => /^(.*?)(\d+)$/.exec(p));
  if (prefixes.length === 0 || parsed.some((m) => m === null) || new Set(parsed.map((m) => m![1])).size !== 1) {
    throw fail(
      `cannot infer the layers: an nn.Sequential has weights named '0.weight', '2.weight', ...; the file has ${list}; list the Linear modules in order with --layers (e.g. --layers fc1,fc2,out)`,
    );
  }
  return parsed.sort((a, b) => Number(a![2]) - Number(b![2])).map((m) => m![0]);
}

/** Parses an --arch value such as "784-256-256-10 gelu" (the activation is optional). */
export function parseArch(text: string, where = 'arch'): { sizes: number[]; activation?: Activation } {
  const [sizes, act, ...rest] = text.trim().split(/\s+/);
  const widths = sizes.split('-').map(Number);
  if (rest.length > 0 || widths.length < 2 || !widths.every((w) => Number.isInteger(w) && w >= 1)) {
    throw new CheckpointError(
      `${where}: arch '${text}' is not widths joined by '-' and an optional activation, e.g. "784-256-256-10 gelu"`,
      {
        where,
        got: text,
      },
    );
  }
  return { sizes: widths, activation: act === undefined ? undefined : parseActivation(act, `${where} activation`) };
}

/** Options of torchStateDict. */
export interface TorchExportOptions {
  /** Write torch.nn.utils.prune's layout (`N.weight_orig`, `N.weight_mask`) instead of `N.weight`. */
  masks?: boolean;
}

/**
 * The model as a PyTorch state dict for nn.Sequential(Linear, act, Linear, ..., Linear): Linear i
 * is module 2i, so names are `{2i}.weight` [out, in] (zeros where masked) and `{2i}.bias`, F32.
 * With `masks`, the weight is stored as torch.nn.utils.prune does, `{2i}.weight_orig` and the float
 * mask `{2i}.weight_mask`: load it after `prune.identity(seq[2i], 'weight')` on each Linear.
 * Example: `encodeSafetensors(torchStateDict(model), { format: 'pt', activation: model.activation })`.
 */
export function torchStateDict(model: MLP, options: TorchExportOptions = {}): Record<string, SafetensorsInput> {
  const tensors: Record<string, SafetensorsInput> = {};
  model.layers.forEach((l, i) => {
    const shape = [l.outFeatures, l.inFeatures];
    if (options.masks) {
      tensors[`${2 * i}.weight_orig`] = { dtype: 'F32', shape, data: l.weight() };
      tensors[`${2 * i}.weight_mask`] = { dtype: 'F32', shape, data: Float32Array.from(l.mask()) };
    } else tensors[`${2 * i}.weight`] = { dtype: 'F32', shape, data: l.weight() };
    tensors[`${2 * i}.bias`] = { dtype: 'F32', shape: [l.outFeatures], data: l.bias() };
  });
  return tensors;
}
