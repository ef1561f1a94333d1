// The FPE playground (/): a Boolean task (or a dropped CSV/npy set) trained by the wasm engine in a
// Web Worker, with a Split button that applies Fixed Parameter Expansion while a dense twin trains on.

import { html, LitElement, type PropertyValues, svg } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import {
  BOOLEAN_MODES,
  type BooleanMode,
  decodeNpy,
  KERNEL_THREAD_SOURCE,
  OPTIMIZERS,
  type OptimizerKind,
  parseCsv,
  resolveBooleanOptions,
  SPLIT_STRATEGIES,
  type SplitStrategy,
  WidenError,
} from 'widen';
import { draw, lineSpec } from './figures.js';
import {
  type CurvePoint,
  DEFAULT_SETTINGS,
  type DroppedData,
  type FromWorker,
  type NeuronViews,
  type RunSettings,
  type ToWorker,
} from './protocol.js';

const NUMBER_FIELDS = ['n', 'm', 'k', 'trainSize', 'testSize', 'seed', 'h', 'alpha', 'lr', 'batch', 'steps'] as const;
type NumberField = (typeof NUMBER_FIELDS)[number];
const STRATEGIES = SPLIT_STRATEGIES.filter((s) => s !== 'overlap');
/** Neurons whose histograms are drawn (all are measured; the list says how many are shown). */
const SHOWN_UNITS = 32;

/** Settings from a query string; unknown keys are ignored and missing ones take the defaults. */
export function settingsFromQuery(query: string): RunSettings {
  const q = new URLSearchParams(query);
  const s: RunSettings = { ...DEFAULT_SETTINGS };
  for (const f of [...NUMBER_FIELDS, 'splitAt'] as const) {
    const v = q.get(f);
    if (v !== null && v.trim() !== '' && Number.isFinite(Number(v))) s[f] = Number(v);
  }
  const mode = q.get('mode');
  if (mode && (BOOLEAN_MODES as readonly string[]).includes(mode)) s.mode = mode as BooleanMode;
  const strategy = q.get('strategy');
  if (strategy && (STRATEGIES as readonly string[]).includes(strategy)) s.strategy = strategy as SplitStrategy;
  const opt = q.get('optimizer');
  if (opt && (OPTIMIZERS as readonly string[]).includes(opt)) s.optimizer = opt as OptimizerKind;
  return s;
}

export function queryFromSettings(s: RunSettings): string {
  return new URLSearchParams(Object.entries(s).map(([k, v]) => [k, String(v)])).toString();
}

/** Field name -> problem, for the messages shown beside the fields. */
export function validate(s: RunSettings): Partial<Record<NumberField | 'mode', string>> {
  const errors: Partial<Record<NumberField | 'mode', string>> = {};
  try {
    resolveBooleanOptions({ mode: s.mode, n: s.n, m: s.m, k: s.k, trainSize: s.trainSize, testSize: s.testSize, seed: s.seed });
  } catch (err) {
    if (!(err instanceof WidenError)) throw err;
    const field = String(err.details.where ?? '').replace(/^boolean\./, '') as NumberField;
    errors[(NUMBER_FIELDS as readonly string[]).includes(field) ? field : 'mode'] = err.message;
  }
  if (!Number.isInteger(s.h) || s.h < 1) errors.h = `h must be an integer >= 1 (hidden neurons), got ${s.h}`;
  if (!Number.isInteger(s.alpha) || s.alpha < 2) errors.alpha = `α must be an integer >= 2 (children per neuron), got ${s.alpha}`;
  if (!(s.lr > 0) || !Number.isFinite(s.lr)) errors.lr = `the learning rate must be a number > 0, got ${s.lr}`;
  if (!Number.isInteger(s.batch) || s.batch < 1) errors.batch = `the batch size must be an integer >= 1, got ${s.batch}`;
  if (!Number.isInteger(s.steps) || s.steps < 1) errors.steps = `steps must be an integer >= 1, got ${s.steps}`;
  return errors;
}

/** Bytes the run needs, roughly: data, both models with gradients and optimizer state, and work buffers. */
export function memoryEstimate(s: RunSettings, data: DroppedData | null): number {
  const inputs = data?.features ?? s.n;
  const outputs = data?.classes ?? (s.mode === 'dnf' ? 1 : s.m);
  const samples = data?.size ?? s.trainSize + s.testSize;
  const params = inputs * s.h + s.h + s.h * outputs + outputs;
  const perParam = 4 * (s.optimizer === 'sgd' ? 3 : 4); // value, gradient, optimizer state
  const models = 2 * params * perParam + s.alpha * s.h * 8; // the split model and its dense twin
  const dataBytes = samples * (inputs + outputs) * 4;
  const work = 4 * 3 * (Math.max(s.batch, 1024) * (inputs + s.alpha * s.h + outputs)); // training and evaluation batches
  const views = 4 * s.alpha * s.h * Math.min(s.testSize, 2048);
  return models + dataBytes + work + views;
}

/** Starts a worker that runs KERNEL_THREAD_SOURCE on the first message of the returned port (a 'stop' message ends it). */
function kernelWorkerPort(): MessagePort {
  const source = `onmessage = (e) => { const port = e.data; port.onmessage = (m) => { if (m.data === 'stop') { close(); return; } port.onmessage = null; (${KERNEL_THREAD_SOURCE})(m.data); }; };`;
  const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
  const channel = new MessageChannel();
  worker.postMessage(channel.port2, [channel.port2]);
  return channel.port1;
}

const mb = (b: number): string =>
  b < 1e6 ? `${(b / 1e3).toFixed(1)} kB` : b < 1e9 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e9).toFixed(2)} GB`;

export class WidenPlayground extends LitElement {
  static override properties = {
    settings: { state: true },
    status: { state: true },
    curves: { state: true },
    views: { state: true },
    error: { state: true },
    data: { state: true },
  };

  settings: RunSettings = settingsFromQuery(location.search);
  status = { threads: 0, isolated: false, step: 0, nnz: 0, twinNnz: null as number | null, hidden: 0, running: false, ready: false };
  curves: CurvePoint[] = [];
  views: NeuronViews | null = null;
  error = '';
  data: DroppedData | null = null;
  private worker: Worker | null = null;
  private splitNote = '';
  private benchDone: ((ms: number) => void) | null = null;

  /** Milliseconds per training step of the current run's model in the worker (no evaluation); used by the browser case of `npm run bench` (bench/browser.ts). */
  bench(steps: number): Promise<number> {
    return new Promise((done) => {
      this.benchDone = done;
      this.send({ type: 'bench', steps });
    });
  }

  protected override createRenderRoot(): HTMLElement {
    return this; // light DOM: the page's stylesheet applies and tests can find the elements
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.worker = new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.onWorker(e.data);
    // a second kernel thread when the page is cross-origin isolated (unless ?threads=1, the bench's
    // setting): a worker started here, already running when the engine's pool waits for it, reached
    // by the training worker through a MessageChannel of its own
    const port = crossOriginIsolated && new URLSearchParams(location.search).get('threads') !== '1' ? kernelWorkerPort() : null;
    this.worker.postMessage({ type: 'init', kernelPort: port } satisfies ToWorker, port ? [port] : []);
    this.worker.onerror = (e) => {
      this.error = `the training worker failed: ${e.message}`;
    };
    // a pasted link replays its run
    if (new URLSearchParams(location.search).has('steps')) this.train();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.worker?.terminate();
  }

  private send(m: ToWorker): void {
    this.worker?.postMessage(m);
  }

  private onWorker(m: FromWorker): void {
    if (m.type === 'ready') this.status = { ...this.status, threads: m.threads, isolated: m.isolated, ready: true };
    else if (m.type === 'progress') {
      this.status = { ...this.status, step: m.step, nnz: m.nnz, twinNnz: m.twinNnz, hidden: m.hidden, running: m.running };
      if (m.points.length > 0)
        this.curves = [...this.curves.filter((p) => p.step < m.points[0].step || p.step > m.points.at(-1)!.step), ...m.points];
      if (!m.running) this.syncUrl(m.step);
    } else if (m.type === 'views') this.views = m.views;
    else if (m.type === 'split') {
      this.settings = { ...this.settings, splitAt: m.step };
      this.splitNote = `split at step ${m.step}: ${m.hiddenBefore} → ${m.hiddenAfter} neurons, non-zeros ${m.nnzBefore} → ${m.nnzAfter}`;
      this.syncUrl(this.status.step);
    } else if (m.type === 'error') {
      this.error = m.message;
      this.status = { ...this.status, running: false };
    } else if (m.type === 'done') this.syncUrl(m.step);
    else if (m.type === 'bench') this.benchDone?.(m.msPerStep);
    else if (m.type === 'file') {
      const url = URL.createObjectURL(new Blob([m.bytes as BlobPart], { type: 'application/octet-stream' }));
      const a = Object.assign(document.createElement('a'), { href: url, download: m.name });
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    }
  }

  /** The URL holds the whole state: the settings with `steps` = the step reached. */
  private syncUrl(step: number): void {
    if (this.data) return; // a dropped file is not in the link
    const s = { ...this.settings, steps: Math.max(step, 1) };
    history.replaceState(null, '', `?${queryFromSettings(s)}`);
  }

  private train(): void {
    if (Object.keys(validate(this.settings)).length > 0) return;
    this.error = '';
    this.status = { ...this.status, running: true };
    this.send({ type: 'start', settings: { ...this.settings }, ...(this.data ? { data: this.data } : {}) });
  }

  private reset(): void {
    this.settings = { ...this.settings, splitAt: -1 };
    this.curves = [];
    this.views = null;
    this.splitNote = '';
    this.status = { ...this.status, step: 0 };
    this.train();
  }

  private set(field: keyof RunSettings, value: string): void {
    const numeric = (NUMBER_FIELDS as readonly string[]).includes(field);
    if (field === 'steps') {
      this.settings = { ...this.settings, steps: Number(value) };
      return;
    }
    // any other change starts a new run
    this.settings = { ...this.settings, [field]: numeric ? Number(value) : value, splitAt: -1 };
    this.curves = [];
    this.views = null;
    this.splitNote = '';
    this.status = { ...this.status, step: 0, twinNnz: null };
  }

  private async drop(file: File): Promise<void> {
    try {
      let data: DroppedData;
      if (file.name.toLowerCase().endsWith('.npy')) {
        const a = decodeNpy(new Uint8Array(await file.arrayBuffer()), file.name);
        if (a.shape.length !== 2 || a.shape[1] < 2)
          throw new Error(
            `${file.name}: expected a 2-D array [samples, features + 1] whose last column is the class, got [${a.shape.join(', ')}]`,
          );
        const [size, cols] = a.shape;
        const x = new Float32Array(size * (cols - 1));
        const y = new Int32Array(size);
        for (let i = 0; i < size; i++) {
          for (let j = 0; j < cols - 1; j++) x[i * (cols - 1) + j] = Number(a.data[i * cols + j]);
          y[i] = Number(a.data[i * cols + cols - 1]);
        }
        const classes = Math.max(...y) + 1;
        if (Math.min(...y) < 0 || !y.every(Number.isInteger)) throw new Error(`${file.name}: the last column must hold class indices >= 0`);
        data = { name: file.name, x, y, size, features: cols - 1, classes };
      } else {
        const text = await file.text();
        const header = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
        const label = header.split(',').at(-1)!.trim().replace(/^"|"$/g, '');
        const csv = parseCsv(text, file.name, { label, labelMap: 'sorted' });
        data = { name: file.name, x: csv.x, y: csv.y, size: csv.size, features: csv.features, classes: csv.classes };
      }
      this.data = data;
      this.error = '';
      this.settings = { ...this.settings, strategy: this.settings.strategy === 'clause' ? 'random' : this.settings.strategy, splitAt: -1 };
      this.curves = [];
      this.views = null;
      this.status = { ...this.status, step: 0 };
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('status')) document.title = `widen playground · step ${this.status.step}`;
  }

  override render() {
    const s = this.settings;
    const errors = validate(s);
    const field = (name: NumberField, label: string, step = '1') => html`
      <label class="field ${errors[name] ? 'bad' : ''}">
        <span>${label}</span>
        <input name=${name} type="number" step=${step} .value=${String(s[name])} @change=${(e: Event) => this.set(name, (e.target as HTMLInputElement).value)} />
        ${errors[name] ? html`<small class="error" data-for=${name}>${errors[name]}</small>` : ''}
      </label>`;
    const select = (name: 'mode' | 'strategy' | 'optimizer', label: string, options: readonly string[]) => html`
      <label class="field ${name === 'mode' && errors.mode ? 'bad' : ''}">
        <span>${label}</span>
        <select name=${name} @change=${(e: Event) => this.set(name, (e.target as HTMLSelectElement).value)}>
          ${options.map((o) => html`<option value=${o} ?selected=${s[name] === o}>${o}</option>`)}
        </select>
        ${name === 'mode' && errors.mode ? html`<small class="error" data-for="mode">${errors.mode}</small>` : ''}
      </label>`;
    const st = this.status;
    const bad = Object.keys(errors).length > 0;
    const last = (model: string) => this.curves.filter((p) => p.model === model).at(-1);
    const fpe = last('fpe');
    const twin = last('dense twin');
    return html`
      <header>
        <h1>widen playground</h1>
        <nav><a href="./runs/">runs dashboard</a></nav>
        <p class="threads" id="threads">
          ${st.ready ? `engine: ${st.threads} thread${st.threads === 1 ? '' : 's'} (wasm, in a Web Worker; ${st.isolated ? 'the page is cross-origin isolated' : 'the page is not cross-origin isolated, so no shared memory: 1 thread'})` : 'loading the engine…'}
        </p>
      </header>
      <main>
        <form class="settings" @submit=${(e: Event) => e.preventDefault()}>
          <fieldset>
            <legend>${this.data ? `data: ${this.data.name} (${this.data.size} × ${this.data.features}, ${this.data.classes} classes)` : 'Boolean task'}</legend>
            ${
              this.data
                ? html`<button type="button" @click=${() => {
                    this.data = null;
                    this.status = { ...this.status, step: 0 };
                  }}>back to the Boolean task</button>`
                : html`${select('mode', 'mode', BOOLEAN_MODES)} ${field('n', 'n (variables)')} ${field('m', 'm (clauses)')} ${field('k', 'k (literals)')}
                ${field('trainSize', 'train samples')} ${field('testSize', 'test samples')}`
            }
            ${field('seed', 'seed')}
          </fieldset>
          <fieldset>
            <legend>model and training</legend>
            ${field('h', 'h (hidden)')} ${field('alpha', 'α (children)')}
            ${select('strategy', 'split strategy', this.data ? STRATEGIES.filter((x) => x !== 'clause') : STRATEGIES)}
            ${select('optimizer', 'optimizer', OPTIMIZERS)} ${field('lr', 'learning rate', 'any')} ${field('batch', 'batch')}
            ${field('steps', 'steps')}
          </fieldset>
          <p class="memory" id="memory">memory estimate: ${mb(memoryEstimate(s, this.data))} (no fixed size limit; bounded by this device's memory)</p>
          <div class="buttons">
            <button id="train" type="button" ?disabled=${bad || st.running || !st.ready} @click=${() => this.train()}>Train</button>
            <button id="pause" type="button" ?disabled=${!st.running} @click=${() => this.send({ type: 'pause' })}>Pause</button>
            <button id="split" type="button" ?disabled=${st.step === 0 || s.splitAt >= 0} @click=${() => this.send({ type: 'split' })}>Split (FPE)</button>
            <button id="reset" type="button" ?disabled=${bad || !st.ready} @click=${() => this.reset()}>Restart</button>
            <button id="dl-checkpoint" type="button" ?disabled=${st.step === 0} @click=${() => this.send({ type: 'export', what: 'checkpoint' })}>widen checkpoint</button>
            <button id="dl-torch" type="button" ?disabled=${st.step === 0} @click=${() => this.send({ type: 'export', what: 'torch' })}>PyTorch safetensors</button>
          </div>
          <label class="drop" @dragover=${(e: DragEvent) => e.preventDefault()} @drop=${(e: DragEvent) => {
            e.preventDefault();
            const f = e.dataTransfer?.files[0];
            if (f) void this.drop(f);
          }}>
            Drop a CSV (header line; last column = class) or .npy ([samples, features + 1]) here, or
            <input id="file" type="file" accept=".csv,.npy" @change=${(e: Event) => {
              const f = (e.target as HTMLInputElement).files?.[0];
              if (f) void this.drop(f);
            }} />
            — it is read in this page by widen's codecs; nothing is uploaded.
          </label>
        </form>
        ${this.error ? html`<p class="run-error" id="run-error" role="alert">stopped: ${this.error}</p>` : ''}
        <section class="status" id="status">
          <span>step <b id="step">${st.step}</b>${st.running ? ' (training…)' : ''}</span>
          <span>hidden <b id="hidden">${st.hidden}</b></span>
          <span>non-zeros <b id="nnz">${st.nnz}</b>${st.twinNnz !== null ? html` (dense twin <b id="twin-nnz">${st.twinNnz}</b>)` : ''}</span>
          <span>train accuracy <b id="train-acc">${fpe ? fpe.trainAcc.toFixed(4) : '–'}</b>${twin ? ` (twin ${twin.trainAcc.toFixed(4)})` : ''}</span>
          <span>test accuracy <b id="test-acc">${fpe ? fpe.testAcc.toFixed(4) : '–'}</b>${twin ? ` (twin ${twin.testAcc.toFixed(4)})` : ''}</span>
          ${this.splitNote ? html`<span id="split-note">${this.splitNote}</span>` : ''}
        </section>
        ${this.charts()} ${this.neuronViews()}
      </main>`;
  }

  private charts() {
    if (this.curves.length === 0) return '';
    const rows = this.curves.map((p) => ({ step: p.step, model: p.model, loss: p.loss, train: p.trainAcc, test: p.testAcc }));
    const acc = rows.flatMap((r) => [
      { step: r.step, series: `${r.model} train`, accuracy: r.train },
      { step: r.step, series: `${r.model} test`, accuracy: r.test },
    ]);
    return html`<section class="charts">
      <div class="chart" id="loss-chart">${unsafeHTML(draw(lineSpec('Training loss', rows, 'step', 'loss', 'model', { x: 'step', y: 'loss' })))}</div>
      <div class="chart" id="acc-chart">${unsafeHTML(draw(lineSpec('Accuracy', acc, 'step', 'accuracy', 'series', { x: 'step', y: 'accuracy' })))}</div>
    </section>`;
  }

  private neuronViews() {
    const v = this.views;
    if (!v) return '';
    const shown = Math.min(v.units, SHOWN_UNITS);
    return html`<section class="neurons">
      ${
        v.clauses > 0
          ? html`<div class="coverage" id="coverage">
            <h2>Clause coverage (neurons × clauses)</h2>
            <p>A cell is filled when the neuron is connected to every variable of the clause.</p>
            <div class="grid" style="grid-template-columns: 5em repeat(${v.clauses}, minmax(6px, 22px))">
              <span></span>${Array.from({ length: v.clauses }, (_, a) => html`<span class="head">c${a}</span>`)}
              ${Array.from({ length: Math.min(v.units, 64) }, (_, u) => html`<span class="head">n${u}</span>${Array.from({ length: v.clauses }, (_, a) => html`<span class="cell ${v.coverage[u * v.clauses + a] ? 'on' : ''}" title="neuron ${u}, clause ${a}: ${v.coverage[u * v.clauses + a] ? 'covered' : 'not covered'}"></span>`)}`)}
            </div>
            ${v.units > 64 ? html`<p>first 64 of ${v.units} neurons</p>` : ''}
            <p id="collisions">
              colliding clause pairs per neuron now: <b>${v.collisionsNow.toFixed(3)}</b>
              ${v.collisionsPredicted !== null ? html`; a random split by α = ${this.settings.alpha} would give <b>${v.collisionsPredicted.toFixed(3)}</b> per child (exact expectation)` : ''}
              ${v.atSplit ? html`; at the split: predicted <b>${v.atSplit.predicted.toFixed(3)}</b> (random), measured <b>${v.atSplit.measured.toFixed(3)}</b> (${this.settings.strategy})` : ''}
            </p>
          </div>`
          : ''
      }
      <div class="histograms" id="histograms">
        <h2>Pre-activations of hidden neurons (test set) and W1 distance to a Gaussian</h2>
        ${shown < v.units ? html`<p>first ${shown} of ${v.units} neurons; mean W1 ${(v.wasserstein.reduce((a, b) => a + b, 0) / v.units).toFixed(3)}</p>` : ''}
        <div class="hist-grid">
          ${v.histograms.slice(0, shown).map((h, u) => {
            const max = Math.max(...h.counts, 1);
            return html`<figure class="hist">
              <svg viewBox="0 0 ${h.counts.length} 30" preserveAspectRatio="none" role="img" aria-label="neuron ${u} histogram">
                ${h.counts.map((c, i) => svgBar(i, c / max))}
              </svg>
              <figcaption>n${u}: W1 ${v.wasserstein[u].toFixed(3)}</figcaption>
            </figure>`;
          })}
        </div>
      </div>
    </section>`;
  }
}

function svgBar(i: number, frac: number) {
  const hgt = 30 * frac;
  return svg`<rect x=${i + 0.1} y=${30 - hgt} width="0.8" height=${hgt}></rect>`;
}

customElements.define('widen-playground', WidenPlayground);
