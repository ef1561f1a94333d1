import { type Activation, BackendError, createEngine, type Engine, type Rng } from '../../src/engine/index.js';
import type { LossName, MLP } from '../../src/nn/index.js';

/** A backend to run a test on, or the reason it is skipped. */
export interface EngineCase {
  name: 'ref' | 'wasm';
  engine?: Engine;
  skip?: string;
}

let cases: EngineCase[] | undefined;

/** The ref engine, plus the wasm engine when it loads (otherwise a skip reason, printed once). */
export function engineCases(): EngineCase[] {
  if (cases !== undefined) return cases;
  cases = [{ name: 'ref', engine: createEngine({ backend: 'ref' }) }];
  try {
    cases.push({ name: 'wasm', engine: createEngine({ backend: 'wasm', threads: 1 }) });
  } catch (err) {
    if (!(err instanceof BackendError)) throw err;
    const skip = `wasm backend unavailable: ${err.message}`;
    console.log(`# ${skip}`);
    cases.push({ name: 'wasm', skip });
  }
  return cases;
}

/** A fresh ref engine (tests that count memory or want isolation). */
export function refEngine(): Engine {
  return createEngine({ backend: 'ref' });
}

/** n floats uniform in [-scale, scale). */
export function randomArray(rng: Rng, n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (2 * rng.float() - 1) * scale;
  return a;
}

/** A random mask with about `density` kept, and at least one kept entry per row. */
export function randomMask(rng: Rng, rows: number, cols: number, density: number): Uint8Array {
  const m = new Uint8Array(rows * cols);
  for (let i = 0; i < m.length; i++) m[i] = rng.float() < density ? 1 : 0;
  for (let r = 0; r < rows; r++) m[r * cols + rng.int(cols)] = 1;
  return m;
}

/** Labels [n] in [0, classes). */
export function randomLabels(rng: Rng, n: number, classes: number): Int32Array {
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = rng.int(classes);
  return y;
}

/** erf in float64 by its Taylor series (accurate to ~1e-13 for |x| < 3, the range tests use). */
export function erf64(x: number): number {
  if (Math.abs(x) >= 3) throw new Error(`erf64 is only accurate for |x| < 3, got ${x}`);
  let term = x;
  let sum = x;
  for (let k = 1; k < 80; k++) {
    term *= (-x * x) / k;
    sum += term / (2 * k + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** Activation in float64. */
export function act64(kind: Activation, v: number): number {
  if (kind === 'relu') return v > 0 ? v : 0;
  if (kind === 'gelu') return 0.5 * v * (1 + erf64(v / Math.SQRT2));
  if (kind === 'sigmoid') return 1 / (1 + Math.exp(-v));
  return v;
}

/** Dense float64 copy of an MLP's parameters: per layer W [out, in] and b [out]. */
export interface Params64 {
  w: Float64Array[];
  b: Float64Array[];
  sizes: number[];
}

/** The model's current weights and biases in float64. */
export function params64(model: MLP): Params64 {
  return {
    w: model.layers.map((l) => Float64Array.from(l.weight())),
    b: model.layers.map((l) => Float64Array.from(l.bias())),
    sizes: model.sizes(),
  };
}

/** Logits [batch, out] of the MLP defined by `p`, computed in float64 sample by sample. */
export function forward64(p: Params64, act: Activation, x: Float32Array, batch: number): Float64Array {
  const out = p.sizes[p.sizes.length - 1];
  const logits = new Float64Array(batch * out);
  for (let t = 0; t < batch; t++) {
    let h = Float64Array.from(x.subarray(t * p.sizes[0], (t + 1) * p.sizes[0]));
    for (let l = 0; l < p.w.length; l++) {
      const [inF, outF] = [p.sizes[l], p.sizes[l + 1]];
      const z = new Float64Array(outF);
      for (let r = 0; r < outF; r++) {
        let s = p.b[l][r];
        for (let c = 0; c < inF; c++) s += p.w[l][r * inF + c] * h[c];
        z[r] = l < p.w.length - 1 ? act64(act, s) : s;
      }
      h = z;
    }
    logits.set(h, t * out);
  }
  return logits;
}

/** Mean loss in float64 with PyTorch's reductions. */
export function loss64(loss: LossName, logits: Float64Array, y: Int32Array | Float32Array, batch: number, out: number): number {
  let sum = 0;
  for (let t = 0; t < batch; t++) {
    const z = logits.subarray(t * out, (t + 1) * out);
    if (loss === 'cross-entropy') {
      const max = Math.max(...z);
      const lse = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
      sum += lse - z[y[t]];
      continue;
    }
    for (let c = 0; c < out; c++) {
      const target = y[t * out + c];
      const d = loss === 'bce' ? Math.max(z[c], 0) - target * z[c] + Math.log1p(Math.exp(-Math.abs(z[c]))) : (z[c] - target) ** 2;
      sum += d;
    }
  }
  return sum / (loss === 'cross-entropy' ? batch : batch * out);
}

/**
 * Central finite differences (step h) of the float64 loss with respect to every kept weight and
 * every bias; returns dense [out, in] weight gradients (0 where masked) and bias gradients.
 */
export function numericGrads(
  model: MLP,
  loss: LossName,
  x: Float32Array,
  y: Int32Array | Float32Array,
  batch: number,
  h = 1e-6,
): { w: Float64Array[]; b: Float64Array[] } {
  const p = params64(model);
  const out = p.sizes[p.sizes.length - 1];
  const f = (): number => loss64(loss, forward64(p, model.activation, x, batch), y, batch, out);
  const diff = (a: Float64Array, i: number): number => {
    const keep = a[i];
    a[i] = keep + h;
    const up = f();
    a[i] = keep - h;
    const down = f();
    a[i] = keep;
    return (up - down) / (2 * h);
  };
  const masks = model.layers.map((l) => l.mask());
  return {
    w: p.w.map((w, l) => w.map((_, i) => (masks[l][i] ? diff(w, i) : 0))),
    b: p.b.map((b) => b.map((_, i) => diff(b, i))),
  };
}

/** Largest |a - b| / (atol + rtol·|b|) over the arrays: <= 1 means every entry is within tolerance. */
export function worstRatio(a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol: number): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (atol + rtol * Math.abs(b[i])));
  return worst;
}
