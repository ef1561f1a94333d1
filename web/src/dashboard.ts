// The run dashboard (/runs/): the run folders given to `widen serve`, their trials, an interactive
// figure per run (choose the x axis and the metric, filter methods, hover a point for its values),
// two runs side by side, CSV/JSON downloads, and live progress of a run still writing (polling).
// The runs shown are in the URL (/runs/?run=a,b), so a link opens them; a run whose store is
// corrupt, foreign or missing opens as an error view naming it and the reason, beside the others.

import { html, LitElement } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { buildReport, type FigureSpec, reportFigures, type TrialRecord } from 'widen';
import { draw } from './figures.js';

interface RunSummary {
  id: string;
  name: string;
  trials: number | null;
  error: string | null;
  lastFinishedAt: string | null;
}

interface Trial {
  id: string;
  experiment: string;
  config: Record<string, unknown>;
  metrics: Record<string, unknown>;
  finishedAt: string;
}

interface Loaded {
  trials: Trial[];
  error: string | null;
  x: string;
  y: string;
  hidden: Set<string>;
}

const POLL_MS = 2000;
const API = new URL('../api/', location.href);
/** Runs shown side by side at most. */
const SHOWN = 2;

/** The run ids the URL asks for (?run=a,b), at most two. */
function linkedRuns(): string[] {
  const ids = new URLSearchParams(location.search).get('run')?.split(',') ?? [];
  return [...new Set(ids.filter((id) => id !== ''))].slice(-SHOWN);
}

/** Numeric leaves of a nested object, as dotted keys (metrics.testAccuracy, ...). */
export function numericLeaves(o: unknown, prefix = ''): Record<string, number> {
  const out: Record<string, number> = {};
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return out;
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, numericLeaves(v, key));
  }
  return out;
}

const methodOf = (t: Trial): string => String(t.config.method ?? t.experiment);
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#7f7f7f'];

/** The figure of one run: one dot per trial (hover: its values), colour = method. */
export function trialFigure(name: string, trials: Trial[], x: string, y: string, hidden: Set<string>): FigureSpec {
  const methods = [...new Set(trials.map(methodOf))].sort();
  const rows = trials
    .filter((t) => !hidden.has(methodOf(t)))
    .map((t) => {
      const xs = numericLeaves(t.config);
      const ys = numericLeaves(t.metrics);
      return {
        method: methodOf(t),
        x: xs[x] ?? null,
        y: ys[y] ?? null,
        tip: `${methodOf(t)} · ${x} = ${xs[x]} · ${y} = ${ys[y]} · trial ${t.id.slice(0, 8)}`,
      };
    })
    .filter((r) => r.x !== null && r.y !== null);
  return {
    kind: 'plot',
    title: `${name}: ${y} against ${x}`,
    x: { label: x, type: 'linear', inset: 10 },
    y: { label: y, type: 'linear', inset: 10 },
    color: { domain: methods, range: methods.map((_, i) => COLORS[i % COLORS.length]), legend: true },
    marks: [{ type: 'dot', data: rows, x: 'x', y: 'y', stroke: 'method', r: 4, title: 'tip' }],
    width: 520,
    height: 300,
  };
}

/** The HTML report's figures for these trials (the same FigureSpecs, drawn here), or why there are none. */
function reportSvgs(trials: Trial[]): { section: string; svg: string; caption: string }[] | string {
  try {
    const figures = reportFigures(buildReport(trials as unknown as TrialRecord[]));
    return figures.length > 0
      ? figures.map((f) => ({ section: f.section, svg: draw(f.spec), caption: f.caption }))
      : 'no report figure for these trials';
  } catch (err) {
    return `the report of these trials failed: ${(err as Error).message}`;
  }
}

export class WidenDashboard extends LitElement {
  static override properties = { runs: { state: true }, loaded: { state: true }, selected: { state: true }, error: { state: true } };
  runs: RunSummary[] = [];
  loaded = new Map<string, Loaded>();
  selected: string[] = [];
  error = '';
  private timer: ReturnType<typeof setInterval> | undefined;
  private reports = new Map<string, ReturnType<typeof reportSvgs>>();

  /** The report figures of a run with the hidden methods left out, built once per (trials, filter). */
  private reportOf(id: string, l: Loaded): ReturnType<typeof reportSvgs> {
    const key = `${id}|${l.trials.length}|${[...l.hidden].sort().join(',')}`;
    let r = this.reports.get(key);
    if (r === undefined) {
      r = reportSvgs(l.trials.filter((t) => !l.hidden.has(methodOf(t))));
      this.reports.set(key, r);
    }
    return r;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.poll(true);
    this.timer = setInterval(() => void this.poll(false), POLL_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  private async poll(first: boolean): Promise<void> {
    try {
      const res = await fetch(new URL('runs', API));
      const body = (await res.json()) as { runs: RunSummary[] };
      const before = new Map(this.runs.map((r) => [r.id, r.trials]));
      this.runs = body.runs;
      this.error = '';
      if (first) {
        const linked = linkedRuns();
        this.selected =
          linked.length > 0
            ? linked
            : this.runs
                .filter((r) => r.error === null)
                .slice(0, 1)
                .map((r) => r.id);
      }
      for (const id of this.selected) if (first || before.get(id) !== this.runs.find((r) => r.id === id)?.trials) await this.load(id);
    } catch (err) {
      this.error = `the server did not answer: ${(err as Error).message}`;
    }
  }

  private async load(id: string): Promise<void> {
    const res = await fetch(new URL(`runs/${encodeURIComponent(id)}`, API));
    const body = (await res.json()) as { trials?: Trial[]; error?: string };
    const prev = this.loaded.get(id);
    const trials = body.trials ?? [];
    const xs = Object.keys(numericLeaves(trials[0]?.config ?? {}));
    const ys = Object.keys(numericLeaves(trials[0]?.metrics ?? {}));
    const x = prev?.x ?? (xs.includes('alpha') ? 'alpha' : (xs[0] ?? ''));
    const y = prev?.y ?? ys.find((k) => /test.*acc/i.test(k)) ?? ys[0] ?? '';
    this.loaded = new Map(this.loaded).set(id, {
      trials,
      error: res.ok ? null : (body.error ?? res.statusText),
      x,
      y,
      hidden: prev?.hidden ?? new Set(),
    });
  }

  private toggle(id: string, on: boolean): void {
    this.selected = on ? [...this.selected.filter((s) => s !== id), id].slice(-SHOWN) : this.selected.filter((s) => s !== id);
    const url = new URL(location.href);
    if (this.selected.length > 0) url.searchParams.set('run', this.selected.join(','));
    else url.searchParams.delete('run');
    history.replaceState(null, '', url);
    if (on) void this.load(id);
  }

  private update1(id: string, patch: Partial<Loaded>): void {
    const l = this.loaded.get(id);
    if (l) this.loaded = new Map(this.loaded).set(id, { ...l, ...patch });
  }

  override render() {
    return html`<header>
        <h1>widen runs</h1>
        <nav><a href="../">playground</a></nav>
      </header>
      ${this.error ? html`<p class="run-error">${this.error}</p>` : ''}
      <section>
        <h2>Run folders (tick up to two to compare them side by side)</h2>
        <table id="runs">
          <thead><tr><th></th><th>run</th><th>trials</th><th>last trial finished</th><th>status</th></tr></thead>
          <tbody>
            ${this.runs.map(
              (r) => html`<tr>
                <td><input type="checkbox" .checked=${this.selected.includes(r.id)} @change=${(e: Event) => this.toggle(r.id, (e.target as HTMLInputElement).checked)} /></td>
                <td style="text-align:left">${r.name}</td>
                <td>${r.trials ?? '–'}</td>
                <td>${r.lastFinishedAt ?? '–'}</td>
                <td style="text-align:left" class=${r.error ? 'error' : ''}>${r.error ?? 'ok'}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </section>
      <section class="side-by-side">${this.selected.map((id) => this.card(id))}</section>`;
  }

  private card(id: string) {
    const run = this.runs.find((r) => r.id === id);
    const l = this.loaded.get(id);
    if (!l) return html`<div class="run-card">loading…</div>`;
    if (!run || l.error) {
      // the error view of one run: its name and the reason; the other runs are served as usual
      const name = run?.name ?? id;
      return html`<div class="run-card run-error" role="alert" data-error-run=${name}>
        <h2>${name} cannot be shown</h2>
        <p class="reason">${l.error ?? `no run '${id}' among the folders given to widen serve`}</p>
        <p>The other runs are unaffected. Check the folder: it should be the one given to <code>widen run</code>, holding its
          <code>trials.sqlite</code>.</p>
      </div>`;
    }
    const xs = [...new Set(l.trials.flatMap((t) => Object.keys(numericLeaves(t.config))))].sort();
    const ys = [...new Set(l.trials.flatMap((t) => Object.keys(numericLeaves(t.metrics))))].sort();
    const methods = [...new Set(l.trials.map(methodOf))].sort();
    const base = new URL(`runs/${encodeURIComponent(id)}`, API).href;
    return html`<div class="run-card" data-run=${run.name}>
      <h2>${run.name} · ${l.trials.length} trials</h2>
      <div class="controls">
        <label>x <select class="x-axis" @change=${(e: Event) => this.update1(id, { x: (e.target as HTMLSelectElement).value })}>
          ${xs.map((k) => html`<option ?selected=${k === l.x}>${k}</option>`)}</select></label>
        <label>y <select class="y-axis" @change=${(e: Event) => this.update1(id, { y: (e.target as HTMLSelectElement).value })}>
          ${ys.map((k) => html`<option ?selected=${k === l.y}>${k}</option>`)}</select></label>
        ${methods.map(
          (m) =>
            html`<label><input type="checkbox" .checked=${!l.hidden.has(m)} @change=${(e: Event) => {
              const hidden = new Set(l.hidden);
              if ((e.target as HTMLInputElement).checked) hidden.delete(m);
              else hidden.add(m);
              this.update1(id, { hidden });
            }} />${m}</label>`,
        )}
        <a href="${base}/trials.csv" download>CSV</a> <a href="${base}/trials.json" download>JSON</a>
      </div>
      <div class="chart figure">${unsafeHTML(draw(trialFigure(run.name, l.trials, l.x, l.y, l.hidden)))}</div>
      <div class="table-wrap">
        <table class="trials">
          <thead><tr><th>trial</th><th>method</th><th>${l.x}</th><th>${l.y}</th></tr></thead>
          <tbody>${l.trials.map((t) => {
            const c = numericLeaves(t.config);
            const m = numericLeaves(t.metrics);
            return html`<tr><td>${t.id.slice(0, 10)}</td><td>${methodOf(t)}</td><td>${c[l.x] ?? '–'}</td><td>${m[l.y]?.toPrecision(4) ?? '–'}</td></tr>`;
          })}</tbody>
        </table>
      </div>
      <details class="report-figures" open>
        <summary>The report's figures (hover a point for its values; the method filter applies)</summary>
        ${(() => {
          const r = this.reportOf(id, l);
          return typeof r === 'string'
            ? html`<p>${r}</p>`
            : r.map((f) => html`<h3>${f.section}</h3><div class="chart">${unsafeHTML(f.svg)}</div><p class="caption">${f.caption}</p>`);
        })()}
      </details>
    </div>`;
  }
}

customElements.define('widen-dashboard', WidenDashboard);
