import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCsr, createEngine, Rng } from '../../src/engine/index.js';
import { gelu, geluGrad } from '../../src/engine/ref/math.js';
import { erf } from '../../src/math/normal.js';

// The reference backend is the oracle for the wasm kernels, so it is checked here against
// independent facts: published constants, algebraic identities between kernels, hand values.
const engine = createEngine({ backend: 'ref' });
const k = engine.backend;

function rand(n: number, rng: Rng): number[] {
  return Array.from({ length: n }, () => rng.float() * 2 - 1);
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

test('erf and GELU match published values', () => {
  // erf values from Abramowitz & Stegun table 7.1 / any CAS, 16 digits
  const table: Array<[number, number]> = [
    [0, 0],
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [-1.5, -0.9661051464753108],
    [2, 0.9953222650189527],
    [3, 0.9999779095030014],
    [4.5, 0.9999999998033839],
  ];
  for (const [x, v] of table) assert.ok(Math.abs(erf(x) - v) < 1e-14, `erf(${x}) = ${erf(x)}, want ${v}`);
  // torch.nn.functional.gelu(torch.tensor(1.0, dtype=float64)) = 0.8413447460685429
  assert.ok(Math.abs(gelu(1) - 0.8413447460685429) < 1e-14);
  const h = 1e-6;
  for (const x of [-3, -0.7, 0, 0.3, 2.2]) {
    assert.ok(Math.abs(geluGrad(x) - (gelu(x + h) - gelu(x - h)) / (2 * h)) < 1e-8, `gelu'(${x})`);
  }
});

test('gemm computes a hand-checked product for every transpose combination', () => {
  // A = [[1,2,3],[4,5,6]] (2x3), B = [[1,0],[0,1],[1,1]] (3x2): A·B = [[4,5],[10,11]]
  const A = [1, 2, 3, 4, 5, 6];
  const At = [1, 4, 2, 5, 3, 6];
  const B = [1, 0, 0, 1, 1, 1];
  const Bt = [1, 0, 1, 0, 1, 1];
  for (const [ta, tb] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    const a = engine.from(ta ? At : A, [6]);
    const b = engine.from(tb ? Bt : B, [6]);
    const c = engine.from([1, 1, 1, 1], [4]);
    k.gemm(ta, tb, 2, 2, 3, 2, a.ptr, b.ptr, 0.5, c.ptr);
    assert.deepEqual([...c.data], [8.5, 10.5, 20.5, 22.5], `transA=${ta} transB=${tb}`);
  }
});

test('spmm, spmmT and sddmm agree with dense gemm on the masked matrix', () => {
  const rng = new Rng(3);
  const [rows, cols, n] = [7, 11, 5];
  const mask = Array.from({ length: rows * cols }, () => (rng.float() < 0.4 ? 1 : 0));
  mask.fill(0, 2 * cols, 3 * cols); // an empty row
  const csr = buildCsr(engine.arena, rows, cols, mask);
  const vals = engine.from(rand(csr.nnz, rng), [csr.nnz]);
  const dense = engine.tensor([rows * cols]);
  k.scatterCsr(csr, vals.ptr, dense.ptr);
  const back = engine.tensor([csr.nnz]);
  k.gatherCsr(csr, dense.ptr, 0, back.ptr);
  assert.deepEqual([...back.data], [...vals.data], 'gather(scatter(v)) == v');

  const B = engine.from(rand(cols * n, rng), [cols, n]);
  const c1 = engine.tensor([rows, n]);
  const c2 = engine.tensor([rows, n]);
  k.spmm(csr, vals.ptr, n, B.ptr, 0, c1.ptr);
  k.gemm(false, false, rows, n, cols, 1, dense.ptr, B.ptr, 0, c2.ptr);
  close(c1.data, c2.data, 1e-6, 'spmm');

  const D = engine.from(rand(rows * n, rng), [rows, n]);
  const t1 = engine.tensor([cols, n]);
  const t2 = engine.tensor([cols, n]);
  k.spmmT(csr, vals.ptr, n, D.ptr, 0, t1.ptr);
  k.gemm(true, false, cols, n, rows, 1, dense.ptr, D.ptr, 0, t2.ptr);
  close(t1.data, t2.data, 1e-6, 'spmmT');

  const full = engine.tensor([rows, cols]);
  k.gemm(false, true, rows, cols, n, 1, D.ptr, B.ptr, 0, full.ptr);
  const s = engine.tensor([csr.nnz]);
  k.sddmm(csr, n, D.ptr, B.ptr, 0, s.ptr);
  const want = engine.tensor([csr.nnz]);
  k.gatherCsr(csr, full.ptr, 0, want.ptr);
  close(s.data, want.data, 1e-6, 'sddmm');
});

test('softmax cross-entropy, BCE and MSE give hand-computed losses and gradients', () => {
  // two samples, three classes, feature-major logits [3, 2]
  const logits = engine.from([0, 1, 0, 2, 0, 3], [3, 2]);
  const labels = engine.from([0, 2], [2], 'i32');
  const grad = engine.tensor([3, 2]);
  const loss = k.softmaxCrossEntropy(3, 2, logits.ptr, labels.ptr, grad.ptr, 0.5);
  assert.ok(Math.abs(loss - (Math.log(3) + (Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3))) < 1e-6);
  assert.ok(Math.abs(grad.data[0] - (1 / 3 - 1) * 0.5) < 1e-7);
  assert.ok(Math.abs(k.softmaxCrossEntropy(3, 2, logits.ptr, labels.ptr, 0, 1) - loss) < 1e-12, 'grad=0 skips the gradient');

  const z = engine.from([0, 2], [2]);
  const y = engine.from([1, 0], [2]);
  const g = engine.tensor([2]);
  const bce = k.bceWithLogits(2, z.ptr, y.ptr, g.ptr, 1);
  assert.ok(Math.abs(bce - (Math.log(2) + Math.log(1 + Math.exp(2)))) < 1e-6);
  close(g.data, [-0.5, 1 / (1 + Math.exp(-2))], 1e-6, 'bce grad');
  assert.equal(k.mse(2, z.ptr, y.ptr, g.ptr, 0.5), 5);
  close(g.data, [-1, 2], 1e-7, 'mse grad');
});

test('adam first step moves each weight by lr in the direction of -sign(g); sgd momentum accumulates', () => {
  const w = engine.from([1, 1, 1], [3]);
  const g = engine.from([0.5, -2, 0], [3]);
  const m = engine.tensor([3]);
  const v = engine.tensor([3]);
  k.adam(3, w.ptr, g.ptr, m.ptr, v.ptr, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1 });
  close(w.data, [0.9, 1.1, 1], 1e-6, 'adam');
  const w2 = engine.from([1], [1]);
  const g2 = engine.from([1], [1]);
  const buf = engine.tensor([1]);
  const p = { lr: 0.1, momentum: 0.9, weightDecay: 0, nesterov: false };
  k.sgd(1, w2.ptr, g2.ptr, buf.ptr, p);
  k.sgd(1, w2.ptr, g2.ptr, buf.ptr, p);
  // buf: 1 then 1.9; w: 1 - 0.1 - 0.19
  close(w2.data, [0.71], 1e-6, 'sgd');
});

test('row bias, row sums, activations and their gradients', () => {
  const a = engine.from([1, -2, 3, -4], [2, 2]);
  const bias = engine.from([10, 20], [2]);
  k.addRowBias(2, 2, bias.ptr, a.ptr);
  assert.deepEqual([...a.data], [11, 8, 23, 16]);
  const out = engine.from([1, 1], [2]);
  k.rowSum(2, 2, a.ptr, 1, out.ptr);
  assert.deepEqual([...out.data], [20, 40]);
  const x = engine.from([-1, 0.5], [2]);
  const y = engine.tensor([2]);
  const dy = engine.from([3, 3], [2]);
  const dx = engine.tensor([2]);
  k.activation('relu', 2, x.ptr, y.ptr);
  k.activationGrad('relu', 2, x.ptr, y.ptr, dy.ptr, dx.ptr);
  assert.deepEqual([...y.data, ...dx.data], [0, 0.5, 0, 3]);
  k.activation('sigmoid', 2, x.ptr, y.ptr);
  k.activationGrad('sigmoid', 2, x.ptr, y.ptr, dy.ptr, dx.ptr);
  close(dx.data, [3 * 0.19661193324148185, 3 * 0.2350037122015945], 1e-6, 'sigmoid grad');
  const bad = engine.from([1, Number.NaN, Number.POSITIVE_INFINITY, 0], [4]);
  assert.equal(k.countNonFinite(4, bad.ptr), 2);
});

test('GELU stays accurate in the far negative tail, where 1 + erf(x) cancels', () => {
  // x·Φ(x) for x = -10: Φ(-10) = 7.61985302416047e-24 (SciPy norm.cdf(-10))
  assert.ok(Math.abs(gelu(-10) / (-10 * 7.61985302416047e-24) - 1) < 1e-12, `gelu(-10) = ${gelu(-10)}`);
  assert.ok(gelu(-30) <= 0 && gelu(-30) > -1e-190);
});
