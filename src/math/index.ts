// Numerics shared by every layer above: distributions, statistics, Cholesky, eigen/PCA, k-means.
// It imports nothing of widen but engine's errors and Rng (see test/architecture.test.ts).
export { BOOTSTRAP, bootstrapMeanCi } from './bootstrap-ci.js';
export { choleskyLower, choleskyLowerInPlace, NotPositiveDefinite } from './cholesky.js';
export { fitKMeans, type KMeansFit, type KMeansMetric, type KMeansOptions, nearest, normalise, sqDist } from './fit-kmeans.js';
export { fitPca, type Pca } from './fit-pca.js';
export { histogram, sharedBinEdges } from './histogram.js';
export { type LinearFit, linearFit } from './linear-fit.js';
export { type MeanCi, meanCi, type PairedDifference, pairedDifference } from './mean-ci.js';
export { erf, erfc, inverseNormalCdf, normalCdf } from './normal.js';
export { regularizedBeta, studentTQuantile } from './student-t.js';
export { type SymmetricEigen, symmetricEigen } from './symmetric-eigen.js';
