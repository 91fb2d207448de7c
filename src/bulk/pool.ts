/**
 * Reusable buffers of one size. Batches are written into buffers from here and given back once
 * delivered, so a long run recycles a handful of buffers instead of leaving garbage for the GC to
 * find later: memory stays flat and small whatever the input size.
 */
export class BufferPool {
  readonly size: number;
  readonly #free: Buffer[] = [];
  readonly #keep: number;

  /** `keep`: how many free buffers are held at most; more are left to the GC. */
  constructor(size: number, keep = 8) {
    this.size = size;
    this.#keep = keep;
  }

  /** A buffer of `size` bytes, contents undefined. */
  take(): Buffer {
    return this.#free.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  /** Gives a buffer back; the caller must not touch it afterwards. */
  give(buffer: Buffer): void {
    if (buffer.length === this.size && this.#free.length < this.#keep) this.#free.push(buffer);
  }
}
