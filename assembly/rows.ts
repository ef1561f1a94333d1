// Row gathers for training on a set staged in the engine's memory: one call copies a minibatch's
// rows (picked by the shuffled order) instead of one JS copy per sample.

/** Row bytes from which a row goes through memory.copy rather than the v128 loop (measured: 64 floats 0.67x, 16 floats 1.2x). */
const COPY_BYTES: usize = 256;

/**
 * dst row i = src row order[i] for i in [0, count); rows of `width` 4-byte elements (f32 or i32),
 * order i32[count]. Rows of 64 elements or more take one memory.copy each: V8's copy moves a
 * Fashion-MNIST batch (128 random rows of 784 floats from a 188 MB set) in 0.6x the time of the
 * v128 loop, which narrower rows (a label, the Boolean tasks' 32 inputs) keep.
 */
export function gatherRows(count: i32, width: i32, order: usize, src: usize, dst: usize): void {
  const bytes = (<usize>width) << 2;
  if (bytes >= COPY_BYTES) {
    for (let i = 0; i < count; i++) memory.copy(dst + <usize>i * bytes, src + <usize>load<i32>(order + ((<usize>i) << 2)) * bytes, bytes);
    return;
  }
  for (let i = 0; i < count; i++) {
    const from = src + <usize>load<i32>(order + ((<usize>i) << 2)) * bytes;
    const to = dst + <usize>i * bytes;
    let o: usize = 0;
    for (; o + 16 <= bytes; o += 16) v128.store(to + o, v128.load(from + o));
    for (; o < bytes; o += 4) store<i32>(to + o, load<i32>(from + o));
  }
}
