// Element-wise kernels over float ranges [lo, hi) or row ranges, so the caller can split them
// between threads; the body and the tail use the same f32x4 math (see lanes.ts).
import { Block4, hsum, loadTail, storeTail } from './lanes';
import { V } from './vmath';

// Activation codes: the index in ACTIVATIONS (src/engine/backend.ts).
const RELU = 1;
const GELU = 2;
const SIGMOID = 3;

/** One vector of each activation and its gradient, inlined into the loops (calls would spill every vector register). */
// biome-ignore lint/complexity/noStaticOnlyClass: AssemblyScript inlines static methods on request (@inline), free functions it cannot
class Act {
  /** y = f(x); identity for unknown codes. */
  @inline static f(kind: i32, x: v128): v128 {
    if (kind === RELU) return v128.and(x, f32x4.gt(x, f32x4.splat(0)));
    if (kind === GELU) return f32x4.mul(x, V.normcdf(x));
    if (kind === SIGMOID) return V.sigmoid(x);
    return x;
  }

  /** f'(x)·dy, multiplied in so NaN/Inf in dy propagate as in ref; y = f(x) serves sigmoid. */
  @inline static grad(kind: i32, x: v128, y: v128, dy: v128): v128 {
    const one = f32x4.splat(1);
    if (kind === RELU) return f32x4.mul(v128.and(one, f32x4.gt(x, f32x4.splat(0))), dy);
    if (kind === GELU) {
      // Φ(x) + x·φ(x), φ(x) = exp(-x²/2)/√(2π)
      const pdf = f32x4.mul(V.exp(f32x4.mul(f32x4.mul(x, x), f32x4.splat(-0.5))), f32x4.splat(0.3989422804));
      return f32x4.mul(f32x4.add(V.normcdf(x), f32x4.mul(x, pdf)), dy);
    }
    if (kind === SIGMOID) return f32x4.mul(f32x4.mul(y, f32x4.sub(one, y)), dy);
    return dy;
  }

  /** y[i] = f(x[i]) over [lo, hi), the tail through loadTail/storeTail; inlined with a constant kind. */
  @inline static map(lo: i32, hi: i32, kind: i32, x: usize, y: usize): void {
    let i = lo;
    for (; i + 4 <= hi; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(y + o, Act.f(kind, v128.load(x + o)));
    }
    if (i < hi) {
      const o = (<usize>i) << 2;
      storeTail(y + o, Act.f(kind, loadTail(x + o, hi - i)), hi - i);
    }
  }

  /** dx[i] = f'(x[i])·dy[i] over [lo, hi); inlined with a constant kind. */
  @inline static mapGrad(lo: i32, hi: i32, kind: i32, x: usize, y: usize, dy: usize, dx: usize): void {
    let i = lo;
    for (; i + 4 <= hi; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(dx + o, Act.grad(kind, v128.load(x + o), v128.load(y + o), v128.load(dy + o)));
    }
    if (i < hi) {
      const o = (<usize>i) << 2;
      const c = hi - i;
      storeTail(dx + o, Act.grad(kind, loadTail(x + o, c), loadTail(y + o, c), loadTail(dy + o, c)), c);
    }
  }
}

/**
 * y[i] = f(x[i]) for i in [lo, hi); y may equal x. ReLU (the default activation) in a loop of its
 * own: in the shared loop V8 compares the kind 3 times a vector and jumps to the ReLU case and
 * back (binaryen folds per-kind copies of that loop back into one).
 */
export function activation(lo: i32, hi: i32, kind: i32, x: usize, y: usize): void {
  if (kind === RELU) reluMap(lo, hi, x, y);
  else Act.map(lo, hi, kind, x, y);
}

/** dx[i] = f'(x[i])·dy[i] for i in [lo, hi), with y = f(x) (used by sigmoid); dx may equal dy. ReLU in a loop of its own, as in activation. */
export function activationGrad(lo: i32, hi: i32, kind: i32, x: usize, y: usize, dy: usize, dx: usize): void {
  if (kind === RELU) reluGradMap(lo, hi, x, dy, dx);
  else Act.mapGrad(lo, hi, kind, x, y, dy, dx);
}

/** activation for ReLU: its own loop (Act.f's body), nothing dispatched a vector. */
function reluMap(lo: i32, hi: i32, x: usize, y: usize): void {
  const zero = f32x4.splat(0);
  let i = lo;
  for (; i + 4 <= hi; i += 4) {
    const o = (<usize>i) << 2;
    const v = v128.load(x + o);
    v128.store(y + o, v128.and(v, f32x4.gt(v, zero)));
  }
  if (i < hi) {
    const o = (<usize>i) << 2;
    const v = loadTail(x + o, hi - i);
    storeTail(y + o, v128.and(v, f32x4.gt(v, zero)), hi - i);
  }
}

/** activationGrad for ReLU: its own loop (Act.grad's body). */
function reluGradMap(lo: i32, hi: i32, x: usize, dy: usize, dx: usize): void {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  let i = lo;
  for (; i + 4 <= hi; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(dx + o, f32x4.mul(v128.and(one, f32x4.gt(v128.load(x + o), zero)), v128.load(dy + o)));
  }
  if (i < hi) {
    const o = (<usize>i) << 2;
    const c = hi - i;
    storeTail(dx + o, f32x4.mul(v128.and(one, f32x4.gt(loadTail(x + o, c), zero)), loadTail(dy + o, c)), c);
  }
}

/** x[i] *= alpha for i in [lo, hi). */
export function scale(lo: i32, hi: i32, alpha: f32, x: usize): void {
  const va = f32x4.splat(alpha);
  let i = lo;
  for (; i + 4 <= hi; i += 4) {
    const p = x + ((<usize>i) << 2);
    v128.store(p, f32x4.mul(v128.load(p), va));
  }
  for (; i < hi; i++) {
    const p = x + ((<usize>i) << 2);
    store<f32>(p, load<f32>(p) * alpha);
  }
}

/** Count of NaN and ±Inf among x[0..len): exponent bits all ones. */
export function countNonFinite(len: i32, x: usize): i32 {
  const absMask = i32x4.splat(0x7fffffff);
  const inf = i32x4.splat(0x7f800000);
  let bad = i32x4.splat(0);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    // each lane is -1 where |bits| >= inf bits
    bad = i32x4.sub(bad, i32x4.ge_s(v128.and(v128.load(x + ((<usize>i) << 2)), absMask), inf));
  }
  let n = i32x4.extract_lane(bad, 0) + i32x4.extract_lane(bad, 1) + i32x4.extract_lane(bad, 2) + i32x4.extract_lane(bad, 3);
  for (; i < len; i++) if ((load<i32>(x + ((<usize>i) << 2)) & 0x7fffffff) >= 0x7f800000) n++;
  return n;
}

/** c[r,t] += bias[r] for rows r in [lo, hi) of c[rows,n]. */
export function addRowBias(lo: i32, hi: i32, n: i32, bias: usize, c: usize): void {
  for (let r = lo; r < hi; r++) {
    const b = load<f32>(bias + ((<usize>r) << 2));
    const vb = f32x4.splat(b);
    const row = c + ((<usize>r * <usize>n) << 2);
    let t = 0;
    for (; t + 4 <= n; t += 4) v128.store(row + ((<usize>t) << 2), f32x4.add(v128.load(row + ((<usize>t) << 2)), vb));
    for (; t < n; t++) store<f32>(row + ((<usize>t) << 2), load<f32>(row + ((<usize>t) << 2)) + b);
  }
}

/** out[r] = Σ_t a[r,t] + beta·out[r] for rows r in [lo, hi) of a[rows,n]; 2 vector partial sums, fixed order. */
export function rowSum(lo: i32, hi: i32, n: i32, a: usize, beta: f32, out: usize): void {
  for (let r = lo; r < hi; r++) {
    const row = a + ((<usize>r * <usize>n) << 2);
    let s0 = f32x4.splat(0);
    let s1 = f32x4.splat(0);
    let t = 0;
    for (; t + 8 <= n; t += 8) {
      s0 = f32x4.add(s0, v128.load(row + ((<usize>t) << 2)));
      s1 = f32x4.add(s1, v128.load(row + ((<usize>t) << 2), 16));
    }
    if (t + 4 <= n) {
      s0 = f32x4.add(s0, v128.load(row + ((<usize>t) << 2)));
      t += 4;
    }
    let s = hsum(f32x4.add(s0, s1));
    for (; t < n; t++) s += load<f32>(row + ((<usize>t) << 2));
    const o = out + ((<usize>r) << 2);
    store<f32>(o, beta === 0 ? s : s + beta * load<f32>(o));
  }
}

/**
 * b[c,r] = a[r,c] for rows r in [lo, hi) of a[rows,cols]: 4x4 register transposes, scalar edges.
 * Strips of 16 rows first: each 4-column step writes 64 contiguous bytes (a cache line) to each
 * of b's 4 rows, where a 4-row strip writes 16 and comes back to the line 3 strips later, after
 * touching cols lines in between (more than L1 holds at 784 columns).
 */
export function transpose(lo: i32, hi: i32, rows: i32, cols: i32, a: usize, b: usize): void {
  const ra = (<usize>cols) << 2; // row strides in bytes
  const rb = (<usize>rows) << 2;
  let r = lo;
  for (; r + 16 <= hi; r += 16) {
    const src = a + <usize>r * ra;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const q = b + <usize>c * rb + ((<usize>r) << 2);
      const p = src + ((<usize>c) << 2);
      for (let g = 0; g < 4; g++) Block4.move(p + <usize>(4 * g) * ra, ra, q + ((<usize>g) << 4), rb);
    }
    for (; c < cols; c++) {
      for (let i = 0; i < 16; i++)
        store<f32>(b + <usize>c * rb + ((<usize>(r + i)) << 2), load<f32>(src + <usize>i * ra + ((<usize>c) << 2)));
    }
  }
  for (; r + 4 <= hi; r += 4) {
    const src = a + <usize>r * ra;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      Block4.move(src + ((<usize>c) << 2), ra, b + <usize>c * rb + ((<usize>r) << 2), rb);
    }
    for (; c < cols; c++) {
      for (let i = 0; i < 4; i++)
        store<f32>(b + <usize>c * rb + ((<usize>(r + i)) << 2), load<f32>(src + <usize>i * ra + ((<usize>c) << 2)));
    }
  }
  for (; r < hi; r++) {
    for (let c = 0; c < cols; c++) store<f32>(b + <usize>c * rb + ((<usize>r) << 2), load<f32>(a + <usize>r * ra + ((<usize>c) << 2)));
  }
}
