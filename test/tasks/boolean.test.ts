import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, Rng } from '../../src/engine/index.js';
import { BOOLEAN_DEFAULTS, type BooleanTask, type Clause, makeBooleanTask } from '../../src/tasks/index.js';

// An independent oracle: does sample s of x [size, n] satisfy the clause?
const holds = (c: Clause, x: Float32Array, n: number, s: number): boolean => c.vars.every((v, t) => x[s * n + v] === c.signs[t]);

/** |observed − expected| of a count is within 4.5 binomial standard deviations. */
function assertBinomial(count: number, trials: number, p: number, what: string): void {
  const sd = Math.sqrt(trials * p * (1 - p));
  assert.ok(Math.abs(count - trials * p) <= 4.5 * sd, `${what}: ${count} of ${trials}, expected ${trials * p} ± ${4.5 * sd}`);
}

function assertPlusMinusOne(task: BooleanTask): void {
  for (const set of [task.train, task.test]) {
    assert.equal(set.x.length, set.size * task.options.n);
    assert.ok(
      set.x.every((v) => v === 1 || v === -1),
      'x is in {-1, +1}',
    );
  }
}

describe('boolean task options', () => {
  it('resolves the spec defaults and reports outputs and loss per mode', () => {
    const t = makeBooleanTask({ trainSize: 10, testSize: 5 });
    assert.deepEqual(t.options, { ...BOOLEAN_DEFAULTS, trainSize: 10, testSize: 5 });
    assert.deepEqual(BOOLEAN_DEFAULTS, { n: 32, m: 8, k: 3, mode: 'which-clause', trainSize: 4096, testSize: 2048, seed: 0 });
    assert.deepEqual([t.outputs, t.loss, t.train.size, t.test.size], [8, 'cross-entropy', 10, 5]);
    assert.ok(t.train.y instanceof Int32Array);
    const ml = makeBooleanTask({ mode: 'multi-label', m: 5, trainSize: 10, testSize: 5 });
    assert.deepEqual([ml.outputs, ml.loss, ml.train.y.length], [5, 'bce', 50]);
    assert.ok(ml.train.y instanceof Float32Array);
    const dnf = makeBooleanTask({ mode: 'dnf', trainSize: 10, testSize: 5 });
    assert.deepEqual([dnf.outputs, dnf.loss, dnf.train.y.length], [1, 'bce', 10]);
  });

  const cases: Array<[string, unknown, RegExp]> = [
    ['a non-object', 3, /^boolean task options must be an object, got 3$/],
    ['an unknown key', { clauses: 8 }, /^unknown boolean option 'clauses'; allowed: n, m, k, mode, trainSize, testSize, seed$/],
    ['an unknown mode', { mode: 'cnf' }, /^boolean option 'mode' must be one of 'which-clause', 'multi-label', 'dnf', got "cnf"$/],
    ['n = 0', { n: 0 }, /^boolean option 'n' must be an integer >= 1, got 0$/],
    [
      'k > n',
      { n: 4, k: 5 },
      /^boolean option 'k' must be an integer in \[1, 4\], got 5; a clause has k literals on k distinct variables of the n = 4$/,
    ],
    ['a fractional k', { k: 2.5 }, /^boolean option 'k' must be an integer in \[1, 32\], got 2\.5/],
    [
      'm = 1 for which-clause',
      { m: 1 },
      /^boolean option 'm' must be an integer >= 2, got 1; mode 'which-clause' needs at least 2 classes$/,
    ],
    ['m = 0 for dnf', { mode: 'dnf', m: 0 }, /^boolean option 'm' must be an integer >= 1, got 0$/],
    [
      'more clauses than exist',
      { n: 4, k: 2, m: 25, mode: 'multi-label' },
      /^boolean option 'm' = 25 exceeds the 24 distinct clauses of k = 2 literals over n = 4 variables \(C\(n, k\)·2\^k\); lower m or raise n$/,
    ],
    ['trainSize = 0', { trainSize: 0 }, /^boolean option 'trainSize' must be an integer >= 1, got 0$/],
    ['a NaN testSize', { testSize: Number.NaN }, /^boolean option 'testSize' must be an integer >= 1, got NaN$/],
    ['a negative seed', { seed: -1 }, /^boolean option 'seed' must be an integer in \[0, 4294967295\], got -1$/],
    ['a seed above 2^32 - 1', { seed: 2 ** 32 }, /^boolean option 'seed' must be an integer in \[0, 4294967295\], got 4294967296$/],
    [
      'a clause set that is almost never duplicate-free',
      { n: 4, k: 2, m: 20, mode: 'multi-label' },
      /^could not draw m = 20 distinct clauses of k = 2 literals over n = 4 variables: all 1000 clause sets held a duplicate \(there are 24 distinct clauses and a set is redrawn whole\); lower m or raise n$/,
    ],
    [
      'which-clause with too many clauses',
      { m: 96, trainSize: 10, testSize: 10 },
      /^boolean mode 'which-clause' cannot be sampled with n = 32, m = 96, k = 3: only \d+ of \d+ draws were accepted \(rate .+, minimum 0\.001\) because a sample forced to satisfy its clause almost always satisfies another one too; lower m, raise k, or use mode 'multi-label'$/,
    ],
    [
      'dnf with too many clauses',
      { mode: 'dnf', m: 96, trainSize: 10, testSize: 10 },
      /^boolean mode 'dnf' cannot be sampled with n = 32, m = 96, k = 3: only \d+ of \d+ draws were accepted .* because a uniform input almost always satisfies some clause, so negatives cannot be drawn; lower m or raise k$/,
    ],
  ];
  for (const [name, options, pattern] of cases) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => makeBooleanTask(options as never),
        (e) => e instanceof ConfigError && pattern.test(e.message),
      );
    });
  }
});

describe('boolean clauses', () => {
  for (const options of [{}, { n: 10, k: 2, m: 30 }, { n: 256, k: 3, m: 256 }, { n: 5, k: 5, m: 12 }]) {
    it(`have k distinct ascending variables, ±1 signs and no duplicate for ${JSON.stringify(options)}`, () => {
      const t = makeBooleanTask({ ...options, mode: 'multi-label', trainSize: 1, testSize: 1 });
      const { n, m, k } = t.options;
      assert.equal(t.clauses.length, m);
      const keys = new Set<string>();
      for (const c of t.clauses) {
        assert.equal(c.vars.length, k);
        assert.equal(c.signs.length, k);
        for (let i = 0; i < k; i++) {
          assert.ok(Number.isInteger(c.vars[i]) && c.vars[i] >= 0 && c.vars[i] < n);
          if (i > 0) assert.ok(c.vars[i] > c.vars[i - 1], 'distinct and ascending');
          assert.ok(c.signs[i] === 1 || c.signs[i] === -1);
        }
        keys.add(JSON.stringify(c));
      }
      assert.equal(keys.size, m, 'no duplicate clause');
    });
  }

  it('use both polarities and spread over the variables', () => {
    const t = makeBooleanTask({ n: 16, m: 200, k: 3, mode: 'multi-label', trainSize: 1, testSize: 1 });
    const literals = t.clauses.flatMap((c) => c.signs);
    assertBinomial(literals.filter((s) => s === 1).length, literals.length, 0.5, 'positive literals');
    const perVar = new Array(16).fill(0);
    for (const c of t.clauses) for (const v of c.vars) perVar[v]++;
    for (const count of perVar) assertBinomial(count, 200, 3 / 16, 'clauses per variable');
  });
});

describe('boolean samples', () => {
  it('which-clause: exactly the labelled clause holds, classes are uniform, free variables are fair', () => {
    const t = makeBooleanTask({ m: 12, trainSize: 3000, testSize: 500, seed: 5 });
    assertPlusMinusOne(t);
    const { n, m } = t.options;
    for (const set of [t.train, t.test]) {
      for (let s = 0; s < set.size; s++) {
        const sat = t.clauses.map((c) => holds(c, set.x, n, s));
        assert.equal(sat.filter(Boolean).length, 1, `sample ${s} satisfies exactly one clause`);
        assert.equal(sat[set.y[s]], true, `sample ${s} satisfies its labelled clause`);
      }
    }
    for (let c = 0; c < m; c++) assertBinomial(t.train.y.filter((y) => y === c).length, t.train.size, 1 / m, `class ${c}`);
    const used = new Set(t.clauses.flatMap((c) => c.vars));
    for (let v = 0; v < n; v++) {
      if (used.has(v)) continue;
      let plus = 0;
      for (let s = 0; s < t.train.size; s++) if (t.train.x[s * n + v] === 1) plus++;
      assertBinomial(plus, t.train.size, 0.5, `free variable ${v}`);
    }
  });

  it('dnf: the label is the OR of the clauses, and half the samples are positive', () => {
    const t = makeBooleanTask({ mode: 'dnf', m: 10, trainSize: 3000, testSize: 500, seed: 2 });
    assertPlusMinusOne(t);
    for (const set of [t.train, t.test]) {
      for (let s = 0; s < set.size; s++) {
        const any = t.clauses.some((c) => holds(c, set.x, t.options.n, s));
        assert.equal(set.y[s], any ? 1 : 0, `sample ${s}`);
      }
    }
    assertBinomial(t.train.y.filter((y) => y === 1).length, t.train.size, 0.5, 'positives');
  });

  it('multi-label: targets are the clause satisfactions; half the samples have a forced clause', () => {
    const t = makeBooleanTask({ mode: 'multi-label', m: 6, k: 2, n: 12, trainSize: 4000, testSize: 500, seed: 9 });
    assertPlusMinusOne(t);
    const { n, m } = t.options;
    let some = 0;
    for (const set of [t.train, t.test]) {
      for (let s = 0; s < set.size; s++) {
        for (let j = 0; j < m; j++) assert.equal(set.y[s * m + j], holds(t.clauses[j], set.x, n, s) ? 1 : 0);
        if (set === t.train && t.clauses.some((c) => holds(c, set.x, n, s))) some++;
      }
    }
    // P(some clause holds) = 1/2 + q/2, q = P(a uniform x satisfies some clause), estimated apart
    const rng = new Rng(77);
    const draws = 20000;
    const x = new Float32Array(n);
    let hits = 0;
    for (let d = 0; d < draws; d++) {
      for (let v = 0; v < n; v++) x[v] = rng.int(2) === 1 ? 1 : -1;
      if (t.clauses.some((c) => holds(c, x, n, 0))) hits++;
    }
    const p = 0.5 + hits / draws / 2;
    const slack = 4.5 * Math.sqrt(p * (1 - p) * t.train.size + ((t.train.size / 2) ** 2 * (hits / draws)) / draws);
    assert.ok(Math.abs(some - p * t.train.size) <= slack, `${some} rows with a satisfied clause, expected ${p * t.train.size} ± ${slack}`);
  });
});

describe('boolean determinism', () => {
  const options = { n: 20, m: 6, trainSize: 300, testSize: 200 };

  it('repeats exactly for a seed, and changes with it', () => {
    const a = makeBooleanTask({ ...options, seed: 3 });
    const b = makeBooleanTask({ ...options, seed: 3 });
    assert.deepEqual(a, b);
    const c = makeBooleanTask({ ...options, seed: 4 });
    assert.notDeepEqual(a.clauses, c.clauses);
    assert.notDeepEqual(a.train.x, c.train.x);
  });

  it('draws train and test independently: the test set does not depend on trainSize', () => {
    for (const mode of ['which-clause', 'multi-label', 'dnf'] as const) {
      const a = makeBooleanTask({ ...options, mode, seed: 1 });
      const b = makeBooleanTask({ ...options, mode, seed: 1, trainSize: 17 });
      assert.deepEqual(a.test, b.test);
      assert.deepEqual(a.clauses, b.clauses);
      assert.notDeepEqual(a.train.x.subarray(0, 200 * 20), a.test.x);
    }
  });
});
