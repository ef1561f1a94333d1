import { ConfigError, ShapeError } from '../../engine/index.js';
import type { ExpandedMLP } from './expanded-mlp.js';

/** Test metrics of an expanded model: mean cross-entropy, accuracy, and the mean non-zeros of the experts each input used. */
export interface ExpandedEvaluation {
  loss: number;
  accuracy: number;
  nnzPerInput: number;
}

/**
 * Softmax cross-entropy (mean, float64) and argmax accuracy of `model` on labelled data (x [size,
 * in], class labels y [size]), in forward passes of at most `batch` [1024] samples, plus the mean
 * over the samples of the non-zero weights of the experts they were routed to.
 * Example: `evaluateExpanded(sparseExpand(model, cal, { k: 16, sparsity: 0.9 }), test)`.
 */
export function evaluateExpanded(
  model: ExpandedMLP,
  data: { x: Float32Array; y: Int32Array; size: number },
  batch = 1024,
): ExpandedEvaluation {
  const [inF, outF] = [model.inFeatures, model.outFeatures];
  if (
    !(data.x instanceof Float32Array) ||
    data.x.length !== data.size * inF ||
    !(data.y instanceof Int32Array) ||
    data.y.length !== data.size
  ) {
    throw new ShapeError(
      `evaluateExpanded: data must hold x [${data.size}, ${inF}] (Float32Array) and class labels y [${data.size}] (Int32Array)`,
      {
        where: 'evaluateExpanded data',
      },
    );
  }
  if (!Number.isInteger(batch) || batch < 1) {
    throw new ConfigError(`evaluateExpanded: batch must be an integer >= 1, got ${batch}`, { where: 'evaluateExpanded batch', got: batch });
  }
  let [loss, correct, nnz] = [0, 0, 0];
  for (let start = 0; start < data.size; start += batch) {
    const b = Math.min(batch, data.size - start);
    const passes = model.trace(data.x.subarray(start * inF, (start + b) * inF), b);
    const logits = passes[passes.length - 1].z; // [b, out]
    nnz += model.nnzPerInput(passes.map((p) => p.labels)) * b;
    for (let t = 0; t < b; t++) {
      const row = logits.subarray(t * outF, (t + 1) * outF);
      let best = 0;
      for (let c = 1; c < outF; c++) if (row[c] > row[best]) best = c;
      let sum = 0;
      for (let c = 0; c < outF; c++) sum += Math.exp(row[c] - row[best]);
      const label = data.y[start + t];
      loss += Math.log(sum) - (row[label] - row[best]);
      if (best === label) correct++;
    }
  }
  return { loss: loss / data.size, accuracy: correct / data.size, nnzPerInput: nnz / data.size };
}
