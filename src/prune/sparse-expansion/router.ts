import { nearest, type Pca } from '../../math/index.js';

/** Routes a layer's inputs: project with the layer's PCA, then take the nearest of `k` centroids. */
export interface LayerRouter {
  pca: Pca;
  /** Experts (clusters) K. */
  k: number;
  /** [K, pca.dim] row-major centroids in the projected space. */
  centroids: Float64Array;
}

/** The projections [size, dim] (float64) of input rows x [size, d]. */
export function projectRows(pca: Pca, x: Float32Array, size: number): Float64Array {
  const { inFeatures: d, dim, mean, components } = pca;
  const p = new Float64Array(size * dim);
  const centred = new Float64Array(d);
  for (let t = 0; t < size; t++) {
    for (let j = 0; j < d; j++) centred[j] = x[t * d + j] - mean[j];
    for (let c = 0; c < dim; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += centred[j] * components[c * d + j];
      p[t * dim + c] = s;
    }
  }
  return p;
}

/** The expert of each input row of x [size, d]: its nearest centroid after projection (ties to the lower index). */
export function routeRows(router: LayerRouter, x: Float32Array, size: number): Int32Array {
  const p = projectRows(router.pca, x, size);
  const labels = new Int32Array(size);
  for (let t = 0; t < size; t++) labels[t] = nearest(p, t, router.centroids, router.k, router.pca.dim)[0];
  return labels;
}

/**
 * Floating-point operations to route one input: centring (d), projection (2·d·dim multiply-adds)
 * and K squared distances (3·dim each); 0 without a router (one expert).
 */
export function routingFlops(router: LayerRouter | null): number {
  if (router === null) return 0;
  const { inFeatures: d, dim } = router.pca;
  return d + 2 * d * dim + 3 * router.k * dim;
}
