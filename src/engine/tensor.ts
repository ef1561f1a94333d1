import type { Arena, Ptr } from './arena.js';
import { ShapeError } from './errors.js';

/** Element type of a Tensor: 32-bit float or 32-bit signed integer. */
export type DType = 'f32' | 'i32';

/**
 * A typed array living in the engine's arena: a pointer, a shape and a dtype. `data` is a fresh
 * view each time the memory has grown, so never keep a view across an allocation.
 */
export class Tensor {
  readonly arena: Arena;
  readonly ptr: Ptr;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  private view: Float32Array | Int32Array | null = null;
  private viewBuffer: ArrayBufferLike | null = null;
  private disposed = false;

  /** Allocates a zero-filled tensor of `shape` in `arena`. */
  constructor(arena: Arena, shape: readonly number[], dtype: DType = 'f32') {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) {
        throw new ShapeError(`tensor dimensions must be non-negative integers, got [${shape.join(', ')}]`, {
          where: 'Tensor',
          got: shape,
        });
      }
    }
    this.arena = arena;
    this.shape = [...shape];
    this.dtype = dtype;
    this.size = shape.reduce((a, b) => a * b, 1);
    this.ptr = arena.alloc(this.size * 4);
  }

  /** The elements as a Float32Array view (f32 tensors). */
  get data(): Float32Array {
    if (this.dtype !== 'f32') throw new ShapeError(`tensor is ${this.dtype}; use .ints`, { where: 'Tensor.data' });
    return this.fresh() as Float32Array;
  }

  /** The elements as an Int32Array view (i32 tensors). */
  get ints(): Int32Array {
    if (this.dtype !== 'i32') throw new ShapeError(`tensor is ${this.dtype}; use .data`, { where: 'Tensor.ints' });
    return this.fresh() as Int32Array;
  }

  /** Copies `src` (same length) into the tensor. */
  set(src: ArrayLike<number>): this {
    if (src.length !== this.size) {
      throw new ShapeError(`cannot set ${src.length} values into a tensor of shape [${this.shape.join(', ')}] (${this.size} elements)`, {
        where: 'Tensor.set',
        got: src.length,
        allowed: String(this.size),
      });
    }
    (this.fresh() as Float32Array).set(src);
    return this;
  }

  /** A copy of the elements, detached from the arena. */
  toArray(): Float32Array | Int32Array {
    return this.fresh().slice();
  }

  /** Gives the memory back to the arena; the tensor must not be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.view = null;
    this.arena.release(this.ptr);
  }

  private fresh(): Float32Array | Int32Array {
    if (this.disposed) throw new ShapeError('tensor used after dispose()', { where: 'Tensor' });
    const buf = this.arena.memory.buffer;
    if (this.view === null || this.viewBuffer !== buf) {
      this.view = this.dtype === 'f32' ? this.arena.f32(this.ptr, this.size) : this.arena.i32(this.ptr, this.size);
      this.viewBuffer = buf;
    }
    return this.view;
  }
}
