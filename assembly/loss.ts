// Loss kernels: small (output layer only), so plain f64 loops that mirror the reference exactly;
// the summed loss is accumulated in f64. grad == 0 means "no gradient output".
import { exp64, log1p64, log64 } from './vmath';
import { E64 } from './vmath64';

/**
 * Softmax cross-entropy over logits[classes,n] (feature-major) with i32 labels[n]; returns the
 * summed loss, writes (softmax - onehot)·gradScale. Two samples at a time in f64x2 lanes (the
 * batch is the fast axis), each lane doing the scalar sample's operations in its order; the loss
 * is summed in sample order.
 */
export function softmaxCrossEntropy(classes: i32, n: i32, logits: usize, labels: usize, grad: usize, gradScale: f64): f64 {
  const ld = (<usize>n) << 2;
  let total: f64 = 0;
  let t = 0;
  for (; t + 4 <= n; t += 4)
    total = softmaxQuad(
      total,
      classes,
      logits + ((<usize>t) << 2),
      ld,
      labels + ((<usize>t) << 2),
      grad === 0 ? 0 : grad + ((<usize>t) << 2),
      gradScale,
    );
  for (; t < n; t++)
    total += softmaxColumn(classes, logits + ((<usize>t) << 2), ld, load<i32>(labels + ((<usize>t) << 2)), grad, t, gradScale);
  return total;
}

/**
 * Four samples of softmaxCrossEntropy (columns col .. col+3) in two pairs of f64 lanes; returns
 * `total` plus their losses, added in sample order. The exps of a pass are range-checked once: all
 * of its arguments lie between (min logit - shift) and 0, shift = max or lse >= max.
 */
function softmaxQuad(total: f64, classes: i32, col: usize, ld: usize, labels: usize, g: usize, gradScale: f64): f64 {
  let maxA = f64x2.splat(-Infinity);
  let maxB = f64x2.splat(-Infinity);
  let minA = f64x2.splat(Infinity);
  let minB = f64x2.splat(Infinity);
  for (let c = 0; c < classes; c++) {
    const z = v128.load(col + <usize>c * ld);
    const za = f64x2.promote_low_f32x4(z);
    const zb = f64x2.promote_low_f32x4(i64x2.shuffle(z, z, 1, 0));
    maxA = f64x2.max(maxA, za);
    maxB = f64x2.max(maxB, zb);
    minA = f64x2.min(minA, za);
    minB = f64x2.min(minB, zb);
  }
  let sumA = f64x2.splat(0);
  let sumB = f64x2.splat(0);
  const fast = E64.inRange(f64x2.sub(minA, maxA)) && E64.inRange(f64x2.sub(minB, maxB));
  for (let c = 0; c < classes; c++) {
    const z = v128.load(col + <usize>c * ld);
    const xa = f64x2.sub(f64x2.promote_low_f32x4(z), maxA);
    const xb = f64x2.sub(f64x2.promote_low_f32x4(i64x2.shuffle(z, z, 1, 0)), maxB);
    if (fast) {
      sumA = f64x2.add(sumA, E64.expInRange(xa));
      sumB = f64x2.add(sumB, E64.expInRange(xb));
    } else {
      sumA = f64x2.add(sumA, E64.exp(xa));
      sumB = f64x2.add(sumB, E64.exp(xb));
    }
  }
  const lse0 = f64x2.extract_lane(maxA, 0) + log64(f64x2.extract_lane(sumA, 0));
  const lse1 = f64x2.extract_lane(maxA, 1) + log64(f64x2.extract_lane(sumA, 1));
  const lse2 = f64x2.extract_lane(maxB, 0) + log64(f64x2.extract_lane(sumB, 0));
  const lse3 = f64x2.extract_lane(maxB, 1) + log64(f64x2.extract_lane(sumB, 1));
  const l0 = load<i32>(labels);
  const l1 = load<i32>(labels, 4);
  const l2 = load<i32>(labels, 8);
  const l3 = load<i32>(labels, 12);
  total += lse0 - f64(load<f32>(col + <usize>l0 * ld));
  total += lse1 - f64(load<f32>(col + <usize>l1 * ld, 4));
  total += lse2 - f64(load<f32>(col + <usize>l2 * ld, 8));
  total += lse3 - f64(load<f32>(col + <usize>l3 * ld, 12));
  if (g === 0) return total;
  const lseA = f64x2.replace_lane(f64x2.splat(lse0), 1, lse1);
  const lseB = f64x2.replace_lane(f64x2.splat(lse2), 1, lse3);
  const scale = f64x2.splat(gradScale);
  const quick = E64.inRange(f64x2.sub(minA, lseA)) && E64.inRange(f64x2.sub(minB, lseB));
  for (let c = 0; c < classes; c++) {
    const z = v128.load(col + <usize>c * ld);
    const xa = f64x2.sub(f64x2.promote_low_f32x4(z), lseA);
    const xb = f64x2.sub(f64x2.promote_low_f32x4(i64x2.shuffle(z, z, 1, 0)), lseB);
    let pa: v128;
    let pb: v128;
    if (quick) {
      pa = E64.expInRange(xa);
      pb = E64.expInRange(xb);
    } else {
      pa = E64.exp(xa);
      pb = E64.exp(xb);
    }
    const hotA = f64x2.replace_lane(f64x2.splat(c === l0 ? 1 : 0), 1, c === l1 ? 1 : 0);
    const hotB = f64x2.replace_lane(f64x2.splat(c === l2 ? 1 : 0), 1, c === l3 ? 1 : 0);
    const ga = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.sub(pa, hotA), scale));
    const gb = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.sub(pb, hotB), scale));
    v128.store(g + <usize>c * ld, i64x2.shuffle(ga, gb, 0, 2));
  }
  return total;
}

/** One sample of softmaxCrossEntropy in scalar f64 (the odd last column): returns its loss. */
function softmaxColumn(classes: i32, col: usize, ld: usize, label: i32, grad: usize, t: i32, gradScale: f64): f64 {
  let max = -Infinity;
  for (let c = 0; c < classes; c++) max = Math.max(max, f64(load<f32>(col + <usize>c * ld)));
  let sum: f64 = 0;
  for (let c = 0; c < classes; c++) sum += exp64(f64(load<f32>(col + <usize>c * ld)) - max);
  const lse = max + log64(sum);
  if (grad !== 0) {
    const g = grad + ((<usize>t) << 2);
    for (let c = 0; c < classes; c++) {
      const p = exp64(f64(load<f32>(col + <usize>c * ld)) - lse);
      store<f32>(g + <usize>c * ld, f32((p - (c === label ? 1 : 0)) * gradScale));
    }
  }
  return lse - f64(load<f32>(col + <usize>label * ld));
}

/** Σ softplus(z) - y·z over len logits vs targets; grad = (σ(z) - y)·gradScale. */
export function bceWithLogits(len: i32, logits: usize, targets: usize, grad: usize, gradScale: f64): f64 {
  let total: f64 = 0;
  for (let i = 0; i < len; i++) {
    const z = f64(load<f32>(logits + ((<usize>i) << 2)));
    const y = f64(load<f32>(targets + ((<usize>i) << 2)));
    // softplus and sigmoid in forms that never overflow
    const e = exp64(-Math.abs(z));
    total += (z > 0 ? z + log1p64(e) : log1p64(e)) - y * z;
    if (grad !== 0) {
      const s = z >= 0 ? 1 / (1 + e) : e / (1 + e);
      store<f32>(grad + ((<usize>i) << 2), f32((s - y) * gradScale));
    }
  }
  return total;
}

/** Σ (pred - target)²; grad = 2·(pred - target)·gradScale. */
export function mse(len: i32, pred: usize, targets: usize, grad: usize, gradScale: f64): f64 {
  let total: f64 = 0;
  for (let i = 0; i < len; i++) {
    const d = f64(load<f32>(pred + ((<usize>i) << 2))) - f64(load<f32>(targets + ((<usize>i) << 2)));
    total += d * d;
    if (grad !== 0) store<f32>(grad + ((<usize>i) << 2), f32(2 * d * gradScale));
  }
  return total;
}
