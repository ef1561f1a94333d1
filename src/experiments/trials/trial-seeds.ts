import { Rng } from '../../engine/index.js';

/**
 * Seeds of the model init (and sparse-init masks), the batch order and the split, derived from the
 * trial seed. The task takes the trial seed itself; since makeBooleanTask and MLP.create both
 * fork a generator of their seed the same way, giving them the same seed would draw the
 * clauses and the first layer's weights from one stream.
 */
export function trialStreams(seed: number): { model: number; shuffle: number; split: number } {
  const draw = (stream: number): number => new Rng(seed).fork(stream).nextU32();
  return { model: draw(101), shuffle: draw(102), split: draw(103) };
}
