// Row gathers for training on a set staged in the engine's memory: one call copies a minibatch's
// rows (picked by the shuffled order) instead of one JS copy per sample.

/** dst row i = src row order[i] for i in [0, count); rows of `width` 4-byte elements (f32 or i32), order i32[count]. */
export function gatherRows(count: i32, width: i32, order: usize, src: usize, dst: usize): void {
  const bytes = (<usize>width) << 2;
  for (let i = 0; i < count; i++) {
    const from = src + <usize>load<i32>(order + ((<usize>i) << 2)) * bytes;
    const to = dst + <usize>i * bytes;
    let o: usize = 0;
    for (; o + 16 <= bytes; o += 16) v128.store(to + o, v128.load(from + o));
    for (; o < bytes; o += 4) store<i32>(to + o, load<i32>(from + o));
  }
}
