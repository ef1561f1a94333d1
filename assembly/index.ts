// The kernel module's exports: raw-pointer kernels over one imported shared memory. Kernels
// taking [lo, hi) ranges may be split between the main thread and the worker.
export { activation, activationGrad, addRowBias, countNonFinite, rowSum, scale, transpose } from './elementwise';
export { gemm, gemmScratchFloats } from './gemm';
export { bceWithLogits, mse, softmaxCrossEntropy } from './loss';
export { adam, sgd } from './optim';
export { sddmmPairs, spmmPairs } from './pairs';
export { gatherRows } from './rows';
export { gatherCsr, scatterCsr, sddmm } from './sddmm';
export { gatherPerm, splitPoint, spmm, spmmChunks, spmmPanelFloats, spmmT } from './sparse';
