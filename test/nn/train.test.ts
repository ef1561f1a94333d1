import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, createEngine, type Engine, NumericError, Rng, ShapeError } from '../../src/engine/index.js';
import { createOptimizer, type Dataset, evaluate, type FitOptions, fit, lossAndGradients, MLP, trainStep } from '../../src/nn/index.js';
import { engineCases, forward64, loss64, params64, randomArray, refEngine } from './helpers.js';

/** A learnable task: the label is the arg-max of a fixed random linear map of x. */
function task(seed: number, size: number, inF = 6, classes = 3): Dataset {
  const rng = new Rng(seed);
  const proj = randomArray(new Rng(99), classes * inF);
  const x = randomArray(rng, size * inF);
  const y = new Int32Array(size);
  for (let t = 0; t < size; t++) {
    let best = -Infinity;
    for (let c = 0; c < classes; c++) {
      let s = 0;
      for (let i = 0; i < inF; i++) s += proj[c * inF + i] * x[t * inF + i];
      if (s > best) [best, y[t]] = [s, c];
    }
  }
  return { x, y, size };
}

function snapshot(model: MLP): Float32Array[] {
  return model.layers.flatMap((l) => [l.weight(), l.bias()]);
}

const OPTIONS: FitOptions = { epochs: 3, batchSize: 16, optimizer: { kind: 'adamw', lr: 0.02 }, loss: 'cross-entropy', seed: 1 };

for (const c of engineCases()) {
  describe(`fit (${c.name})`, { skip: c.skip }, () => {
    const engine = c.engine as Engine;
    const train = task(1, 100);

    it('is bit-identical for the same seeds and differs for another shuffling seed', () => {
      const run = (seed: number) => {
        const model = MLP.create({ sizes: [6, 12, 3], density: 0.5, seed: 7 }, engine);
        const h = fit(model, train, { ...OPTIONS, seed });
        const result = { weights: snapshot(model), loss: h.trainLoss };
        h.optimizer.dispose();
        model.dispose();
        return result;
      };
      const [a, b, other] = [run(1), run(1), run(2)];
      assert.deepEqual(a.weights, b.weights);
      assert.deepEqual(a.loss, b.loss);
      assert.notDeepEqual(a.weights, other.weights);
      assert.notDeepEqual(a.loss, other.loss);
    });

    it('a set staged in the engine, and one copied from JS (stageFloats below its size), train exactly as trainStep on the same batches', () => {
      // 8100 x 520 inputs: 4.2M floats, staged by default (up to 2^26); stageFloats 4M copies its batches from JS
      const big = task(4, 8100, 520);
      const regression: Dataset = { x: big.x, y: randomArray(new Rng(5), 8100 * 3), size: 8100 };
      for (const [loss, data, stageFloats] of [
        ['cross-entropy', big, 4_000_000],
        ['mse', regression, 4_000_000],
        ['cross-entropy', big, undefined],
        ['mse', regression, undefined],
      ] as const) {
        const make = () => MLP.create({ sizes: [520, 4, 3], seed: 2 }, engine);
        const [a, b] = [make(), make()];
        // staged: the set's 4.2M floats (16.9 MB) sit in the engine during the run; copied: not
        const before = engine.arena.bytesInUse;
        let held = 0;
        const h = fit(a, data, {
          epochs: 1,
          batchSize: 1024,
          optimizer: { kind: 'adam', lr: 0.01 },
          loss,
          seed: 3,
          stageFloats,
          callbacks: { onStep: () => (held = Math.max(held, engine.arena.bytesInUse - before)) },
        });
        assert.equal(held > 16e6, stageFloats === undefined, `${loss}, stageFloats ${stageFloats}: staged`);
        const opt = createOptimizer(b, { kind: 'adam', lr: 0.01 });
        const order = new Int32Array(data.size).map((_, i) => i);
        new Rng(3).fork(0).shuffle(order);
        const yPer = loss === 'mse' ? 3 : 1;
        let sum = 0;
        for (let start = 0; start < data.size; start += 1024) {
          const rows = order.subarray(start, start + 1024);
          const x = new Float32Array(rows.length * 520);
          const y = loss === 'mse' ? new Float32Array(rows.length * 3) : new Int32Array(rows.length);
          rows.forEach((r, i) => {
            x.set(data.x.subarray(r * 520, (r + 1) * 520), i * 520);
            for (let j = 0; j < yPer; j++) y[i * yPer + j] = data.y[r * yPer + j];
          });
          sum += trainStep(b, opt, { x, y, size: rows.length }, loss) * rows.length;
        }
        assert.deepEqual(snapshot(a), snapshot(b), `${loss}, stageFloats ${stageFloats}: the same weights`);
        assert.equal(h.trainLoss[0], sum / data.size, `${loss}, stageFloats ${stageFloats}: the same mean loss`);
        for (const o of [h.optimizer, opt]) o.dispose();
        for (const m of [a, b]) m.dispose();
      }
      // a non-finite input is still found, by the scan of the whole set before the first step
      const bad = { ...big, x: big.x.slice() };
      bad.x[5000 * 520 + 7] = Number.NaN;
      const model = MLP.create({ sizes: [520, 4, 3], seed: 2 }, engine);
      assert.throws(
        () => fit(model, bad, { epochs: 1, batchSize: 1024, optimizer: { kind: 'adam', lr: 0.01 }, loss: 'cross-entropy' }),
        (e) => e instanceof NumericError && /^train\.x\[5000, 7\] is NaN/.test(e.message),
      );
      model.dispose();
    });

    it('a set larger than the engine memory can grow to is copied from JS instead, with the same result', () => {
      // 16.9 MB of inputs against a 10 MiB arena; the same fit on the shared engine, never staged
      const big = task(4, 8100, 520);
      const small = createEngine({ backend: c.name as 'ref' | 'wasm', threads: 1, arena: { initialPages: 16, maximumPages: 160 } });
      const run = (e: Engine, stageFloats?: number) => {
        const model = MLP.create({ sizes: [520, 4, 3], seed: 2 }, e);
        const h = fit(model, big, {
          epochs: 1,
          batchSize: 1024,
          optimizer: { kind: 'adam', lr: 0.01 },
          loss: 'cross-entropy',
          seed: 3,
          stageFloats,
        });
        const out = { weights: snapshot(model), loss: h.trainLoss };
        h.optimizer.dispose();
        model.dispose();
        return out;
      };
      try {
        const inUse = small.arena.bytesInUse;
        assert.deepEqual(run(small), run(engine, 0));
        assert.equal(small.arena.bytesInUse, inUse, 'the failed staging freed what it took');
      } finally {
        small.dispose();
      }
    });

    it('rejects a stageFloats that is not a whole number >= 0, naming it', () => {
      const model = MLP.create({ sizes: [6, 4, 3], seed: 2 }, engine);
      for (const stageFloats of [-1, 2.5, Number.NaN]) {
        assert.throws(
          () => fit(model, train, { ...OPTIONS, stageFloats }),
          (e) => e instanceof ConfigError && /stageFloats/.test(e.message),
          `stageFloats ${stageFloats}`,
        );
      }
      model.dispose();
    });

    it('learns, records history, validates and calls back', () => {
      const model = MLP.create({ sizes: [6, 24, 3], density: 0.5, seed: 3 }, engine);
      const steps: number[] = [];
      const lrs: number[] = [];
      const epochs: number[] = [];
      const h = fit(model, task(2, 300), {
        ...OPTIONS,
        epochs: 12,
        batchSize: 32,
        schedule: { kind: 'cosine', warmupSteps: 5, totalSteps: 120 },
        validation: task(3, 200),
        callbacks: {
          onStep: (s) => {
            steps.push(s.step);
            lrs.push(s.lr);
          },
          onEpoch: (e) => {
            epochs.push(e.epoch);
          },
        },
      });
      assert.deepEqual(h.epochs, [...Array(12).keys()]);
      assert.deepEqual(epochs, h.epochs);
      assert.equal(steps.length, 12 * 10, '300 samples at batch 32 is 10 steps per epoch');
      assert.deepEqual(steps.slice(0, 3), [1, 2, 3]);
      assert.ok(Math.abs(lrs[0] - 0.02 / 5) < 1e-12 && Math.abs(lrs[119] - 0.02 * 0.5 * (1 + Math.cos(Math.PI * (114 / 115)))) < 1e-12);
      assert.equal(h.valLoss.length, 12);
      assert.ok(h.trainLoss[11] < 0.7 * h.trainLoss[0], `train loss ${h.trainLoss[0]} -> ${h.trainLoss[11]}`);
      assert.ok(h.valAccuracy[11] > 0.8, `validation accuracy ${h.valAccuracy[11]}`);
      assert.ok(h.seconds.every((s) => s >= 0));
      h.optimizer.dispose();
      model.dispose();
    });
  });
}

describe('trainStep and evaluate', () => {
  const engine = refEngine();

  it('trainStep returns the mean loss before the update', () => {
    const model = MLP.create({ sizes: [6, 8, 3], seed: 1 }, engine);
    const batch = task(4, 12);
    const before = lossAndGradients(model, batch, 'cross-entropy');
    const opt = createOptimizer(model, { kind: 'sgd', lr: 0.1 });
    assert.equal(trainStep(model, opt, batch, 'cross-entropy'), before);
    assert.ok(lossAndGradients(model, batch, 'cross-entropy') < before);
  });

  it('evaluate matches a float64 forward for every loss, in chunks', () => {
    const model = MLP.create({ sizes: [6, 8, 3], activation: 'gelu', seed: 2 }, engine);
    const data = task(5, 50);
    const logits = forward64(params64(model), 'gelu', data.x, 50);
    let hits = 0;
    for (let t = 0; t < 50; t++) {
      const row = Array.from(logits.subarray(t * 3, t * 3 + 3));
      if (row.indexOf(Math.max(...row)) === data.y[t]) hits++;
    }
    const ce = evaluate(model, data, 'cross-entropy', { batchSize: 16 });
    assert.ok(Math.abs(ce.loss - loss64('cross-entropy', logits, data.y, 50, 3)) < 1e-6);
    assert.equal(ce.accuracy, hits / 50);
    const targets = randomArray(new Rng(6), 150).map((v) => (v + 1) / 2);
    for (const loss of ['bce', 'mse'] as const) {
      const r = evaluate(model, { x: data.x, y: targets, size: 50 }, loss, { batchSize: 7 });
      assert.ok(Math.abs(r.loss - loss64(loss, logits, targets, 50, 3)) < 1e-6, loss);
    }
  });

  it('refuses bad batches with ShapeError, NumericError or ConfigError', () => {
    const model = MLP.create({ sizes: [6, 8, 3], seed: 1 }, engine);
    const opt = createOptimizer(model, { kind: 'adam', lr: 0.01 });
    const ok = task(4, 4);
    const cases: Array<[Dataset, string, new (...a: never[]) => Error, RegExp]> = [
      [
        { ...ok, y: Int32Array.from([0, 1, 3, 0]) },
        'cross-entropy',
        ShapeError,
        /batch\.y\[2\] = 3 is not a class of a model with 3 outputs; labels must be in \[0, 2\]/,
      ],
      [
        { ...ok, x: ok.x.subarray(0, 20) },
        'cross-entropy',
        ShapeError,
        /batch\.x must be a Float32Array of size x in = 4 x 6 = 24 values, got 20/,
      ],
      [
        { ...ok, x: ok.x.map((v, i) => (i === 13 ? Number.NaN : v)) },
        'cross-entropy',
        NumericError,
        /batch\.x\[2, 1\] is NaN; inputs must be finite/,
      ],
      [ok, 'mse', ShapeError, /batch\.y must be a Float32Array of size x out = 4 x 3 = 12 targets for mse, got Int32Array\[4\]/],
      [ok, 'hinge', ConfigError, /unknown loss "hinge" at loss; allowed: cross-entropy, bce, mse/],
    ];
    for (const [batch, loss, type, pattern] of cases) {
      assert.throws(
        () => trainStep(model, opt, batch, loss as 'mse'),
        (e) => e instanceof type && pattern.test((e as Error).message),
        pattern.source,
      );
    }
    assert.equal(opt.stepCount, 0, 'no refused batch took a step');
    // the NaN/Inf check of x runs on its copy in the engine (no JS scan first): a refused batch
    // leaves values and gradients as they were, and lossAndGradients names the entry too
    lossAndGradients(model, ok, 'cross-entropy');
    const snapshot = () => model.params().flatMap((p) => [Array.from(p.value.toArray()), Array.from(p.grad.toArray())]);
    const before = snapshot();
    for (const [i, v, where] of [
      [23, Number.POSITIVE_INFINITY, '3, 5'],
      [0, Number.NEGATIVE_INFINITY, '0, 0'],
    ] as const) {
      const bad = { ...ok, x: ok.x.map((u, j) => (j === i ? v : u)) };
      for (const run of [() => trainStep(model, opt, bad, 'cross-entropy'), () => lossAndGradients(model, bad, 'cross-entropy')]) {
        assert.throws(run, (e) => e instanceof NumericError && e.message === `batch.x[${where}] is ${v}; inputs must be finite`);
      }
    }
    assert.deepEqual(snapshot(), before, 'a refused batch changes no value or gradient');
    assert.equal(opt.stepCount, 0);
    assert.throws(
      () => evaluate(model, ok, 'cross-entropy', { batchSize: 0 }),
      (e) => e instanceof ConfigError && /evaluate batchSize must be an integer >= 1, got 0/.test(e.message),
    );
    assert.throws(
      () => fit(model, ok, { ...OPTIONS, batchsize: 4 } as never),
      (e) =>
        e instanceof ConfigError && /unknown key 'FitOptions\.batchsize'; allowed keys: epochs, batchSize, optimizer, loss/.test(e.message),
    );
    assert.throws(
      () => fit(model, ok, { ...OPTIONS, optimizer: { kind: 'adam', lr: 0.1, beta: 0.9 } } as never),
      (e) => e instanceof ConfigError && /unknown key 'FitOptions\.optimizer\.beta'/.test(e.message),
    );
  });

  it('stops with a NumericError naming the layer and the step when training diverges', () => {
    const batch = task(4, 8);
    // lr 1e30: step 1 sends the weights to ~1e28, so step 2's forward overflows in layers.1
    const model = MLP.create({ sizes: [6, 8, 3], seed: 1 }, engine);
    const opt = createOptimizer(model, { kind: 'sgd', lr: 1e30 });
    assert.throws(
      () => {
        for (let s = 0; s < 10; s++) trainStep(model, opt, batch, 'cross-entropy');
      },
      (e) =>
        e instanceof NumericError &&
        /^loss is NaN at step 2; first non-finite: the output of layers\.1 \(\d+ NaN\/Inf values/.test(e.message),
    );
    // an Adam step of ~lr = 1e39 leaves the float range at once: caught right after the update
    const huge = MLP.create({ sizes: [6, 8, 3], seed: 1 }, engine);
    assert.throws(
      () => trainStep(huge, createOptimizer(huge, { kind: 'adam', lr: 1e39 }), batch, 'cross-entropy'),
      (e) =>
        e instanceof NumericError &&
        /^layers\.0\.weight holds \d+ NaN\/Inf value\(s\) after the update at step 1; lower the learning rate$/.test(e.message),
    );
    // weights that overflow the forward from the start are named with the step
    const big = MLP.create({ sizes: [6, 8, 3], seed: 1 }, engine);
    big.layers[0].setWeight(big.layers[0].weight().map((v) => (v === 0 ? 0 : 3e38)));
    assert.throws(
      () => trainStep(big, createOptimizer(big, { kind: 'adam', lr: 0.1 }), batch, 'cross-entropy'),
      (e) =>
        e instanceof NumericError &&
        /^loss is NaN at step 1; first non-finite: the output of layers\.0 /.test(e.message) &&
        e.details.where === 'layers.0',
    );
  });
});
