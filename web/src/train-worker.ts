// The playground's training thread: the wasm engine runs here, never on the page's main thread
// (the engine's thread pool waits with Atomics.wait, which a page's main thread may not do).
// When the page is cross-origin isolated, a second kernel thread runs in a nested worker. The
// engine's pool blocks in Atomics.wait until that thread is up, and a nested worker may not start
// while its parent blocks, so the nested worker is started (and has answered) before the engine
// is created; startThread then only posts it the shared memory, which it takes without our help.

import {
  type BooleanTask,
  backendId,
  clauseCoverage,
  createEngine,
  createOptimizer,
  createPlatform,
  type Dataset,
  type Engine,
  encodeCheckpoint,
  encodeSafetensors,
  evaluate,
  expectedCollisions,
  hiddenPreActivations,
  type KernelThread,
  type KernelThreadInit,
  type LossName,
  MLP,
  makeBooleanTask,
  type Optimizer,
  Rng,
  splitNeurons,
  torchStateDict,
  trainStep,
  wassersteinToNormal,
} from 'widen';
import wasmUrl from '../../build/widen.wasm?url';
import relaxedWasmUrl from '../../build/widen-relaxed.wasm?url';
import type { CurvePoint, DroppedData, FromWorker, NeuronViews, RunSettings, ToWorker } from './protocol.js';

const post = (m: FromWorker, transfer: Transferable[] = []): void => (self as unknown as Worker).postMessage(m, transfer);

interface Arm {
  model: MLP;
  optimizer: Optimizer;
}

interface Run {
  settings: RunSettings;
  dataName: string | null;
  train: Dataset;
  test: Dataset;
  features: number;
  loss: LossName;
  clauses: BooleanTask['clauses'] | null;
  fpe: Arm;
  /** The unsplit model, trained on beside the split one from the split on. */
  twin: Arm | null;
  step: number;
  running: boolean;
  /** Random-split prediction made just before the split, and what was measured after it. */
  atSplit: { measured: number; predicted: number } | null;
  perm: { epoch: number; order: Int32Array } | null;
  batchX: Float32Array;
  batchY: Int32Array | Float32Array;
}

let engine: Engine | null = null;
let run: Run | null = null;
let wanted: (port: MessagePort | null) => void = () => undefined;
/** A port to a kernel worker the page started (already running), when the page is cross-origin isolated. */
const kernelPort = new Promise<MessagePort | null>((done) => {
  wanted = done;
});
const ready = (async () => {
  const kernels = await WebAssembly.compileStreaming(fetch(wasmUrl));
  // the relaxed-SIMD build (fused multiply-add) runs where this browser validates it; else the plain one
  const relaxedKernels = await fetch(relaxedWasmUrl)
    .then((r) => (r.ok ? r.arrayBuffer() : undefined))
    .catch(() => undefined);
  const isolated = self.crossOriginIsolated === true;
  const port = isolated ? await kernelPort : null;
  const startThread = port
    ? (init: KernelThreadInit): KernelThread => {
        port.postMessage(init);
        return { terminate: () => port.postMessage('stop') };
      }
    : undefined;
  const platform = createPlatform({
    kernels,
    ...(relaxedKernels ? { relaxedKernels } : {}),
    ...(startThread ? { startThread, cores: 2 } : {}),
  });
  engine = createEngine({ platform, backend: 'wasm', threads: port ? 2 : 1 });
  post({ type: 'ready', threads: engine.backend.threads, isolated, backend: backendId(engine.backend) });
})();

self.onmessage = (e: MessageEvent<ToWorker>) => {
  if (e.data.type === 'init') {
    wanted(e.data.kernelPort);
    return;
  }
  ready
    .then(() => handle(e.data))
    .catch((err: unknown) => post({ type: 'error', message: String((err as Error)?.message ?? err), step: run?.step ?? 0 }));
};

function handle(msg: ToWorker): void {
  if (msg.type === 'init') return;
  if (msg.type === 'start') start(msg.settings, msg.data);
  else if (msg.type === 'pause') {
    if (run) run.running = false;
  } else if (msg.type === 'split') {
    if (run && run.twin === null) {
      doSplit(run);
      run.settings.splitAt = run.step;
      sendProgress(run, []);
      sendViews(run);
    }
  } else if (msg.type === 'export') exportModel(msg.what);
  else if (msg.type === 'bench') bench(msg.steps);
}

/** Same settings but the step count: the run continues; anything else starts over from step 0. */
function sameRun(a: RunSettings, b: RunSettings): boolean {
  return JSON.stringify({ ...a, steps: 0 }) === JSON.stringify({ ...b, steps: 0 });
}

function start(settings: RunSettings, data?: DroppedData): void {
  const dataName = data?.name ?? null;
  if (run && sameRun(run.settings, settings) && run.dataName === dataName && run.step <= settings.steps) {
    run.settings.steps = settings.steps;
  } else {
    dispose();
    run = create(settings, data);
  }
  run.running = true;
  sendProgress(run, [...measure(run)]);
  loop(run);
}

function create(settings: RunSettings, data?: DroppedData): Run {
  const s = { ...settings };
  let train: Dataset;
  let test: Dataset;
  let features: number;
  let outputs: number;
  let loss: LossName;
  let clauses: BooleanTask['clauses'] | null = null;
  if (data) {
    // a dropped set: shuffled by the seed, 80% train / 20% test
    const order = permutation(data.size, new Rng(s.seed).fork(7));
    const cut = Math.max(1, Math.floor(data.size * 0.8));
    const take = (idx: Int32Array): Dataset => {
      const x = new Float32Array(idx.length * data.features);
      const y = new Int32Array(idx.length);
      idx.forEach((r, i) => {
        x.set(data.x.subarray(r * data.features, (r + 1) * data.features), i * data.features);
        y[i] = data.y[r];
      });
      return { x, y, size: idx.length, features: data.features, classes: data.classes };
    };
    train = take(order.subarray(0, cut));
    test = take(order.subarray(cut).length > 0 ? order.subarray(cut) : order.subarray(0, cut));
    features = data.features;
    outputs = data.classes;
    loss = 'cross-entropy';
  } else {
    const task = makeBooleanTask({ mode: s.mode, n: s.n, m: s.m, k: s.k, trainSize: s.trainSize, testSize: s.testSize, seed: s.seed });
    train = task.train;
    test = task.test;
    features = s.n;
    outputs = task.outputs;
    loss = task.loss;
    clauses = task.clauses;
  }
  const model = MLP.create({ sizes: [features, s.h, outputs], activation: 'relu', seed: s.seed }, engine!);
  const optimizer = createOptimizer(model, { kind: s.optimizer, lr: s.lr });
  const batch = Math.min(s.batch, train.size);
  return {
    settings: s,
    dataName: data?.name ?? null,
    train,
    test,
    features,
    loss,
    clauses,
    fpe: { model, optimizer },
    twin: null,
    step: 0,
    running: false,
    atSplit: null,
    perm: null,
    batchX: new Float32Array(batch * features),
    batchY:
      train.y instanceof Int32Array
        ? new Int32Array(batch * (train.y.length / train.size))
        : new Float32Array(batch * (train.y.length / train.size)),
  };
}

function permutation(size: number, rng: Rng): Int32Array {
  const order = Int32Array.from({ length: size }, (_, i) => i);
  for (let i = size - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** The batch of step t: a function of (seed, t) only, so a replay from the URL sees the same batches. */
function batchAt(r: Run, t: number): Dataset {
  const b = r.batchX.length / r.features;
  const perEpoch = Math.max(1, Math.floor(r.train.size / b));
  const epoch = Math.floor(t / perEpoch);
  if (r.perm?.epoch !== epoch) r.perm = { epoch, order: permutation(r.train.size, new Rng(r.settings.seed).fork(1000 + epoch)) };
  const yWidth = r.train.y.length / r.train.size;
  const offset = (t % perEpoch) * b;
  for (let i = 0; i < b; i++) {
    const row = r.perm.order[offset + i];
    r.batchX.set(r.train.x.subarray(row * r.features, (row + 1) * r.features), i * r.features);
    r.batchY.set(r.train.y.subarray(row * yWidth, (row + 1) * yWidth), i * yWidth);
  }
  return { x: r.batchX, y: r.batchY, size: b, features: r.features, classes: r.train.classes };
}

function doSplit(r: Run): void {
  const before = r.fpe;
  const hiddenBefore = before.model.layers[0].outFeatures;
  const predicted =
    r.clauses === null
      ? null
      : expectedCollisions(before.model.layers[0].mask(), hiddenBefore, r.features, r.clauses, r.settings.alpha).meanPerChild;
  const out = splitNeurons(
    before.model,
    { alpha: r.settings.alpha, strategy: r.settings.strategy, seed: r.settings.seed, ...(r.clauses ? { clauses: r.clauses } : {}) },
    before.optimizer,
  );
  r.twin = before;
  r.fpe = { model: out.model, optimizer: out.optimizer! };
  const hiddenAfter = out.model.layers[0].outFeatures;
  if (predicted !== null && r.clauses !== null) {
    r.atSplit = { predicted, measured: clauseCoverage(out.model.layers[0].mask(), hiddenAfter, r.features, r.clauses).collisionsPerUnit };
  }
  post({ type: 'split', step: r.step, nnzBefore: out.nnzBefore, nnzAfter: out.model.nnz(), hiddenBefore, hiddenAfter });
}

function* measure(r: Run): Generator<CurvePoint> {
  const arms: [CurvePoint['model'], Arm | null][] = [
    ['fpe', r.fpe],
    ['dense twin', r.twin],
  ];
  for (const [name, arm] of arms) {
    if (arm === null) continue;
    const tr = evaluate(arm.model, r.train, r.loss);
    const te = evaluate(arm.model, r.test, r.loss);
    yield { step: r.step, model: name, loss: tr.loss, trainAcc: tr.accuracy, testAcc: te.accuracy };
  }
}

function sendProgress(r: Run, points: CurvePoint[]): void {
  post({
    type: 'progress',
    step: r.step,
    points,
    nnz: r.fpe.model.nnz(),
    twinNnz: r.twin?.model.nnz() ?? null,
    hidden: r.fpe.model.layers[0].outFeatures,
    running: r.running,
  });
}

/** Steps in slices of ~40 ms, yielding between them so that pause and split messages get in. */
function loop(r: Run): void {
  const slice = (): void => {
    if (run !== r || !r.running) return;
    const t0 = performance.now();
    const points: CurvePoint[] = [];
    try {
      while (r.step < r.settings.steps && performance.now() - t0 < 40) {
        if (r.step === r.settings.splitAt && r.twin === null) doSplit(r);
        const batch = batchAt(r, r.step);
        trainStep(r.fpe.model, r.fpe.optimizer, batch, r.loss);
        if (r.twin) trainStep(r.twin.model, r.twin.optimizer, batch, r.loss);
        r.step++;
        if (r.step % 10 === 0 || r.step === r.settings.steps) points.push(...measure(r));
      }
    } catch (err) {
      r.running = false;
      sendProgress(r, points);
      post({ type: 'error', message: (err as Error).message, step: r.step });
      return;
    }
    const finished = r.step >= r.settings.steps;
    if (finished) r.running = false;
    sendProgress(r, points);
    if (finished || points.length > 0) sendViews(r);
    if (finished) post({ type: 'done', step: r.step });
    else setTimeout(slice, 0);
  };
  slice();
}

let lastViews = 0;
function sendViews(r: Run): void {
  const now = performance.now();
  if (r.running && now - lastViews < 500) return;
  lastViews = now;
  post({ type: 'views', views: views(r) });
}

const HIST_BINS = 24;

function views(r: Run): NeuronViews | null {
  const model = r.fpe.model;
  const units = model.layers[0].outFeatures;
  const size = Math.min(r.test.size, 2048);
  const data: Dataset = { ...r.test, x: r.test.x.subarray(0, size * r.features), size };
  const pre = hiddenPreActivations(model, data);
  const histograms: NeuronViews['histograms'] = [];
  const wasserstein: number[] = [];
  for (let u = 0; u < units; u++) {
    const v = pre.subarray(u * size, (u + 1) * size);
    wasserstein.push(wassersteinToNormal(v));
    let lo = Infinity;
    let hi = -Infinity;
    for (const a of v) {
      lo = Math.min(lo, a);
      hi = Math.max(hi, a);
    }
    const counts = new Array<number>(HIST_BINS).fill(0);
    const w = hi > lo ? (hi - lo) / HIST_BINS : 1;
    for (const a of v) counts[Math.min(HIST_BINS - 1, Math.floor((a - lo) / w))]++;
    histograms.push({ lo, hi, counts });
  }
  const mask = model.layers[0].mask();
  const clauses = r.clauses ?? [];
  const coverage = new Uint8Array(units * clauses.length);
  for (let u = 0; u < units; u++)
    clauses.forEach((c, a) => {
      coverage[u * clauses.length + a] = c.vars.every((v) => mask[u * r.features + v] !== 0) ? 1 : 0;
    });
  const collisionsNow = r.clauses ? clauseCoverage(mask, units, r.features, r.clauses).collisionsPerUnit : 0;
  const collisionsPredicted =
    r.clauses && r.twin === null ? expectedCollisions(mask, units, r.features, r.clauses, r.settings.alpha).meanPerChild : null;
  return { units, clauses: clauses.length, coverage, histograms, wasserstein, collisionsNow, collisionsPredicted, atSplit: r.atSplit };
}

function exportModel(what: 'checkpoint' | 'torch'): void {
  if (!run) return;
  const { model, optimizer } = run.fpe;
  let bytes: Uint8Array;
  let name: string;
  if (what === 'checkpoint') {
    bytes = encodeCheckpoint({ model, optimizer, config: { playground: run.settings, data: run.dataName }, step: run.step });
    name = 'widen-playground.safetensors';
  } else {
    // nn.Sequential(Linear, ReLU, Linear, ...): Linear i sits at index 2i (the names widen export --format torch writes)
    bytes = encodeSafetensors(torchStateDict(model), { format: 'pt', activation: model.activation });
    name = 'widen-playground-torch.safetensors';
  }
  post({ type: 'file', name, bytes }, [bytes.buffer]);
}

/** Times `steps` training steps of the current run's FPE model (no evaluation), for `npm run bench`. */
function bench(steps: number): void {
  if (!run) return;
  const r = run;
  for (let t = 0; t < 5; t++) trainStep(r.fpe.model, r.fpe.optimizer, batchAt(r, t), r.loss);
  const t0 = performance.now();
  for (let t = 0; t < steps; t++) trainStep(r.fpe.model, r.fpe.optimizer, batchAt(r, t), r.loss);
  post({ type: 'bench', msPerStep: (performance.now() - t0) / steps });
}

function dispose(): void {
  if (!run) return;
  run.running = false;
  run.fpe.model.dispose();
  run.twin?.model.dispose();
  run = null;
}
