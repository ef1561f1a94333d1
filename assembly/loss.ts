// Loss kernels: small (output layer only), so plain f64 loops that mirror the reference exactly;
// the summed loss is accumulated in f64. grad == 0 means "no gradient output".
import { exp64, log1p64, log64 } from './vmath';

/** Softmax cross-entropy over logits[classes,n] (feature-major) with i32 labels[n]; returns the summed loss, writes (softmax - onehot)·gradScale. */
export function softmaxCrossEntropy(classes: i32, n: i32, logits: usize, labels: usize, grad: usize, gradScale: f64): f64 {
  const ld = (<usize>n) << 2;
  let total: f64 = 0;
  for (let t = 0; t < n; t++) {
    const col = logits + ((<usize>t) << 2);
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, f64(load<f32>(col + <usize>c * ld)));
    let sum: f64 = 0;
    for (let c = 0; c < classes; c++) sum += exp64(f64(load<f32>(col + <usize>c * ld)) - max);
    const lse = max + log64(sum);
    const label = load<i32>(labels + ((<usize>t) << 2));
    total += lse - f64(load<f32>(col + <usize>label * ld));
    if (grad !== 0) {
      const g = grad + ((<usize>t) << 2);
      for (let c = 0; c < classes; c++) {
        const p = exp64(f64(load<f32>(col + <usize>c * ld)) - lse);
        store<f32>(g + <usize>c * ld, f32((p - (c === label ? 1 : 0)) * gradScale));
      }
    }
  }
  return total;
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
