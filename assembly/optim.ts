// Optimizer updates over [lo, hi) of compact parameter arrays (non-zeros only), f32x4 with a
// scalar tail doing the same IEEE operations. Derived scalars come precomputed in f64 from the
// host: 1 - β2 from an f32-rounded β2 would be off by 1e-5 relative.

/**
 * Adam/AdamW: m = β1·m + (1-β1)·g, v = β2·v + (1-β2)·g², w -= stepSize·m / (√v/√bc2 + eps), with
 * stepSize = lr/bc1 (PyTorch's form). Weight decay: w -= lrWd·w (decoupled) or g += wd·w (L2).
 */
export function adam(
  lo: i32,
  hi: i32,
  w: usize,
  g: usize,
  m: usize,
  v: usize,
  beta1: f32,
  beta2: f32,
  oneMinusBeta1: f32,
  oneMinusBeta2: f32,
  eps: f32,
  wd: f32,
  lrWd: f32,
  decoupled: bool,
  stepSize: f32,
  sqrtBc2: f32,
): void {
  const l2 = wd !== 0 && !decoupled;
  const decay = wd !== 0 && decoupled;
  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const c1 = f32x4.splat(oneMinusBeta1);
  const c2 = f32x4.splat(oneMinusBeta2);
  const ve = f32x4.splat(eps);
  const vwd = f32x4.splat(wd);
  const vlw = f32x4.splat(lrWd);
  const vs = f32x4.splat(stepSize);
  const vq = f32x4.splat(sqrtBc2);
  let i = lo;
  for (; i + 4 <= hi; i += 4) {
    const o = (<usize>i) << 2;
    let wi = v128.load(w + o);
    let gi = v128.load(g + o);
    if (decay) wi = f32x4.sub(wi, f32x4.mul(vlw, wi));
    if (l2) gi = f32x4.add(gi, f32x4.mul(vwd, wi));
    const mi = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(c1, gi));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(f32x4.mul(c2, gi), gi));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const den = f32x4.add(f32x4.div(f32x4.sqrt(vi), vq), ve);
    v128.store(w + o, f32x4.sub(wi, f32x4.div(f32x4.mul(vs, mi), den)));
  }
  for (; i < hi; i++) {
    const o = (<usize>i) << 2;
    let wi = load<f32>(w + o);
    let gi = load<f32>(g + o);
    if (decay) wi = wi - lrWd * wi;
    if (l2) gi = gi + wd * wi;
    const mi = beta1 * load<f32>(m + o) + oneMinusBeta1 * gi;
    const vi = beta2 * load<f32>(v + o) + oneMinusBeta2 * gi * gi;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(w + o, wi - (stepSize * mi) / (Mathf.sqrt(vi) / sqrtBc2 + eps));
  }
}

/** SGD (PyTorch semantics): g += wd·w; with momentum buf = μ·buf + g and g = nesterov ? g + μ·buf : buf; w -= lr·g. */
export function sgd(lo: i32, hi: i32, w: usize, g: usize, buf: usize, lr: f32, momentum: f32, wd: f32, nesterov: bool): void {
  const vlr = f32x4.splat(lr);
  const vmu = f32x4.splat(momentum);
  const vwd = f32x4.splat(wd);
  const useBuf = momentum !== 0;
  let i = lo;
  for (; i + 4 <= hi; i += 4) {
    const o = (<usize>i) << 2;
    const wi = v128.load(w + o);
    let gi = f32x4.add(v128.load(g + o), f32x4.mul(vwd, wi));
    if (useBuf) {
      const bi = f32x4.add(f32x4.mul(vmu, v128.load(buf + o)), gi);
      v128.store(buf + o, bi);
      gi = nesterov ? f32x4.add(gi, f32x4.mul(vmu, bi)) : bi;
    }
    v128.store(w + o, f32x4.sub(wi, f32x4.mul(vlr, gi)));
  }
  for (; i < hi; i++) {
    const o = (<usize>i) << 2;
    const wi = load<f32>(w + o);
    let gi = load<f32>(g + o) + wd * wi;
    if (useBuf) {
      const bi = momentum * load<f32>(buf + o) + gi;
      store<f32>(buf + o, bi);
      gi = nesterov ? gi + momentum * bi : bi;
    }
    store<f32>(w + o, wi - lr * gi);
  }
}
