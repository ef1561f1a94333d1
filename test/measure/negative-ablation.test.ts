import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, Rng, type Tensor } from '../../src/engine/index.js';
import { hiddenPreActivations, negativeAblation, unitWasserstein, wassersteinNeurons } from '../../src/measure/index.js';
import { type Dataset, evaluate, type LayerWeights, MLP } from '../../src/nn/index.js';

// assert.ok always gets a message: without one, a failure makes node re-read the source, which can stall under tsx.
// An independent forward pass in float64 from the layer weights: the oracle for the clamp.

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}
const gelu = (z: number): number => 0.5 * z * (1 + erf(z / Math.SQRT2));

/** Logits [size, out] of a GELU MLP given by `layers`, with units[l]'s pre-activations clamped to max(z, 0). */
function oracleLogits(layers: LayerWeights[], x: Float32Array, size: number, units: Int32Array[] = []): Float64Array[] {
  return Array.from({ length: size }, (_, t) => {
    let h = Float64Array.from(x.subarray(t * layers[0].inFeatures, (t + 1) * layers[0].inFeatures));
    layers.forEach((l, i) => {
      const z = Float64Array.from({ length: l.outFeatures }, (_, j) => {
        let s = l.bias[j];
        for (let k = 0; k < l.inFeatures; k++) s += l.weight[j * l.inFeatures + k] * h[k];
        return s;
      });
      if (i === layers.length - 1) h = z;
      else {
        for (const u of units[i] ?? []) z[u] = Math.max(z[u], 0);
        h = z.map(gelu);
      }
    });
    return h;
  });
}

/** Mean cross-entropy of the oracle logits. */
function oracleLoss(logits: Float64Array[], y: Int32Array): number {
  let sum = 0;
  logits.forEach((z, t) => {
    const max = Math.max(...z);
    sum += Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0)) + max - z[y[t]];
  });
  return sum / logits.length;
}

function randomLayers(sizes: number[], seed: number): LayerWeights[] {
  const rng = new Rng(seed);
  return sizes.slice(1).map((out, i) => ({
    inFeatures: sizes[i],
    outFeatures: out,
    weight: Float32Array.from({ length: out * sizes[i] }, () => 0.6 * rng.normal()),
    bias: Float32Array.from({ length: out }, () => 0.3 * rng.normal()),
  }));
}

const layers = randomLayers([5, 12, 10, 3], 3);
const model = MLP.fromWeights(layers, { activation: 'gelu' });
const rng = new Rng(9);
const x = Float32Array.from({ length: 150 * 5 }, () => rng.normal());
const test: Dataset = { x, y: Int32Array.from({ length: 150 }, () => rng.int(3)), size: 150 };
const cal = { x: x.subarray(0, 100 * 5), size: 100 };

describe('MLP.forward preActivation hook', () => {
  it('edits z before the activation of each hidden layer: clamped logits match the oracle to 1e-5', () => {
    const units = [Int32Array.of(0, 3, 7, 11), Int32Array.of(2, 9)];
    const calls: number[][] = [];
    const ws = model.forward(x.subarray(0, 20 * 5), 20, {
      preActivation: (l: number, z: Tensor, b: number) => {
        calls.push([l, z.shape[0], b]);
        const d = z.data;
        for (const u of units[l]) for (let t = u * b; t < (u + 1) * b; t++) d[t] = Math.max(d[t], 0);
      },
    });
    assert.deepEqual(calls, [
      [0, 12, 20],
      [1, 10, 20],
    ]);
    const got = ws.logits.toArray(); // [3, 20]
    const [want, plain] = [oracleLogits(layers, x, 20, units), oracleLogits(layers, x, 20)];
    let changed = 0;
    for (let t = 0; t < 20; t++) {
      for (let c = 0; c < 3; c++) {
        assert.ok(Math.abs(got[c * 20 + t] - want[t][c]) < 1e-5, `sample ${t} class ${c}: ${got[c * 20 + t]} vs ${want[t][c]}`);
        changed = Math.max(changed, Math.abs(want[t][c] - plain[t][c]));
      }
    }
    assert.ok(changed > 1e-3, 'the clamp changes the logits, so the comparison can fail');
    const unhooked = model.forward(x.subarray(0, 20 * 5), 20).logits.toArray();
    for (let t = 0; t < 20; t++)
      for (let c = 0; c < 3; c++) assert.ok(Math.abs(unhooked[c * 20 + t] - plain[t][c]) < 1e-5, `unhooked ${t} ${c}`);
  });
});

describe('negativeAblation', () => {
  const result = negativeAblation(model, cal, test, { top: 0.25, draws: 4, seed: 5 });
  const [none, topWd] = result.selections;

  it('with no units clamped equals evaluate(), and each selection loss matches the oracle', () => {
    const e = evaluate(model, test, 'cross-entropy');
    assert.equal(none.selection, 'none');
    assert.deepEqual([none.accuracy, none.loss, none.lossIncrease, none.accuracyDrop], [e.accuracy, e.loss, 0, 0]);
    const small = negativeAblation(model, cal, test, { batch: 7, draws: 1 }).selections[0];
    const e7 = evaluate(model, test, 'cross-entropy', { batchSize: 7 });
    assert.deepEqual([small.accuracy, small.loss], [e7.accuracy, e7.loss]);
    for (const s of result.selections) {
      const want = oracleLoss(oracleLogits(layers, x, test.size, s.units), test.y as Int32Array);
      assert.ok(Math.abs(s.loss - want) < 1e-5, `${s.selection} ${s.draw}: ${s.loss} vs ${want}`);
      assert.ok(Math.abs(s.lossIncrease - (s.loss - none.loss)) < 1e-12, 'lossIncrease');
    }
    assert.ok(Math.abs(topWd.loss - none.loss) > 1e-4, 'the top-WD clamp changes the loss');
  });

  it('reports per-class accuracy that averages to the accuracy, and its change from the baseline', () => {
    const counts = [0, 1, 2].map((c) => (test.y as Int32Array).filter((y) => y === c).length);
    for (const s of result.selections) {
      const acc = s.classAccuracy.reduce((sum, a, c) => sum + a * counts[c], 0) / test.size;
      assert.ok(Math.abs(acc - s.accuracy) < 1e-12, `${s.selection}: ${acc} vs ${s.accuracy}`);
      for (const [c, d] of s.classAccuracyChange.entries())
        assert.ok(Math.abs(d - (s.classAccuracy[c] - none.classAccuracy[c])) < 1e-12, `class ${c}`);
    }
  });

  it('clamps exactly the max(1, round(top·units)) highest-WD units of each hidden layer', () => {
    const neurons = wassersteinNeurons(model, cal, { pairs: 16 });
    assert.deepEqual(topWd.unitsPerLayer, [3, 3]);
    result.layers.forEach((l, i) => {
      assert.deepEqual(l.wd, unitWasserstein(hiddenPreActivations(model, cal, l.layer), l.units, cal.size));
      assert.deepEqual(l.ranking, neurons[i].ranking);
      const chosen = [...topWd.units[l.layer]];
      assert.deepEqual(chosen.sort(), [...neurons[i].ranking.subarray(0, 3)].sort());
      const lowestChosen = Math.min(...chosen.map((u) => l.wd[u]));
      for (let u = 0; u < l.units; u++) if (!chosen.includes(u)) assert.ok(l.wd[u] <= lowestChosen, `unit ${u}`);
    });
    const one = negativeAblation(model, cal, test, { top: 0.01, draws: 1, layers: [1] });
    assert.deepEqual(one.selections[1].unitsPerLayer, [0, 1], 'at least one unit, only in the chosen layer');
  });

  it('draws random units of the same count per layer, different per draw, repeated with the same seed', () => {
    const random = result.selections.filter((s) => s.selection === 'random');
    assert.deepEqual(
      random.map((s) => s.draw),
      [0, 1, 2, 3],
    );
    for (const s of random) {
      assert.deepEqual(s.unitsPerLayer, [3, 3]);
      for (const u of s.units) assert.equal(new Set(u).size, 3, 'distinct units');
    }
    const keys = random.map((s) => s.units.map((u) => [...u].join(',')).join('|'));
    assert.ok(new Set(keys).size > 1, 'draws differ');
    const again = negativeAblation(model, cal, test, { top: 0.25, draws: 4, seed: 5 }).selections.filter((s) => s.selection === 'random');
    assert.deepEqual(
      again.map((s) => s.units),
      random.map((s) => s.units),
    );
    const other = negativeAblation(model, cal, test, { top: 0.25, draws: 4, seed: 6 }).selections.filter((s) => s.selection === 'random');
    assert.notDeepEqual(
      other.map((s) => s.units),
      random.map((s) => s.units),
    );
    const s = result.randomSummary;
    const inc = random.map((r) => r.lossIncrease);
    assert.equal(s.draws, 4);
    assert.deepEqual([s.lossIncrease.min, s.lossIncrease.max], [Math.min(...inc), Math.max(...inc)]);
    assert.equal(s.atLeastTop, inc.filter((v) => v >= topWd.lossIncrease).length);
    assert.equal(s.pValue, (1 + s.atLeastTop) / 5);
  });
});

describe('negativeAblation bottom-WD control', () => {
  // One GELU layer of 16 units, then logit0 = Σ c_u h_u and logit1 = 0, every label 0. Clamping a
  // negative z raises h_u (gelu(0) = 0 > gelu(z)), so with c_u < 0 each clamped unit adds loss on
  // every sample and the loss grows with every added unit: the bisection must find the least m.
  const [hidden] = randomLayers([4, 16, 2], 11);
  const data = new Rng(12);
  const xs = Float32Array.from({ length: 120 * 4 }, () => data.normal());
  const set: Dataset = { x: xs, y: new Int32Array(120), size: 120 };
  const probe = MLP.fromWeights([hidden, randomLayers([16, 2], 1)[0]], { activation: 'gelu' });
  const wd = unitWasserstein(hiddenPreActivations(probe, set, 0), 16, 120);
  const topUnits = [...wd]
    .map((v, u) => [v, u])
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, 4)
    .map(([, u]) => u);
  const build = (top: number, rest: number): { layers: LayerWeights[]; model: MLP } => {
    const c = Float32Array.from({ length: 16 }, (_, u) => (topUnits.includes(u) ? top : rest));
    const out = { inFeatures: 16, outFeatures: 2, weight: Float32Array.from([...c, ...new Float32Array(16)]), bias: new Float32Array(2) };
    return { layers: [hidden, out], model: MLP.fromWeights([hidden, out], { activation: 'gelu' }) };
  };

  it('finds the least count of lowest-WD units whose loss increase reaches the top-WD one', () => {
    const found: number[] = [];
    for (const weight of [-3, -2.2, -4, -6]) {
      const { layers: ls, model: m } = build(weight, -1.5);
      const r = negativeAblation(m, set, set, { top: 0.25, draws: 2 });
      const ranking = r.layers[0].ranking;
      assert.deepEqual([...r.selections[1].units[0]].sort(), [...topUnits].sort());
      const base = oracleLoss(oracleLogits(ls, xs, 120), set.y as Int32Array);
      const lossAt = (k: number): number => oracleLoss(oracleLogits(ls, xs, 120, [ranking.slice(16 - k)]), set.y as Int32Array) - base;
      const inc = Array.from({ length: 17 }, (_, k) => lossAt(k));
      for (let k = 1; k <= 16; k++) assert.ok(inc[k] >= inc[k - 1] - 1e-9, 'the constructed loss grows with the count');
      const least = inc.findIndex((v) => v >= r.matched.target);
      const bottom = r.selections.at(-1)!;
      assert.deepEqual([r.matched.matched, r.matched.count, r.matched.fraction], [true, least, least / 16], `weight ${weight}`);
      assert.equal(bottom.selection, 'bottom-wd');
      assert.deepEqual([...bottom.units[0]].sort(), [...ranking.slice(16 - least)].sort(), 'the lowest-WD units');
      assert.ok(r.matched.belowLossIncrease! < r.matched.target && r.matched.target <= bottom.lossIncrease, JSON.stringify(r.matched));
      assert.ok(r.matched.steps.length <= 5, `bisection over 16 counts: ${r.matched.steps.length} evaluations`);
      found.push(least);
    }
    assert.ok(new Set(found).size >= 3 && found.every((k) => k > 1 && k < 16), `non-trivial counts: ${found}`);
  });

  it('reports matched: false at all units when even all of them cannot reach the top-WD loss increase', () => {
    const r = negativeAblation(build(-3, 3).model, set, set, { top: 0.25, draws: 1 });
    assert.deepEqual([r.matched.matched, r.matched.count, r.matched.fraction, r.matched.belowLossIncrease], [false, 16, 1, null]);
    assert.deepEqual(r.selections.at(-1)!.unitsPerLayer, [16]);
    assert.ok(r.selections.at(-1)!.lossIncrease < r.matched.target, 'all units fall short');
  });

  it('needs no units when the top-WD clamp does not raise the loss', () => {
    const r = negativeAblation(build(3, -0.4).model, set, set, { top: 0.25, draws: 1 });
    assert.ok(r.matched.target < 0, `target ${r.matched.target}`);
    assert.deepEqual([r.matched.matched, r.matched.count, r.selections.at(-1)!.unitsPerLayer[0]], [true, 0, 0]);
  });
});

describe('negativeAblation refuses', () => {
  it('relu networks, whose negative pre-activations already map to 0', () => {
    const relu = MLP.create({ sizes: [5, 8, 3], activation: 'relu' });
    assert.throws(
      () => negativeAblation(relu, cal, test),
      (e: unknown) =>
        e instanceof ConfigError &&
        /activation is relu, which already maps negative pre-activations to 0, so clamping them changes nothing; allowed activations: gelu, sigmoid, identity/.test(
          e.message,
        ),
    );
  });

  it('bad options and data, naming the value and what is allowed', () => {
    const cases: Array<[Parameters<typeof negativeAblation>[3], RegExp]> = [
      [{ top: 0 }, /top must be a fraction in \(0, 1\] of each layer's units, got 0/],
      [{ top: 1.5 }, /top must be a fraction in \(0, 1\] of each layer's units, got 1.5/],
      [{ top: Number.NaN }, /got NaN/],
      [{ draws: 0 }, /negativeAblation draws must be an integer >= 1, got 0/],
      [{ draws: 2.5 }, /draws must be an integer >= 1, got 2.5/],
      [{ batch: 0 }, /batch must be an integer >= 1, got 0/],
      [{ seed: 0.5 }, /seed must be an integer, got 0.5/],
      [{ layers: [2] }, /layers must be distinct hidden-layer indices in \[0, 1\], at least one; got \[2\]/],
      [{ layers: [0, 0] }, /got \[0, 0\]/],
      [{ layers: [] }, /at least one; got \[\]/],
      [{ tops: 0.1 } as never, /unknown option tops; allowed: top, draws, seed, layers, batch/],
    ];
    for (const [options, message] of cases) assert.throws(() => negativeAblation(model, cal, test, options), message);
    assert.throws(
      () => negativeAblation(model, { x: cal.x, size: 99 }, test),
      /calibration.x \(size x in\) must hold rows x cols = 99 x 5/,
    );
    assert.throws(
      () => negativeAblation(model, { x: cal.x.subarray(0, 5), size: 1 }, test),
      /calibration.size must be an integer >= 2, got 1/,
    );
    const badLabels = { ...test, y: Int32Array.from(test.y, () => 3) };
    assert.throws(() => negativeAblation(model, cal, badLabels), /test.y\[0\] = 3 is not a class of a model with 3 outputs/);
  });
});
