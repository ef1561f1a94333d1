import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { assertSameBits, checkLoss, KernelFixture } from './kernel-fixture.js';

// The wasm softmax cross-entropy takes four samples at a time in f64x2 lanes (exp64 vectorised,
// assembly/vmath64.ts) and the last n % 4 one by one in scalar f64. Both must give each sample the
// same bits: a batch's loss and gradient equal those of its samples computed alone (n = 1 takes
// the scalar path), summed in sample order. Logit spreads past 745 send exps to the underflow
// branch (the lanes' out-of-range path).
const f = new KernelFixture(1, 31);
after(() => f.dispose());

/** logits [classes, n] feature-major: column t is sample t. */
function sample(classes: number, n: number, spread: number): { z: number; labels: number } {
  const z = f.rand(classes * n, spread);
  const labels = f.arena.alloc(n * 4);
  const ls = f.arena.i32(labels, n);
  for (let t = 0; t < n; t++) ls[t] = f.rng.int(classes);
  return { z, labels };
}

test('softmaxCrossEntropy: every sample of a batch gets the bits it gets alone (vector lanes = scalar path)', () => {
  for (const classes of [1, 3, 5, 16, 17]) {
    for (const n of [1, 3, 4, 5, 8, 17, 256]) {
      for (const spread of [1, 30, 500]) {
        const { z, labels } = sample(classes, n, spread);
        const zs = f.arena.f32(z, classes * n);
        // one column spans more than exp64's range: its small terms underflow to 0
        if (classes > 1 && n > 2) [zs[1], zs[n + 1]] = [-900, 400];
        const grad = f.arena.alloc(classes * n * 4);
        const scale = 1 / n;
        const total = f.wasm.softmaxCrossEntropy(classes, n, z, labels, grad, scale);
        const all = f.read(grad, classes * n);
        let sum = 0;
        const one = f.arena.alloc(classes * 4);
        const oneGrad = f.arena.alloc(classes * 4);
        const oneLabel = f.arena.alloc(4);
        for (let t = 0; t < n; t++) {
          const col = f.arena.f32(one, classes);
          for (let c = 0; c < classes; c++) col[c] = f.arena.f32(z, classes * n)[c * n + t];
          f.arena.i32(oneLabel, 1)[0] = f.arena.i32(labels, n)[t];
          sum += f.wasm.softmaxCrossEntropy(classes, 1, one, oneLabel, oneGrad, scale);
          const g = f.read(oneGrad, classes);
          const mine = new Float32Array(classes);
          for (let c = 0; c < classes; c++) mine[c] = all[c * n + t];
          assertSameBits(mine, g, `grad of sample ${t}, ${classes}x${n}, spread ${spread}`);
        }
        assert.equal(total, sum, `loss ${classes}x${n}, spread ${spread}`);
        assert.equal(f.wasm.softmaxCrossEntropy(classes, n, z, labels, 0, scale), total, 'the loss without gradient');
        for (const p of [z, labels, grad, one, oneGrad, oneLabel]) f.arena.release(p);
      }
    }
  }
});

test('softmaxCrossEntropy matches ref at odd sizes and wide logit spreads', () => {
  for (const [classes, n] of [
    [1, 1],
    [3, 5],
    [5, 17],
    [17, 3],
    [16, 256],
  ] as const) {
    for (const spread of [1, 50]) {
      const { z, labels } = sample(classes, n, spread);
      checkLoss(f, `softmaxCE ${classes}x${n} spread ${spread}`, classes * n, (be, g) =>
        be.softmaxCrossEntropy(classes, n, z, labels, g, 1 / n),
      );
    }
  }
});
