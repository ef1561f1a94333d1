import protobuf from 'protobufjs/light.js';
import { type Activation, ConfigError } from '../engine/index.js';
import type { MLP } from '../nn/index.js';
import type { ExpandedMLP } from '../prune/index.js';
import { ONNX_SCHEMA } from './onnx-schema.js';

/** Opsets exportOnnx writes: 13 (ReduceSum and Unsqueeze take axes as inputs) up to 17, the newest onnx 1.12's checker knows. */
export const ONNX_OPSETS = [13, 14, 15, 16, 17] as const;

/** Options of exportOnnx and exportExpandedOnnx: the opset [17] and the graph name. */
export interface OnnxExportOptions {
  opset?: number;
  name?: string;
}

/** protobuf's hard limit on one message: ONNX files beyond it need external data, which exportOnnx does not write. */
const MAX_BYTES = 2 ** 31 - 1;
// TensorProto.DataType values
const FLOAT = 1;
const INT64 = 7;
const DOUBLE = 11;

interface Tensor {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}
interface Node {
  op_type: string;
  input: string[];
  output: string[];
  name: string;
  attribute: Array<{ name: string; type: number; i?: number; f?: number }>;
}

/** A graph under construction: nodes, initializers and a counter for fresh value names. */
class Graph {
  readonly nodes: Node[] = [];
  readonly initializers: Tensor[] = [];
  bytes = 0;
  private count = 0;

  /** Adds a node; attributes are integers (AttributeProto INT = 2) unless `floats` names them. */
  op(op: string, input: string[], attrs: Record<string, number> = {}, out = this.fresh(op)): string {
    const attribute = Object.entries(attrs).map(([name, i]) => ({ name, type: 2, i }));
    this.nodes.push({ op_type: op, input, output: [out], name: `${op}_${this.nodes.length}`, attribute });
    return out;
  }

  /** Adds a constant tensor and returns its name. */
  constant(name: string, dims: number[], values: Float32Array | Float64Array | BigInt64Array): string {
    const type = values instanceof Float32Array ? FLOAT : values instanceof Float64Array ? DOUBLE : INT64;
    const raw = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    this.bytes += raw.byteLength;
    this.initializers.push({ name, dims, data_type: type, raw_data: raw });
    return name;
  }

  fresh(prefix: string): string {
    return `${prefix.toLowerCase()}_${this.count++}`;
  }
}

const ints = (...v: number[]) => BigInt64Array.from(v.map(BigInt));

/** The hidden activation f(z) as ONNX ops; GELU is the exact 0.5·z·(1 + erf(z/√2)) (opset 17 has no Gelu op). */
function activate(g: Graph, z: string, activation: Activation, l: number): string {
  if (activation === 'relu') return g.op('Relu', [z]);
  if (activation === 'sigmoid') return g.op('Sigmoid', [z]);
  if (activation === 'identity') return z;
  const sqrt2 = g.constant(`gelu_${l}_sqrt2`, [], Float32Array.of(Math.SQRT2));
  const one = g.constant(`gelu_${l}_one`, [], Float32Array.of(1));
  const half = g.constant(`gelu_${l}_half`, [], Float32Array.of(0.5));
  const erf = g.op('Erf', [g.op('Div', [z, sqrt2])]);
  return g.op('Mul', [g.op('Mul', [z, g.op('Add', [erf, one])]), half]);
}

/**
 * An MLP as an ONNX model (opset 17 by default, IR version 8): input `input` [batch, in] float32,
 * output `logits` [batch, out]; each layer a Gemm with the masked weights, hidden layers followed
 * by Relu, Sigmoid or the exact erf GELU. Runs in onnxruntime and passes onnx.checker.
 * Example: `writeFileSync('mlp.onnx', exportOnnx(model))`.
 */
export function exportOnnx(model: MLP, options: OnnxExportOptions = {}): Uint8Array {
  const opset = checkOpset(options.opset);
  const g = new Graph();
  let h = 'input';
  model.layers.forEach((layer, l) => {
    const w = g.constant(`layers.${l}.weight`, [layer.outFeatures, layer.inFeatures], layer.weight());
    const b = g.constant(`layers.${l}.bias`, [layer.outFeatures], layer.bias());
    const last = l === model.layers.length - 1;
    const z = g.op('Gemm', [h, w, b], { transB: 1 }, last ? 'logits' : undefined);
    h = last ? z : activate(g, z, model.activation, l);
  });
  return encode(g, opset, options.name ?? 'widen_mlp', model.inFeatures, [
    { name: 'logits', type: FLOAT, dims: ['batch', model.outFeatures] },
  ]);
}

/**
 * A Sparse Expansion model as ONNX: per layer, the input is centred and projected by the layer's
 * PCA and routed to its nearest k-means centroid (float64, as widen routes; ties to the lower
 * index, ArgMin's first), then only that expert's output is kept: all experts run as one Gemm and
 * GatherElements picks the routed one. Outputs `logits` and each routed layer's expert `experts.{l}` [batch, 1] int64.
 * Example: `writeFileSync('expanded.onnx', exportExpandedOnnx(expanded))`.
 */
export function exportExpandedOnnx(model: ExpandedMLP, options: OnnxExportOptions = {}): Uint8Array {
  const opset = checkOpset(options.opset);
  const g = new Graph();
  const outputs: Array<{ name: string; type: number; dims: Array<string | number> }> = [];
  let h = 'input';
  model.layers.forEach((layer, l) => {
    const [first] = layer.experts;
    const [inF, out, k] = [first.inFeatures, first.outFeatures, layer.experts.length];
    const last = l === model.layers.length - 1;
    const weights = new Float32Array(k * out * inF);
    const biases = new Float32Array(k * out);
    layer.experts.forEach((e, c) => {
      weights.set(e.weight(), c * out * inF);
      biases.set(e.bias(), c * out);
    });
    const w = g.constant(`layers.${l}.experts.weight`, [k * out, inF], weights);
    const b = g.constant(`layers.${l}.experts.bias`, [k * out], biases);
    let z: string;
    if (layer.router === null) z = g.op('Gemm', [h, w, b], { transB: 1 });
    else {
      const { pca, centroids } = layer.router;
      const componentsT = new Float64Array(inF * pca.dim); // [d, dim]
      for (let c = 0; c < pca.dim; c++) for (let j = 0; j < inF; j++) componentsT[j * pca.dim + c] = pca.components[c * inF + j];
      const mean = g.constant(`layers.${l}.router.mean`, [inF], pca.mean);
      const comp = g.constant(`layers.${l}.router.components_t`, [inF, pca.dim], componentsT);
      const cents = g.constant(`layers.${l}.router.centroids`, [k, pca.dim], centroids);
      const p = g.op('MatMul', [g.op('Sub', [g.op('Cast', [h], { to: DOUBLE }), mean]), comp]); // [b, dim]
      const axis1 = g.constant(`layers.${l}.axis1`, [1], ints(1));
      const axis2 = g.constant(`layers.${l}.axis2`, [1], ints(2));
      const diff = g.op('Sub', [g.op('Unsqueeze', [p, axis1]), cents]); // [b, k, dim]
      const dist = g.op('ReduceSum', [g.op('Mul', [diff, diff]), axis2], { keepdims: 0 }); // [b, k]
      const label = g.op('ArgMin', [dist], { axis: 1, keepdims: 1, select_last_index: 0 }, `experts.${l}`); // [b, 1]
      outputs.push({ name: label, type: INT64, dims: ['batch', 1] });
      const all = g.op('Reshape', [g.op('Gemm', [h, w, b], { transB: 1 }), g.constant(`layers.${l}.shape3`, [3], ints(-1, k, out))]);
      const index = g.op('Expand', [g.op('Unsqueeze', [label, axis2]), g.constant(`layers.${l}.shape_out`, [3], ints(1, 1, out))]);
      const picked = g.op('GatherElements', [all, index], { axis: 1 }); // [b, 1, out]
      z = g.op('Reshape', [picked, g.constant(`layers.${l}.shape2`, [2], ints(-1, out))]);
    }
    h = last ? g.op('Identity', [z], {}, 'logits') : activate(g, z, model.activation, l);
  });
  outputs.unshift({ name: 'logits', type: FLOAT, dims: ['batch', model.outFeatures] });
  return encode(g, opset, options.name ?? 'widen_sparse_expansion', model.inFeatures, outputs);
}

function checkOpset(opset: number | undefined): number {
  const v = opset ?? 17;
  if (!(ONNX_OPSETS as readonly number[]).includes(v)) {
    throw new ConfigError(
      `ONNX opset ${v} cannot express the exported graph: widen writes opsets ${ONNX_OPSETS[0]} to ${ONNX_OPSETS[ONNX_OPSETS.length - 1]} (ReduceSum and Unsqueeze take axes as inputs from 13 on; 17 is the newest onnx 1.12 checks)`,
      { where: 'exportOnnx.opset', got: v, allowed: ONNX_OPSETS.join(', ') },
    );
  }
  return v;
}

let MODEL_TYPE: protobuf.Type | null = null;

function encode(
  g: Graph,
  opset: number,
  name: string,
  inFeatures: number,
  outputs: Array<{ name: string; type: number; dims: Array<string | number> }>,
): Uint8Array {
  if (g.bytes > MAX_BYTES) {
    throw new ConfigError(
      `the model's ${g.bytes} bytes of weights cannot be expressed in one ONNX file: protobuf messages stop at 2 GiB and widen does not write external data; export --format torch or npz instead`,
      { where: 'exportOnnx', got: g.bytes, allowed: `<= ${MAX_BYTES} bytes` },
    );
  }
  const valueInfo = (n: string, type: number, dims: Array<string | number>) => ({
    name: n,
    type: {
      tensor_type: { elem_type: type, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d })) } },
    },
  });
  MODEL_TYPE ??= protobuf.Root.fromJSON(ONNX_SCHEMA as unknown as protobuf.INamespace).lookupType('onnx.ModelProto');
  const model = {
    ir_version: 8,
    producer_name: 'widen',
    opset_import: [{ domain: '', version: opset }],
    graph: {
      name,
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo('input', FLOAT, ['batch', inFeatures])],
      output: outputs.map((o) => valueInfo(o.name, o.type, o.dims)),
    },
  };
  return MODEL_TYPE.encode(MODEL_TYPE.fromObject(model)).finish();
}
