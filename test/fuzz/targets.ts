// The fuzz targets: every parser widen applies to files and text it did not write itself, each
// with its inputs (mutated valid files, random bytes, edited configs) and its consistency check.
// Over 500 lines on purpose: the 13 targets share their generators and checks, and one file lets
// the README's fuzz table be read against the inputs behind each row.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { joinNegativeValues, readCommandLine } from '../../src/cli/main.js';
import { OPTIONS } from '../../src/cli/options.js';
import {
  createEngine,
  createOptimizer,
  decodeCheckpoint,
  decodeExpanded,
  decodeIdx,
  decodeNpy,
  decodeSafetensors,
  encodeCheckpoint,
  encodeExpanded,
  encodeSafetensors,
  MLP,
  parseCsv,
  parseDatasetSpec,
  parseExperimentConfigText,
  Rng,
  resolveTrainConfig,
  SAFETENSORS_DTYPES,
  sparseExpand,
  trainStep,
} from '../../src/index.js';
import { maybeGunzip } from '../../src/node/data/read-bytes.js';
import { readEmbeddings, readTextLabels } from '../../src/node/index.js';
import type { FuzzTarget } from './harness.js';
import { anyJson, concat, jsonEdits, mutatedBytes, mutatedJson, NASTY_TEXTS } from './mutate.js';

const engine = createEngine({ backend: 'ref' });
const dir = mkdtempSync(join(tmpdir(), 'widen-fuzz-'));
const text = new TextEncoder();

// ---- safetensors family ------------------------------------------------------------------------

/** Splits safetensors bytes into the header JSON and the data section (null if they do not parse). */
// biome-ignore lint/suspicious/noExplicitAny: the header is any JSON the mutations produced
function splitSafetensors(b: Uint8Array): { header: any; data: Uint8Array } | null {
  if (b.length < 8) return null;
  const n = Number(new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true));
  if (n > b.length - 8) return null;
  try {
    return { header: JSON.parse(new TextDecoder().decode(b.subarray(8, 8 + n))), data: b.subarray(8 + n) };
  } catch {
    return null;
  }
}

function joinSafetensors(headerText: string, data: Uint8Array): Uint8Array {
  const h = text.encode(headerText);
  const len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(h.length), true);
  return concat(concat(len, h), data);
}

/** Header edits of a safetensors file: a JSON edit of the header, or a number in its text replaced by a nasty one. */
const safetensorsEdits = [
  jsonEdits().map((edit) => (b: Uint8Array) => {
    const s = splitSafetensors(b);
    return s === null ? b : joinSafetensors(JSON.stringify(edit(s.header)) ?? 'null', s.data);
  }),
  fc.tuple(fc.nat(), fc.constantFrom(...NASTY_TEXTS)).map(([pick, nasty]) => (b: Uint8Array) => {
    const s = splitSafetensors(b);
    if (s === null) return b;
    const h = JSON.stringify(s.header);
    const numbers = [...h.matchAll(/\d+/g)];
    if (numbers.length === 0) return b;
    const m = numbers[pick % numbers.length];
    return joinSafetensors(h.slice(0, m.index) + nasty + h.slice(m.index! + m[0].length), s.data);
  }),
  // metadata values as strings (checkpoints keep their facts there)
  fc.tuple(fc.nat(), anyJson()).map(([pick, v]) => (b: Uint8Array) => {
    const s = splitSafetensors(b);
    const meta = s?.header?.__metadata__;
    if (s === null || typeof meta !== 'object' || meta === null) return b;
    const keys = Object.keys(meta);
    const k = keys[pick % keys.length];
    return joinSafetensors(
      JSON.stringify({ ...s.header, __metadata__: { ...meta, [k]: typeof v === 'string' ? v : JSON.stringify(v) } }),
      s.data,
    );
  }),
];

const rng = new Rng(1);
const floats = (n: number) => Float32Array.from({ length: n }, () => rng.normal());

const SAFETENSORS_BASES = [
  encodeSafetensors(
    { a: { dtype: 'F32', shape: [2, 3], data: floats(6) }, m: { dtype: 'U8', shape: [4], data: new Uint8Array([1, 0, 1, 1]) } },
    { note: 'x' },
  ),
  encodeSafetensors({
    d: { dtype: 'F64', shape: [2], data: new Float64Array([1, 2]) },
    e: { dtype: 'F32', shape: [0, 5], data: new Float32Array(0) },
  }),
];

function tinyModel(seed: number): MLP {
  return MLP.create({ sizes: [3, 5, 2], density: [0.6, 1], activation: 'gelu', seed }, engine);
}

function checkpointBases(): Uint8Array[] {
  const plain = tinyModel(1);
  const trained = tinyModel(2);
  const opt = createOptimizer(trained, { kind: 'adam', lr: 0.01 });
  trainStep(trained, opt, { x: floats(3 * 8), y: Int32Array.from({ length: 8 }, (_, i) => i % 2), size: 8 }, 'cross-entropy');
  const out = [encodeCheckpoint({ model: plain, config: { task: 'x' } }), encodeCheckpoint({ model: trained, optimizer: opt, step: 7 })];
  plain.dispose();
  trained.dispose();
  return out;
}

function expandedBases(): Uint8Array[] {
  const model = MLP.create({ sizes: [6, 6, 3], activation: 'gelu', seed: 3 }, engine);
  const cal = { x: floats(6 * 32), size: 32 };
  const out = [1, 2].map((k) => {
    const e = sparseExpand(model, cal, { k, sparsity: 0.5, pruner: 'magnitude', restarts: 1, reduce: 2 });
    const bytes = encodeExpanded(e, { k });
    e.dispose();
    return bytes;
  });
  model.dispose();
  return out;
}

const SAFETENSORS_MAGIC = text.encode('\x20\x00\x00\x00\x00\x00\x00\x00{"');

const isSafe = (d: unknown) => Number.isSafeInteger(d) && (d as number) >= 0;

const safetensors: FuzzTarget<Uint8Array, ReturnType<typeof decodeSafetensors>> = {
  name: 'safetensors',
  inputs: () => mutatedBytes(SAFETENSORS_BASES, SAFETENSORS_MAGIC, safetensorsEdits),
  run: (b) => decodeSafetensors(b, 'fuzz.safetensors'),
  check: (v, b) => {
    let total = 0;
    for (const [name, e] of v.tensors) {
      if (!e.shape.every(isSafe)) return `tensor ${name} has shape [${e.shape}]`;
      const need = e.shape.reduce((a, d) => a * d, 1) * SAFETENSORS_DTYPES[e.dtype];
      if (need !== e.data.length) return `tensor ${name} [${e.shape}] ${e.dtype} holds ${e.data.length} bytes, needs ${need}`;
      total += e.data.length;
    }
    if (total > b.length) return `tensors hold ${total} bytes of a ${b.length}-byte file`;
    for (const [k, s] of Object.entries(v.metadata)) if (typeof s !== 'string') return `metadata ${k} is not a string`;
    return null;
  },
};

/** Checks a loaded MLP against itself: chained layer sizes, weights and masks of out × in. */
function checkModel(
  layers: ReadonlyArray<{ inFeatures: number; outFeatures: number; weight(): Float32Array; mask(): Uint8Array }>,
  chained = true,
): string | null {
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    if (!isSafe(l.inFeatures) || !isSafe(l.outFeatures) || l.inFeatures * l.outFeatures > 2 ** 24)
      return `layer ${i} is ${l.outFeatures} x ${l.inFeatures}`;
    if (chained && i > 0 && l.inFeatures !== layers[i - 1].outFeatures) return `layer ${i} does not chain`;
    if (l.weight().length !== l.inFeatures * l.outFeatures || l.mask().length !== l.weight().length) return `layer ${i} weight/mask length`;
  }
  return null;
}

const checkpoint: FuzzTarget<Uint8Array, ReturnType<typeof decodeCheckpoint>> = {
  name: 'checkpoint',
  inputs: () => mutatedBytes(checkpointBases(), SAFETENSORS_MAGIC, safetensorsEdits),
  run: (b) => decodeCheckpoint(b, 'fuzz.safetensors', engine),
  check: (v) => {
    if (!Number.isSafeInteger(v.step) || v.step < 0) return `step ${v.step} is not a safe integer >= 0`;
    if (v.model.layers.length < 1) return 'no layers';
    const st = v.optimizerState;
    if (st !== undefined && (!Number.isSafeInteger(st.stepCount) || st.stepCount < 0)) return `optimizer stepCount ${st.stepCount}`;
    return checkModel(v.model.layers);
  },
  dispose: (v) => v.model.dispose(),
};

const expanded: FuzzTarget<Uint8Array, ReturnType<typeof decodeExpanded>> = {
  name: 'expanded checkpoint',
  inputs: () => mutatedBytes(expandedBases(), SAFETENSORS_MAGIC, safetensorsEdits),
  run: (b) => decodeExpanded(b, 'fuzz.safetensors', engine),
  check: (v) => {
    for (const [l, layer] of v.model.layers.entries()) {
      const problem = checkModel(layer.experts, false);
      if (problem !== null) return `layer ${l}: ${problem}`;
      if (layer.experts.some((e) => e.inFeatures !== layer.experts[0].inFeatures || e.outFeatures !== layer.experts[0].outFeatures))
        return `layer ${l}: experts differ in shape`;
      if ((layer.router === null) !== (layer.experts.length === 1)) return `layer ${l}: router and expert count disagree`;
      if (l > 0 && layer.experts[0].inFeatures !== v.model.layers[l - 1].experts[0].outFeatures) return `layer ${l} does not chain`;
    }
    return null;
  },
  dispose: (v) => v.model.dispose(),
};

// ---- npy and IDX -------------------------------------------------------------------------------

function npyBytes(descr: string, shape: number[], data: Uint8Array, major = 1): Uint8Array {
  let h = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.map((d) => `${d},`).join(' ')}), }`;
  const lenBytes = major === 1 ? 2 : 4;
  h += ' '.repeat(63 - ((8 + lenBytes + h.length) % 64));
  h += '\n';
  const head = new Uint8Array(8 + lenBytes);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(head.buffer);
  if (major === 1) view.setUint16(8, h.length, true);
  else view.setUint32(8, h.length, true);
  return concat(concat(head, text.encode(h)), data);
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

const NPY_BASES = [
  npyBytes('<f4', [3, 4], bytesOf(floats(12))),
  npyBytes('<i8', [5], bytesOf(BigInt64Array.from([1n, 2n, 3n, 0n, 9n]))),
  npyBytes('|u1', [2, 2, 2], Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 2),
  npyBytes('>f8', [], bytesOf(new Float64Array([1]))),
  npyBytes('<f4', [2, 0], new Uint8Array(0), 3),
];

// dims as digits past 2^53 (1e20, and 1e309 = Infinity to Number) are what the npy defect needs
const npyDim = fc.oneof(
  fc.nat(8).map(String),
  fc.constantFrom(...NASTY_TEXTS, '1e20', '1e309', '0x10', '+3', '3L', `1${'0'.repeat(20)}`, `1${'0'.repeat(309)}`),
);
/** `b` with its npy header text edited by `edit` and the header length field updated (latin-1, byte for byte). */
function editNpyHeader(b: Uint8Array, edit: (header: string) => string): Uint8Array {
  const lenBytes = b[6] === 1 ? 2 : 4;
  if (b.length < 8 + lenBytes) return b;
  const view = new DataView(b.buffer, b.byteOffset, b.length);
  const len = lenBytes === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes;
  const header = Buffer.from(edit(Buffer.from(b.subarray(start, start + len)).toString('latin1')), 'latin1');
  const head = new Uint8Array(b.subarray(0, start));
  const headView = new DataView(head.buffer);
  if (lenBytes === 2) headView.setUint16(8, header.length & 0xffff, true);
  else headView.setUint32(8, header.length, true);
  return concat(concat(head, header), b.subarray(Math.min(b.length, start + len)));
}

const npyEdits = [
  fc
    .array(npyDim, { maxLength: 4 })
    .map(
      (dims) => (b: Uint8Array) =>
        editNpyHeader(b, (h) => h.replace(/'shape': \([^)]*\)/, `'shape': (${dims.join(', ')}${dims.length === 1 ? ',' : ''})`)),
    ),
  fc
    .constantFrom('<f4', '>i2', '|u1', '<u8', '<c8', '|O', '<U3', '[(', '<f2', '|i8', '<b1')
    .map((d) => (b: Uint8Array) => editNpyHeader(b, (h) => h.replace(/'descr': '[^']*'/, `'descr': '${d}'`))),
];

/** An NdArray is consistent when its shape is safe integers whose product is the element count. */
function checkNd(v: { shape: number[]; data: ArrayLike<number> }): string | null {
  if (!v.shape.every(isSafe)) return `shape [${v.shape}] is not safe integers >= 0`;
  const n = v.shape.reduce((a, d) => a * d, 1);
  return n === v.data.length ? null : `shape [${v.shape}] has ${n} elements, data has ${v.data.length}`;
}

const npy: FuzzTarget<Uint8Array, ReturnType<typeof decodeNpy>> = {
  name: 'npy',
  inputs: () => mutatedBytes(NPY_BASES, Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]), npyEdits),
  run: (b) => decodeNpy(b, 'fuzz.npy'),
  check: checkNd,
};

function idxBytes(type: number, shape: number[], data: Uint8Array): Uint8Array {
  const head = new Uint8Array(4 + 4 * shape.length);
  const view = new DataView(head.buffer);
  head.set([0, 0, type, shape.length]);
  for (const [i, d] of shape.entries()) view.setUint32(4 + 4 * i, d, false);
  return concat(head, data);
}

const IDX_BASES = [
  idxBytes(
    0x08,
    [3, 2, 2],
    Uint8Array.from({ length: 12 }, (_, i) => i * 20),
  ),
  idxBytes(0x08, [5], Uint8Array.from([0, 1, 2, 3, 4])),
  idxBytes(0x0d, [2, 2], new Uint8Array(16)),
  idxBytes(0x0b, [0, 9], new Uint8Array(0)),
];
const idxEdits = [
  fc.tuple(fc.nat(8), fc.constantFrom(0, 1, 2, 255, 2 ** 16, 2 ** 31, 2 ** 32 - 1)).map(([i, d]) => (b: Uint8Array) => {
    const out = new Uint8Array(b);
    if (out.length >= 8 + 4 * i) new DataView(out.buffer).setUint32(4 + 4 * i, d, false);
    return out;
  }),
  fc.tuple(fc.nat(3), fc.nat(255)).map(([i, v]) => (b: Uint8Array) => {
    const out = new Uint8Array(b);
    if (out.length > i) out[i] = v;
    return out;
  }),
];

const idx: FuzzTarget<Uint8Array, ReturnType<typeof decodeIdx>> = {
  name: 'idx',
  inputs: () => mutatedBytes(IDX_BASES, Uint8Array.from([0, 0, 8, 1]), idxEdits),
  run: (b) => decodeIdx(b, 'fuzz.idx'),
  check: checkNd,
};

const idxGz: FuzzTarget<Uint8Array, ReturnType<typeof decodeIdx>> = {
  name: 'idx.gz',
  inputs: () =>
    fc.oneof(
      mutatedBytes(
        IDX_BASES.map((b) => new Uint8Array(gzipSync(b))),
        Uint8Array.from([0x1f, 0x8b, 8, 0]),
      ),
      mutatedBytes(IDX_BASES, Uint8Array.from([0, 0, 8, 1]), idxEdits).map((b) => new Uint8Array(gzipSync(b))),
    ),
  run: (b) => decodeIdx(maybeGunzip(b, 'fuzz.idx.gz'), 'fuzz.idx.gz'),
  check: checkNd,
};

// ---- CSV, embeddings, text labels --------------------------------------------------------------

const cell = fc.oneof(
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String), weight: 4 },
  { arbitrary: fc.integer({ min: -3, max: 9 }).map(String), weight: 4 },
  { arbitrary: fc.constantFrom(...NASTY_TEXTS, 'a', 'b', 'cat', '"q,1"', '"', '""', ' 3 ', '1,2', '\r'), weight: 2 },
  { arbitrary: fc.string({ maxLength: 6 }), weight: 1 },
);
const labelMapArb = fc.oneof(
  fc.constant(undefined),
  fc.constant('sorted' as const),
  fc.dictionary(
    fc.constantFrom('a', 'b', 'cat', '0', '1', '2'),
    fc.oneof(fc.nat(5), fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 32 + 1, 2 ** 53 - 1)),
  ),
);
const classesArb = fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined });

/** CSV text, label column and options; rows have the header's width most of the time. */
const csvInput = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 12 }))
  .chain(([width, rows]) =>
    fc.record({
      header: fc.array(fc.oneof(fc.constantFrom('x', 'y', 'label', 'f1', '"a,b"'), fc.string({ maxLength: 4 })), {
        minLength: width + 1,
        maxLength: width + 1,
      }),
      // half of the files hold only numbers, so that values are common too
      rows: fc.oneof(
        fc.array(fc.array(cell, { minLength: width + (rows % 3 === 0 ? 0 : 1), maxLength: width + 1 }), { maxLength: rows }),
        fc.array(fc.array(fc.nat(3).map(String), { minLength: width + 1, maxLength: width + 1 }), { minLength: 1, maxLength: rows + 1 }),
      ),
      eol: fc.constantFrom('\n', '\r\n', '\n\n'),
      label: fc.oneof(fc.integer({ min: -6, max: 6 }), fc.constantFrom('label', 'x', 'nope'), fc.double()),
      labelMap: labelMapArb,
      classes: classesArb,
    }),
  )
  .map(({ header, rows, eol, ...options }) => ({ text: [header, ...rows].map((r) => r.join(',')).join(eol), ...options }));

type CsvInput = fc.Arbitrary<{ text: string; label: string | number; labelMap?: 'sorted' | Record<string, number>; classes?: number }>;

/** A labelled set is consistent when x is size × features, y has size labels in [0, classes), and mapped labels are the map's values. */
function checkLabeled(v: { x: Float32Array; y: Int32Array; size: number; features: number; classes: number }): string | null {
  if (v.size < 1 || v.features < 1) return `size ${v.size}, features ${v.features}`;
  if (v.x.length !== v.size * v.features) return `x has ${v.x.length} values for ${v.size} x ${v.features}`;
  if (v.y.length !== v.size) return `${v.y.length} labels for ${v.size} samples`;
  for (const label of v.y) if (label < 0 || label >= v.classes) return `label ${label} outside [0, ${v.classes})`;
  for (const x of v.x) if (!Number.isFinite(x)) return `feature ${x}`;
  return null;
}

function checkMapped(y: Int32Array, labels: string[], map: unknown): string | null {
  if (typeof map !== 'object' || map === null) return null;
  for (let i = 0; i < y.length; i++) {
    const want = (map as Record<string, number>)[labels[i]];
    if (y[i] !== want) return `label ${JSON.stringify(labels[i])} became ${y[i]}, the labelMap says ${want}`;
  }
  return null;
}

const csv: FuzzTarget<ReturnType<CsvInput['generate']>['value'], ReturnType<typeof parseCsv>> = {
  name: 'csv',
  inputs: () => csvInput,
  run: (i) => parseCsv(i.text, 'fuzz.csv', { label: i.label, labelMap: i.labelMap, classes: i.classes }),
  check: (v) => {
    if (v.columns.length !== v.features) return `${v.columns.length} columns for ${v.features} features`;
    return checkLabeled(v);
  },
};

const labelLines = fc.array(
  fc.oneof(fc.nat(4).map(String), fc.constantFrom('a', 'b', 'cat', ' 2 ', '', '-1', '1.5', '99999999999', '\t')),
  { maxLength: 10 },
);

const embeddingsInput = fc.record({
  features: mutatedBytes(
    [
      npyBytes('<f4', [4, 3], bytesOf(floats(12))),
      npyBytes('|u1', [4, 2, 2], new Uint8Array(16)),
      npyBytes('<f8', [4, 1], bytesOf(new Float64Array(4))),
    ],
    Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]),
    npyEdits,
  ),
  labels: fc.oneof(
    labelLines.map((lines) => ({ kind: 'text' as const, lines })),
    mutatedBytes(
      [npyBytes('<i4', [4], bytesOf(Int32Array.from([0, 1, 2, 1]))), npyBytes('<i8', [4, 1], bytesOf(new BigInt64Array(4)))],
      new Uint8Array(0),
      npyEdits,
    ).map((bytes) => ({ kind: 'npy' as const, bytes })),
  ),
  labelMap: labelMapArb,
  classes: classesArb,
});

const embeddings: FuzzTarget<ReturnType<(typeof embeddingsInput)['generate']>['value'], ReturnType<typeof readEmbeddings>> = {
  name: 'embeddings',
  inputs: () => embeddingsInput,
  run: (i) => {
    const path = join(dir, 'features.npy');
    writeFileSync(path, i.features);
    const labels = join(dir, i.labels.kind === 'text' ? 'labels.txt' : 'labels.npy');
    writeFileSync(labels, i.labels.kind === 'text' ? i.labels.lines.join('\n') : i.labels.bytes);
    return readEmbeddings({ path, labels, labelMap: i.labelMap, classes: i.classes });
  },
  check: (v, i) =>
    checkLabeled(v) ??
    (i.labels.kind === 'text'
      ? checkMapped(
          v.y,
          i.labels.lines.map((l) => l.trim()).filter((l) => l !== ''),
          i.labelMap,
        )
      : null),
};

const textLabels: FuzzTarget<{ lines: string[]; labelMap?: 'sorted' | Record<string, number> }, ReturnType<typeof readTextLabels>> = {
  name: 'text labels',
  inputs: () => fc.record({ lines: labelLines, labelMap: labelMapArb }),
  run: (i) => {
    const path = join(dir, 'labels.txt');
    writeFileSync(path, i.lines.join('\n'));
    return readTextLabels(path, i.labelMap);
  },
  check: (v, i) => {
    const labels = i.lines.map((l) => l.trim()).filter((l) => l !== '');
    if (v.y.length !== labels.length) return `${v.y.length} labels for ${labels.length} lines`;
    for (const label of v.y) if (label < 0) return `label ${label}`;
    return checkMapped(v.y, labels, i.labelMap);
  },
};

// ---- configs -----------------------------------------------------------------------------------

/** Wraps `value` in `depth` arrays or objects. */
const nest = (value: unknown, depth: number, object: boolean): unknown => {
  let v = value;
  for (let i = 0; i < depth; i++) v = object ? { kind: v } : [v];
  return v;
};

/** A depth, mostly moderate, sometimes past the 10,000 levels where recursion overflows the stack. */
const depthArb = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 3000 }), weight: 3 }, fc.integer({ min: 3000, max: 20_000 }));
const leafArb = fc.constantFrom<unknown>({}, { toString: 1 }, { toString: {} }, 1, 'x');

/** Replaces one top-level key's value by `depth` nested arrays or `{ kind: ... }` objects. */
const deepEdit = fc.tuple(fc.nat(), depthArb, fc.boolean(), leafArb).map(([pick, depth, object, leaf]) => (v: unknown) => {
  const obj = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const keys = Object.keys(obj);
  return keys.length === 0 ? nest(leaf, depth, object) : { ...obj, [keys[pick % keys.length]]: nest(leaf, depth, object) };
});

/** The same as JSON text, built without JSON.stringify (which overflows past ~10,000 levels). */
const deepText = fc.tuple(fc.nat(), depthArb, fc.boolean(), leafArb).map(([pick, depth, object, leaf]) => (v: Record<string, unknown>) => {
  const keys = Object.keys(v);
  const inner = `${(object ? '{"kind":' : '[').repeat(depth)}${JSON.stringify(leaf)}${(object ? '}' : ']').repeat(depth)}`;
  return JSON.stringify({ ...v, [keys[pick % keys.length]]: '@DEEP@' }).replace('"@DEEP@"', inner);
});

const EXPERIMENT_BASES = [
  { name: 'fuzz', task: { mode: 'which-clause', n: 8, k: 2, m: 4 }, model: { h: 4 }, methods: ['dense', 'fpe-random'], alpha: 2, seeds: 2 },
  {
    name: 'grid',
    task: { n: 8, k: 2, m: 4 },
    methods: ['dense'],
    seeds: 1,
    grid: { 'model.h': [2, 4], alpha: [2, 3] },
    training: { e1: 10, e2: 10, optimizer: { kind: 'adam', lr: 0.01 } },
  },
  {
    name: 'data',
    task: { kind: 'dataset', data: { kind: 'csv', path: 'x.csv', label: -1 } },
    methods: ['dense'],
    seeds: 1,
    model: { h: 4 },
  },
];

function yamlLike(v: unknown): string {
  return JSON.stringify(v, null, 1)
    .replace(/"([a-zA-Z.]+)":/g, '$1:')
    .replace(/[{},]\n/g, '\n');
}

const textMutation = fc.oneof(
  fc.tuple(fc.nat(), fc.nat(8)).map(
    ([at, n]) =>
      (s: string) =>
        s.slice(0, at % (s.length + 1)) + s.slice((at % (s.length + 1)) + n),
  ),
  fc.tuple(fc.nat(), fc.constantFrom(...NASTY_TEXTS, ':', '- ', '\n  ', '[', '{', '&a', '*a', '!!js/function', '<<: *a', '"', '\t')).map(
    ([at, ins]) =>
      (s: string) =>
        s.slice(0, at % (s.length + 1)) + ins + s.slice(at % (s.length + 1)),
  ),
);

const experimentInput = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(mutatedJson(EXPERIMENT_BASES), fc.constantFrom('fuzz.json', 'fuzz.yaml'))
      .map(([v, file]) => ({ text: JSON.stringify(v) ?? '', file })),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom(...EXPERIMENT_BASES), fc.array(textMutation, { minLength: 1, maxLength: 3 }))
      .map(([v, ms]) => ({ text: ms.reduce((s, m) => m(s), yamlLike(v)), file: 'fuzz.yaml' })),
  },
  // deep JSON (up to 20,000 levels) parses fast; deep YAML takes seconds, so it comes rarely
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...EXPERIMENT_BASES), deepText, fc.nat(19))
      .map(([v, e, yaml]) => ({ text: e(v), file: yaml === 0 ? 'fuzz.yaml' : 'fuzz.json' })),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((text) => ({ text, file: 'fuzz.yaml' })) },
);

const experimentConfig: FuzzTarget<{ text: string; file: string }, ReturnType<typeof parseExperimentConfigText>> = {
  name: 'experiment config',
  inputs: () => experimentInput,
  run: (i) => {
    // the yaml package warns (process.emitWarning) about unknown directives; keep the output readable
    const warn = process.emitWarning;
    process.emitWarning = () => undefined;
    try {
      return parseExperimentConfigText(i.text, i.file);
    } finally {
      process.emitWarning = warn;
    }
  },
  check: (v) => {
    // seeds: a count or an explicit list
    const seeds = Array.isArray(v.seeds) ? v.seeds.every((s: unknown) => Number.isSafeInteger(s)) : Number.isSafeInteger(v.seeds);
    return typeof v.name === 'string' && seeds && v.methods.length > 0 ? null : 'name, seeds or methods missing';
  },
};

const TRAIN_BASES = [
  {},
  {
    task: { kind: 'blobs', classes: 3, features: 4, trainSize: 64, testSize: 16 },
    model: { hidden: [8, 8], density: 0.5 },
    epochs: 2,
    seed: 1,
  },
  {
    task: { kind: 'dataset', data: { kind: 'npy', path: 'x.npy', labels: 'y.npy' } },
    model: { hidden: [4], density: [0.5, 1] },
    optimizer: { kind: 'sgd', lr: 0.1 },
  },
];

const trainConfig: FuzzTarget<unknown, ReturnType<typeof resolveTrainConfig>> = {
  name: 'train config',
  inputs: () =>
    fc.oneof(
      { arbitrary: mutatedJson(TRAIN_BASES), weight: 8 },
      fc.tuple(fc.constantFrom(...TRAIN_BASES), deepEdit).map(([v, e]) => e(v)),
    ),
  run: (v) => resolveTrainConfig(v),
  check: (c) => (c.model.hidden.every(isSafe) && Number.isSafeInteger(c.epochs) ? null : 'hidden or epochs not integers'),
};

const DATASET_BASES = [
  { kind: 'mnist', validation: 0.1 },
  { kind: 'fashion-mnist' },
  { kind: 'csv', path: 'iris.csv', label: 'species', labelMap: 'sorted', test: 0.2 },
  { kind: 'npy', path: 'x.npy', labels: 'y.npy', classes: 3 },
  { kind: 'embeddings', path: 'e.safetensors', tensor: 'emb', labels: 'l.txt', labelMap: { a: 0, b: 1 } },
];

const datasetSpec: FuzzTarget<unknown, ReturnType<typeof parseDatasetSpec>> = {
  name: 'dataset spec',
  inputs: () =>
    fc.oneof(
      { arbitrary: mutatedJson(DATASET_BASES), weight: 8 },
      fc.tuple(fc.constantFrom(...DATASET_BASES), deepEdit).map(([v, e]) => e(v)),
    ),
  run: (v) => parseDatasetSpec(v),
  check: (s) => (typeof s.kind === 'string' ? null : 'no kind'),
};

// ---- CLI arguments -----------------------------------------------------------------------------

const COMMAND_NAMES = [
  'demo',
  'train',
  'eval',
  'inspect',
  'prune',
  'sparse-expand',
  'neurons',
  'ablate',
  'run',
  'report',
  'reproduce',
  'doctor',
];
const FLAGS = OPTIONS.flatMap((o) => [`--${o.long}`, ...(o.short ? [`-${o.short}`] : [])]);
const VALUES = [...NASTY_TEXTS, '-1', '-0.1', '-5,3', '64,64', '1,,2', 'a', 'true', 'x.yaml', ...OPTIONS.flatMap((o) => o.choices ?? [])];
const token = fc.oneof(
  { arbitrary: fc.constantFrom(...FLAGS), weight: 4 },
  { arbitrary: fc.constantFrom(...VALUES), weight: 4 },
  { arbitrary: fc.tuple(fc.constantFrom(...FLAGS), fc.constantFrom(...VALUES)).map(([f, v]) => `${f}=${v}`), weight: 3 },
  { arbitrary: fc.constantFrom('--', '-', '--no-seed', '--unknown', '-zz', '---x', '--seed.x', '--__proto__', '--constructor'), weight: 1 },
  { arbitrary: fc.string({ maxLength: 6 }), weight: 1 },
);
const argvInput = fc.tuple(fc.oneof(fc.constantFrom(...COMMAND_NAMES), fc.string({ maxLength: 5 })), fc.array(token, { maxLength: 8 }));

const cliArguments: FuzzTarget<[string, string[]], ReturnType<typeof readCommandLine>> = {
  name: 'CLI arguments',
  inputs: () => argvInput,
  run: ([command, tokens]) => {
    // cac prints --help and --version with console.info; keep the fuzz output readable
    const info = console.info;
    console.info = () => undefined;
    try {
      return readCommandLine(joinNegativeValues(['node', 'widen', command, ...tokens]));
    } finally {
      console.info = info;
    }
  },
  check: (line) => {
    if (line === null) return null;
    for (const [long, value] of line.options) {
      const spec = OPTIONS.find((o) => o.long === long && o.commands.includes(line.command));
      if (spec === undefined) return `--${long} is not an option of ${line.command}`;
      const ok = {
        boolean: typeof value === 'boolean',
        string: typeof value === 'string',
        number: typeof value === 'number' && Number.isFinite(value),
        integer: Number.isInteger(value),
        list: Array.isArray(value) && value.every(Number.isInteger),
      }[spec.type];
      if (!ok) return `--${long} read as ${JSON.stringify(value)}, not a ${spec.type}`;
      if (spec.choices && !spec.choices.includes(String(value))) return `--${long} ${value} is not one of its choices`;
    }
    return null;
  },
  named: (err) => err instanceof Error && err.name === 'CACError',
};

/** Every fuzz target, in the order of the README's table. */
export const FUZZ_TARGETS: FuzzTarget[] = [
  safetensors,
  checkpoint,
  expanded,
  npy,
  idx,
  idxGz,
  csv,
  embeddings,
  textLabels,
  experimentConfig,
  trainConfig,
  datasetSpec,
  cliArguments,
];
