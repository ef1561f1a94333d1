import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, createEngine } from '../../src/engine/index.js';
import { allocateChildren, type FpeOptions, splitNeurons } from '../../src/expand/index.js';
import { weightedClauseCollisions } from '../../src/measure/index.js';
import { createOptimizer, fit } from '../../src/nn/index.js';
import { count, randomModel, toyData } from './helpers.js';

// The split options of issue 11: outgoing partition, per-layer restore, non-uniform children.

const engine = createEngine({ backend: 'ref' });
const DEPTHS: Record<number, number[]> = { 1: [10, 6, 4], 2: [10, 6, 5, 4] };
const CLAUSES = [{ vars: [0, 1, 2] }, { vars: [3, 4, 5] }, { vars: [2, 6, 7] }, { vars: [7, 8, 9] }];

const VARIANTS: Record<string, FpeOptions> = {
  partition: { outgoing: 'partition' },
  'partition scaled': { outgoing: 'partition', outgoingScale: true },
  'partition clause-routed': { outgoing: 'partition', outgoingRoute: 'clause', strategy: 'clause', clauses: CLAUSES },
  'per-layer restore': { restore: 'per-layer' },
  'per-layer restore, overlap': { restore: 'per-layer', strategy: 'overlap' },
  'partition, overlap': { outgoing: 'partition', strategy: 'overlap' },
};

const parentChildren = (counts: number[]): number[] => counts.flatMap((c, i) => Array<number>(c).fill(i));

describe('every variant keeps the dense network’s non-zero count exactly', () => {
  for (const depth of [1, 2]) {
    for (const alpha of [2, 3, 4]) {
      for (const density of [1, 0.6]) {
        for (const [name, options] of Object.entries(VARIANTS)) {
          it(`${name}, depth ${depth}, alpha ${alpha}, density ${density}`, () => {
            const parent = randomModel(engine, DEPTHS[depth], { density, seed: depth * 10 + alpha, minPerRow: 5 });
            const r = splitNeurons(parent, { alpha, seed: 3, ...options });
            assert.equal(r.model.nnz(), parent.nnz());
            assert.equal(
              r.prunedPerLayer.reduce((s, p) => s + p, 0),
              r.pruned,
            );
            const disjoint = options.strategy !== 'overlap';
            if (options.outgoing === 'partition' && disjoint) assert.equal(r.pruned, 0, 'a disjoint split with a partition adds no weight');
            if (options.restore === 'per-layer') {
              // every matrix holds its parent's count again
              r.model.layers.forEach((l, i) => {
                assert.equal(count(l.mask()), count(parent.layers[i].mask()), `layers.${i}`);
              });
            }
            r.model.dispose();
            parent.dispose();
          });
        }
      }
    }
  }
});

describe('outgoing partition', () => {
  for (const scale of [false, true]) {
    it(`each parent's outgoing weight is kept by exactly one child${scale ? ', times the children count' : ''}`, () => {
      const alpha = 3;
      const parent = randomModel(engine, [10, 6, 4], { density: 0.7, seed: 1, minPerRow: 4 });
      const r = splitNeurons(parent, { alpha, outgoing: 'partition', outgoingScale: scale, seed: 2 });
      const [pw, pm] = [parent.layers[1].weight(), parent.layers[1].mask()];
      const [w, m] = [r.model.layers[1].weight(), r.model.layers[1].mask()];
      const width = 6 * alpha;
      for (let o = 0; o < 4; o++) {
        for (let i = 0; i < 6; i++) {
          const kept = [0, 1, 2].filter((j) => m[o * width + i * alpha + j] === 1);
          assert.equal(kept.length, pm[o * 6 + i], `output ${o}, parent ${i}`);
          for (const j of kept) assert.equal(w[o * width + i * alpha + j], Math.fround(pw[o * 6 + i] * (scale ? alpha : 1)));
          for (let j = 0; j < alpha; j++) if (!kept.includes(j)) assert.equal(w[o * width + i * alpha + j], 0);
        }
      }
      // the outputs are dealt evenly: each child of a parent feeding 4 outputs keeps 1 or 2 of them
      const held = new Array(width).fill(0);
      for (let o = 0; o < 4; o++) for (let c = 0; c < width; c++) held[c] += m[o * width + c];
      for (let i = 0; i < 6; i++) {
        const mine = held.slice(i * alpha, (i + 1) * alpha);
        assert.ok(Math.max(...mine) - Math.min(...mine) <= 1, `parent ${i}: ${mine}`);
      }
      // the incoming split stays disjoint and covers the parent's row
      const [pin, win] = [parent.layers[0].mask(), r.model.layers[0].mask()];
      for (let i = 0; i < 6; i++) {
        for (let c = 0; c < 10; c++) {
          const owners = [0, 1, 2].filter((j) => win[(i * alpha + j) * 10 + c] === 1).length;
          assert.equal(owners, pin[i * 10 + c]);
        }
      }
    });
  }

  it("clause routing gives output r to the child holding clause r's variables", () => {
    const parent = randomModel(engine, [10, 4, CLAUSES.length], { seed: 4 });
    const r = splitNeurons(parent, {
      alpha: 2,
      strategy: 'clause',
      clauses: CLAUSES,
      outgoing: 'partition',
      outgoingRoute: 'clause',
      seed: 1,
    });
    const [w1, m2] = [r.model.layers[0].mask(), r.model.layers[1].mask()];
    const width = 8;
    for (let i = 0; i < 4; i++) {
      for (let o = 0; o < CLAUSES.length; o++) {
        const share = [0, 1].map((j) => CLAUSES[o].vars.filter((v) => w1[(2 * i + j) * 10 + v] === 1).length);
        const owner = [0, 1].find((j) => m2[o * width + 2 * i + j] === 1) as number;
        assert.ok(share[owner] >= share[1 - owner], `parent ${i}, output ${o}: shares ${share}, owner ${owner}`);
      }
    }
  });

  it('refuses clause routing without clauses', () => {
    const parent = randomModel(engine, [10, 4, 3], { seed: 4 });
    assert.throws(() => splitNeurons(parent, { outgoing: 'partition', outgoingRoute: 'clause' }), ConfigError);
  });
});

describe('per-layer restore', () => {
  it('keeps every input weight and prunes only the copied outgoing weights, the smallest first', () => {
    const parent = randomModel(engine, [10, 6, 4], { seed: 7 });
    const r = splitNeurons(parent, { alpha: 4, restore: 'per-layer', seed: 1 });
    assert.deepEqual(r.prunedPerLayer, [0, 3 * 6 * 4]);
    assert.equal(count(r.model.layers[0].mask()), 60);
    // every kept outgoing weight is at least as large as every pruned one
    const pw = parent.layers[1].weight();
    const kept = r.model.layers[1]
      .weight()
      .filter((v) => v !== 0)
      .map(Math.abs);
    const parentSorted = Array.from(pw, Math.abs).sort((a, b) => b - a);
    assert.ok(Math.min(...kept) >= parentSorted[Math.ceil(kept.length / 4)] - 1e-7);
  });
  it('differs from the global restore, which prunes input weights too', () => {
    const parent = randomModel(engine, [10, 6, 4], { seed: 7 });
    const g = splitNeurons(parent, { alpha: 4, seed: 1 });
    assert.ok(g.prunedPerLayer[0] > 0);
  });
});

describe('non-uniform children', () => {
  it('splits each unit into its count of children, a count of 1 keeping the unit whole', () => {
    const parent = randomModel(engine, [10, 4, 3], { seed: 2 });
    const counts = [1, 3, 2, 4];
    const r = splitNeurons(parent, { children: [counts], seed: 1 });
    assert.equal(r.model.layers[0].outFeatures, 10);
    assert.deepEqual(Array.from(r.parentOf[0]), parentChildren(counts));
    assert.equal(r.model.nnz(), parent.nnz());
    const [pin, win] = [parent.layers[0].mask(), r.splitMasks[0]];
    // unit 0 is copied whole, with its bias
    assert.deepEqual(win.subarray(0, 10), pin.subarray(0, 10));
    assert.equal(r.model.layers[0].bias()[0], parent.layers[0].bias()[0]);
    // the children of every unit split its inputs disjointly and cover them
    let first = 0;
    counts.forEach((c, i) => {
      for (let v = 0; v < 10; v++) {
        let owners = 0;
        for (let j = 0; j < c; j++) owners += win[(first + j) * 10 + v];
        assert.equal(owners, pin[i * 10 + v]);
      }
      first += c;
    });
    // the restore removed what the copies added: (Σ counts − h) · outputs
    assert.equal(r.nnzAfterSplit - r.nnzBefore, (10 - 4) * 3);
  });
  it('works with a partition and in deeper networks', () => {
    const parent = randomModel(engine, [10, 4, 5, 3], { seed: 2 });
    const r = splitNeurons(parent, {
      children: [
        [1, 3, 2, 4],
        [2, 1, 1, 1, 3],
      ],
      outgoing: 'partition',
      seed: 1,
    });
    assert.deepEqual(
      r.model.layers.map((l) => l.outFeatures),
      [10, 8, 3],
    );
    assert.equal(r.model.nnz(), parent.nnz());
    assert.equal(r.pruned, 0);
  });
  it('refuses counts that do not fit the model', () => {
    const parent = randomModel(engine, [10, 4, 3], { density: 0.3, seed: 2, minPerRow: 3 });
    const cases: Array<[FpeOptions, RegExp]> = [
      [{ children: [[1, 2, 3]] }, /children\[0\] has 3 counts but hidden layer 0 has 4 units/],
      [{ children: [] }, /children has 0 arrays but 1 layers are split/],
      [{ children: [[1, 1, 1, 11]] }, /11 children exceed the \d+ non-zero inputs of row 3 of layers\.0/],
      [{ children: [[1, 0, 1, 1]] }, /children/],
      [{ children: [[2, 2, 2, 2]], strategy: 'gram' }, /needs strategy 'random', 'clause' or 'overlap'/],
    ];
    for (const [options, message] of cases) assert.throws(() => splitNeurons(parent, options), message);
  });
});

describe('masked weights stay zero after training steps', () => {
  for (const [name, options] of Object.entries({
    ...VARIANTS,
    selective: { children: [[1, 5, 2, 1, 3, 4]] } as FpeOptions,
  })) {
    it(name, () => {
      const parent = randomModel(engine, [10, 6, 4], { seed: 9, minPerRow: 6 });
      const data = toyData(10, 4, 64, 1);
      const opt = createOptimizer(parent, { kind: 'adam', lr: 0.01 });
      const r = splitNeurons(parent, { alpha: 3, seed: 1, ...options }, opt);
      const masks = r.model.layers.map((l) => l.mask());
      fit(r.model, data, { epochs: 3, batchSize: 16, optimizer: r.optimizer!, loss: 'cross-entropy', seed: 1 });
      r.model.layers.forEach((l, i) => {
        const w = l.weight();
        assert.deepEqual(l.mask(), masks[i]);
        for (let t = 0; t < w.length; t++) if (masks[i][t] === 0) assert.equal(w[t], 0);
      });
      assert.equal(r.model.nnz(), parent.nnz());
    });
  }
});

describe('allocateChildren', () => {
  it('splits the top half, more children for higher scores, the given total', () => {
    assert.deepEqual(Array.from(allocateChildren([3, 1, 0, 2], 8)), [3, 1, 1, 3]);
    const scores = [5, 4, 3, 2, 1, 0.5, 0.2, 0.1];
    const c = allocateChildren(scores, 32);
    assert.equal(
      c.reduce((s, x) => s + x, 0),
      32,
    );
    assert.deepEqual(Array.from(c.subarray(4)), [1, 1, 1, 1]);
    for (let u = 1; u < 4; u++) assert.ok(c[u] <= c[u - 1]);
  });
  it('respects the limits and the fraction', () => {
    const c = allocateChildren([5, 4, 3, 2, 1, 0.5, 0.2, 0.1], 32, { limit: [4, 32, 32, 32, 32, 32, 32, 32] });
    assert.equal(c[0], 4);
    assert.equal(
      c.reduce((s, x) => s + x, 0),
      32,
    );
    assert.deepEqual(Array.from(allocateChildren([1, 2, 3, 4], 8, { fraction: 1 })), [2, 2, 2, 2]);
  });
  it('refuses what cannot be placed', () => {
    assert.throws(() => allocateChildren([1, 2], 100, { limit: [3, 3] }), /cannot be placed/);
    assert.throws(() => allocateChildren([1, 2], 4, { fraction: 0 }), /fraction must be in \(0, 1\]/);
    assert.throws(() => allocateChildren([1, Number.NaN], 4), /scores\[1\] is NaN/);
  });
});

describe('weightedClauseCollisions', () => {
  it('is e(e − 1)/2 for the participation ratio e of the clause strengths', () => {
    // unit 0 reads clauses 0 and 1 equally (e = 2, one pair); unit 1 reads clause 0 only; unit 2 nothing
    const w = new Float32Array(3 * 6);
    w.set([1, 1, 1, 1, 1, 1], 0);
    w.set([2, 2, 2, 0, 0, 0], 6);
    const clauses = [{ vars: [0, 1, 2] }, { vars: [3, 4, 5] }];
    assert.deepEqual(Array.from(weightedClauseCollisions(w, 3, 6, clauses)), [1, 0, 0]);
    // strengths 3 and 1: e = 16 / 10
    w.set([1, 1, 1, 1, 0, 0], 6);
    assert.ok(Math.abs(weightedClauseCollisions(w, 3, 6, clauses)[1] - (1.6 * 0.6) / 2) < 1e-12);
  });
});
