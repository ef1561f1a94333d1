import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, type Engine, NumericError, Rng, ShapeError } from '../../src/engine/index.js';
import { SparseLinear } from '../../src/nn/index.js';
import { assertSameBits } from '../engine/kernel-fixture.js';
import { engineCases, randomArray, randomMask, refEngine } from './helpers.js';

describe('SparseLinear construction', () => {
  const engine = refEngine();

  it('draws an exact-size random mask and PyTorch-style U(-1/sqrt(in), 1/sqrt(in)) init', () => {
    const l = new SparseLinear({ inFeatures: 16, outFeatures: 10, density: 0.3, rng: new Rng(1), engine });
    assert.equal(l.nnz, Math.round(0.3 * 160));
    const [w, m, b] = [l.weight(), l.mask(), l.bias()];
    assert.equal(w.length, 160);
    assert.equal(
      m.reduce((s, v) => s + v, 0),
      l.nnz,
    );
    const bound = 1 / Math.sqrt(16);
    for (let i = 0; i < w.length; i++) {
      if (m[i] === 0) assert.equal(w[i], 0);
      else assert.ok(Math.abs(w[i]) <= bound && w[i] !== 0);
    }
    for (const v of b) assert.ok(Math.abs(v) <= bound);
    assert.equal(l.params()[0].value.size, l.nnz, 'the weight parameter is compact');
    l.dispose();
  });

  it('is deterministic in its rng and picks the path by density', () => {
    const a = new SparseLinear({ inFeatures: 8, outFeatures: 6, density: 0.3, rng: new Rng(7), engine });
    const b = new SparseLinear({ inFeatures: 8, outFeatures: 6, density: 0.3, rng: new Rng(7), engine });
    const c = new SparseLinear({ inFeatures: 8, outFeatures: 6, density: 0.8, rng: new Rng(7), engine });
    const d = new SparseLinear({ inFeatures: 8, outFeatures: 6, density: 0.8, rng: new Rng(7), csrMaxDensity: 0.9, engine });
    assert.deepEqual(a.weight(), b.weight());
    assert.deepEqual(a.bias(), b.bias());
    assert.deepEqual([a.path, c.path, d.path], ['csr', 'dense', 'csr']);
    for (const l of [a, b, c, d]) l.dispose();
  });

  it('takes a given mask and refuses bad options with clear errors', () => {
    const mask = new Uint8Array([1, 0, 0, 1, 1, 0]);
    const l = new SparseLinear({ inFeatures: 3, outFeatures: 2, mask, engine });
    assert.deepEqual(l.mask(), mask);
    assert.equal(l.nnz, 3);
    assert.throws(
      () => new SparseLinear({ inFeatures: 0, outFeatures: 2, engine }),
      (e) => e instanceof ConfigError && /SparseLinear.inFeatures must be an integer >= 1, got 0/.test(e.message),
    );
    assert.throws(
      () => new SparseLinear({ inFeatures: 2, outFeatures: 2, density: 1.5, engine }),
      (e) => e instanceof ConfigError && /density must be in \(0, 1\], got 1.5/.test(e.message),
    );
    assert.throws(
      () => new SparseLinear({ inFeatures: 3, outFeatures: 2, mask: new Uint8Array(5), engine }),
      (e) => e instanceof ShapeError && /mask must be a Uint8Array of 2x3 = 6 entries/.test(e.message),
    );
    assert.throws(
      () => new SparseLinear({ inFeatures: 3, outFeatures: 2, path: 'gpu' as 'csr', engine }),
      (e) => e instanceof ConfigError && /path must be one of auto, csr, dense, got "gpu"/.test(e.message),
    );
    assert.throws(
      () => l.setWeight(new Float32Array([1, 2, 0, 1, 1, 0])),
      (e) => e instanceof ShapeError && /weight\[0, 1\] = 2 but the mask is 0 there/.test(e.message),
    );
    assert.throws(
      () => l.setWeight(new Float32Array(5)),
      (e) => e instanceof ShapeError && /got 5 values, expected 6 \(shape \[2, 3\]\)/.test(e.message),
    );
    assert.throws(
      () => l.setBias(new Float32Array([0, Number.NaN])),
      (e) => e instanceof NumericError && /setBias: value NaN at \[1\] is not finite/.test(e.message),
    );
    l.setWeight(new Float32Array([1, 0, 0, 2, 3, 0]));
    assert.deepEqual(l.weight(), new Float32Array([1, 0, 0, 2, 3, 0]));
    l.dispose();
  });
});

/** Forward z = W·x + b on a [in, B] input, returned with the tensors used. */
function run(l: SparseLinear, engine: Engine, x: Float32Array, batch: number) {
  const xt = engine.from(x, [l.inFeatures, batch]);
  const z = engine.tensor([l.outFeatures, batch]);
  l.forward(xt, z, batch);
  return { xt, z };
}

for (const c of engineCases()) {
  describe(`SparseLinear kernels (${c.name})`, { skip: c.skip }, () => {
    const engine = c.engine!;
    const [inF, outF, batch] = [7, 5, 6];

    for (const path of ['csr', 'dense'] as const) {
      it(`${path} path: analytic gradients match f32 central differences`, () => {
        const rng = new Rng(21);
        const l = new SparseLinear({ inFeatures: inF, outFeatures: outF, mask: randomMask(rng, outF, inF, 0.5), rng, path, engine });
        const x = randomArray(rng, inF * batch);
        const cw = randomArray(rng, outF * batch); // L = Σ cw ⊙ z, so dL/dz = cw
        const lossOf = (): number => {
          const { xt, z } = run(l, engine, x, batch);
          const zs = z.data;
          let s = 0;
          for (let i = 0; i < zs.length; i++) s += cw[i] * zs[i];
          xt.dispose();
          z.dispose();
          return s;
        };
        const { xt, z } = run(l, engine, x, batch);
        const dz = engine.from(cw, [outF, batch]);
        const dx = engine.tensor([inF, batch]);
        l.zeroGrad();
        l.backward(xt, dz, dx, batch);
        // h = 1e-2: L is linear in each weight, so the only error is f32 rounding of z (|z| < 3,
        // relative 6e-8 over 30 terms, ~1e-5 in L), divided by 2h: below 1e-3
        const h = 1e-2;
        const [w, gw] = [l.params()[0].value, l.params()[0].grad.data];
        for (let e = 0; e < l.nnz; e++) {
          const keep = w.data[e];
          w.data[e] = keep + h;
          const up = lossOf();
          w.data[e] = keep - h;
          const down = lossOf();
          w.data[e] = keep;
          assert.ok(Math.abs((up - down) / (2 * h) - gw[e]) < 1e-3, `weight ${e}: fd ${(up - down) / (2 * h)} vs ${gw[e]}`);
        }
        const gb = l.biasGrad();
        for (let r = 0; r < outF; r++) {
          let s = 0;
          for (let t = 0; t < batch; t++) s += cw[r * batch + t];
          assert.ok(Math.abs(s - gb[r]) < 1e-5);
        }
        const W = l.weight();
        const gx = dx.data;
        for (let i = 0; i < inF; i++) {
          for (let t = 0; t < batch; t++) {
            let s = 0;
            for (let r = 0; r < outF; r++) s += W[r * inF + i] * cw[r * batch + t];
            assert.ok(Math.abs(s - gx[i * batch + t]) < 1e-5, `dx[${i}, ${t}]`);
          }
        }
        for (const t of [xt, z, dz, dx]) t.dispose();
        l.dispose();
      });
    }

    it('csr and dense paths give the same outputs and gradients for the same weights', () => {
      const rng = new Rng(5);
      const mask = randomMask(rng, outF, inF, 0.4);
      const layers = (['csr', 'dense'] as const).map(
        (path) => new SparseLinear({ inFeatures: inF, outFeatures: outF, mask, rng: new Rng(9), path, engine }),
      );
      assert.deepEqual(layers[0].weight(), layers[1].weight());
      const x = randomArray(rng, inF * batch);
      const dzData = randomArray(rng, outF * batch);
      const results = layers.map((l) => {
        const { xt, z } = run(l, engine, x, batch);
        const dz = engine.from(dzData, [outF, batch]);
        const dx = engine.tensor([inF, batch]);
        l.backward(xt, dz, dx, batch);
        const r = { z: z.data.slice(), dx: dx.data.slice(), gw: l.weightGrad(), gb: l.biasGrad() };
        for (const t of [xt, z, dz, dx]) t.dispose();
        return r;
      });
      for (const key of ['z', 'dx', 'gw', 'gb'] as const) {
        const [a, b] = [results[0][key], results[1][key]];
        for (let i = 0; i < a.length; i++)
          assert.ok(Math.abs(a[i] - b[i]) <= 1e-6 * (1 + Math.abs(a[i])), `${key}[${i}]: ${a[i]} vs ${b[i]}`);
      }
      for (const l of layers) l.dispose();
    });

    it('accumulates gradients over backward calls until zeroGrad', () => {
      const l = new SparseLinear({ inFeatures: inF, outFeatures: outF, density: 0.5, rng: new Rng(2), path: 'csr', engine });
      const rng = new Rng(3);
      const { xt, z } = run(l, engine, randomArray(rng, inF * batch), batch);
      const dz = engine.from(randomArray(rng, outF * batch), [outF, batch]);
      l.backward(xt, dz, null, batch);
      const once = l.weightGrad();
      l.backward(xt, dz, null, batch);
      const twice = l.weightGrad();
      for (let i = 0; i < once.length; i++) assert.ok(Math.abs(twice[i] - 2 * once[i]) <= 1e-6 * (1 + Math.abs(once[i])));
      l.zeroGrad();
      assert.ok(l.weightGrad().every((v) => v === 0));
      assert.throws(
        () => l.forward(xt, engine.tensor([3]), batch),
        (e) => e instanceof ShapeError && /forward output z has 3 elements, expected 30/.test(e.message),
      );
      for (const t of [xt, z, dz]) t.dispose();
      l.dispose();
    });
  });
}

for (const c of engineCases()) {
  describe(`SparseLinear forward for backward (${c.name})`, { skip: c.skip }, () => {
    const engine = c.engine!;
    const [inF, outF] = [40, 30];

    /** dx = Wᵀ·dz in float64 from a dense [out, in] weight. */
    const dxOf = (W: Float32Array, dz: Float32Array, batch: number) => {
      const out = new Float64Array(inF * batch);
      for (let i = 0; i < inF; i++)
        for (let t = 0; t < batch; t++) {
          let s = 0;
          for (let r = 0; r < outF; r++) s += W[r * inF + i] * dz[r * batch + t];
          out[i * batch + t] = s;
        }
      return out;
    };
    const near = (got: Float32Array, want: Float64Array, what: string) => {
      for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-5, `${what}[${i}]: ${got[i]} vs ${want[i]}`);
    };

    // batch 6: the wasm kernel copies the weights in a pass of its own; 40: during its first 24-column pass
    for (const batch of [6, 40]) {
      it(`gives the same bits as a plain forward, and backward uses the weights that forward used (batch ${batch})`, () => {
        const rng = new Rng(31);
        const l = new SparseLinear({ inFeatures: inF, outFeatures: outF, density: 0.3, rng, path: 'csr', engine });
        const xt = engine.from(randomArray(rng, inF * batch), [inF, batch]);
        const dzData = randomArray(rng, outF * batch);
        const dz = engine.from(dzData, [outF, batch]);
        const [z, dx] = [engine.tensor([outF, batch]), engine.tensor([inF, batch])];
        const pass = (forBackward: boolean) => {
          l.zeroGrad();
          l.forward(xt, z, batch, forBackward);
          const zs = z.data.slice();
          l.backward(xt, dz, dx, batch);
          return { z: zs, dx: dx.data.slice(), gw: l.weightGrad(), gb: l.biasGrad() };
        };
        const [plain, kept] = [pass(false), pass(true)];
        for (const key of ['z', 'dx', 'gw', 'gb'] as const) assertSameBits(kept[key], plain[key], `${key} with forBackward`);
        near(kept.dx, dxOf(l.weight(), dzData, batch), 'dx');

        // the contract "backward uses the weights of the last forward", with the weights changed in between
        const W1 = l.weight();
        const W2 = W1.map((w) => (w === 0 ? 0 : -2 * w));
        l.forward(xt, z, batch, true);
        l.setWeight(W2);
        l.backward(xt, dz, dx, batch);
        near(dx.data, dxOf(W1, dzData, batch), 'dx after setWeight, from the forward with forBackward');
        // a later forward without forBackward drops the copy: backward then reads the current weights
        l.forward(xt, z, batch);
        l.backward(xt, dz, dx, batch);
        near(dx.data, dxOf(W2, dzData, batch), 'dx after a plain forward');
        for (const t of [xt, dz, z, dx]) t.dispose();
        l.dispose();
      });
    }
  });
}
