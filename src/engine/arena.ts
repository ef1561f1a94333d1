import { BackendError, ShapeError } from './errors.js';

/** Byte offset into the engine's WebAssembly.Memory. */
export type Ptr = number;

const PAGE = 65536;
const ALIGN = 64; // one cache line; also keeps every v128 load aligned
/** Bytes kept free at the bottom of memory so that no live allocation has pointer 0. */
const BASE = 1024;
/** wasm32 addresses are 32-bit: 65536 pages of 64 KiB is the ceiling. */
const MAX_PAGES = 65536;

/** Options of an Arena: initial and maximum size in 64 KiB wasm pages. */
export interface ArenaOptions {
  initialPages?: number;
  maximumPages?: number;
}

/**
 * A first-fit allocator over one shared WebAssembly.Memory. Tensors are byte ranges in it, so
 * wasm kernels and the worker thread read them with no copy. Views must be re-made after a grow
 * (`buffer` changes identity); `f32`/`i32`/`u8` always return fresh views.
 */
export class Arena {
  readonly memory: WebAssembly.Memory;
  /** The most bytes the memory can grow to (maximumPages × 64 KiB). */
  readonly maximumBytes: number;
  /** Free blocks sorted by offset: [offset, size] pairs. */
  private free: Array<[number, number]> = [];
  private sizes = new Map<number, number>();
  private top = BASE;
  private liveBytes = 0;

  constructor(options: ArenaOptions = {}) {
    const initial = options.initialPages ?? 256;
    const maximum = options.maximumPages ?? MAX_PAGES;
    if (!Number.isInteger(initial) || initial < 1 || !Number.isInteger(maximum) || maximum < initial || maximum > MAX_PAGES) {
      throw new BackendError(
        `arena pages must be integers with 1 <= initialPages <= maximumPages <= ${MAX_PAGES}, got initialPages=${initial}, maximumPages=${maximum}`,
        { where: 'Arena', got: { initial, maximum }, allowed: `1..${MAX_PAGES}` },
      );
    }
    this.memory = new WebAssembly.Memory({ initial, maximum, shared: true });
    this.maximumBytes = maximum * PAGE;
  }

  /** The current backing buffer (a new object after every grow). */
  get buffer(): SharedArrayBuffer {
    return this.memory.buffer as unknown as SharedArrayBuffer;
  }

  /** Bytes currently allocated and not yet released. */
  get bytesInUse(): number {
    return this.liveBytes;
  }

  /** Allocates `bytes` (rounded up to 64), zero-filled, and returns its offset. */
  alloc(bytes: number): Ptr {
    if (!Number.isInteger(bytes) || bytes < 0) {
      throw new ShapeError(`allocation size must be a non-negative integer, got ${bytes}`, { where: 'Arena.alloc', got: bytes });
    }
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    let ptr = -1;
    for (let i = 0; i < this.free.length; i++) {
      const [off, len] = this.free[i];
      if (len >= size) {
        ptr = off;
        if (len === size) this.free.splice(i, 1);
        else this.free[i] = [off + size, len - size];
        break;
      }
    }
    if (ptr < 0) {
      ptr = this.top;
      this.ensure(ptr + size);
      this.top += size;
    }
    new Uint8Array(this.buffer, ptr, size).fill(0);
    this.sizes.set(ptr, size);
    this.liveBytes += size;
    return ptr;
  }

  /** Returns a block from `alloc` to the free list, merging it with free neighbours. */
  release(ptr: Ptr): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) {
      throw new BackendError(`release of ${ptr}, which is not a live allocation (double free?)`, { where: 'Arena.release', got: ptr });
    }
    this.sizes.delete(ptr);
    this.liveBytes -= size;
    let lo = 0;
    let hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.free[mid][0] < ptr) lo = mid + 1;
      else hi = mid;
    }
    this.free.splice(lo, 0, [ptr, size]);
    // merge with the next block, then with the previous one
    if (lo + 1 < this.free.length && this.free[lo][0] + this.free[lo][1] === this.free[lo + 1][0]) {
      this.free[lo][1] += this.free[lo + 1][1];
      this.free.splice(lo + 1, 1);
    }
    if (lo > 0 && this.free[lo - 1][0] + this.free[lo - 1][1] === this.free[lo][0]) {
      this.free[lo - 1][1] += this.free[lo][1];
      this.free.splice(lo, 1);
    }
    // a free block at the top goes back to the bump pointer
    const last = this.free[this.free.length - 1];
    if (last && last[0] + last[1] === this.top) {
      this.top = last[0];
      this.free.pop();
    }
  }

  /** A fresh Float32Array view of `length` floats at `ptr`. */
  f32(ptr: Ptr, length: number): Float32Array {
    return new Float32Array(this.buffer, ptr, length);
  }

  /** A fresh Int32Array view of `length` ints at `ptr`. */
  i32(ptr: Ptr, length: number): Int32Array {
    return new Int32Array(this.buffer, ptr, length);
  }

  /** A fresh Uint8Array view of `length` bytes at `ptr`. */
  u8(ptr: Ptr, length: number): Uint8Array {
    return new Uint8Array(this.buffer, ptr, length);
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    try {
      // grow by at least a quarter so that a training run does not grow on every batch size
      this.memory.grow(Math.max(pages, Math.ceil(have / PAGE / 4)));
    } catch {
      try {
        this.memory.grow(pages);
      } catch {
        throw new BackendError(`out of engine memory: need ${end} bytes, the wasm memory cannot grow past ${MAX_PAGES * PAGE} bytes`, {
          where: 'Arena.alloc',
          got: end,
        });
      }
    }
  }
}
