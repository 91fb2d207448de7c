const NEWLINE = Buffer.from("\n");

/**
 * Passes an input's bytes through, chunk by chunk, except those of a line longer than `max`
 * bytes: its newline alone goes on (so the lines after it keep their numbers), and `onDropped` is
 * told its number and size, in order. What `push` returns is read before the next `push` (most of
 * it is the chunk itself, which may be reused then); what `end` returns is the caller's to keep.
 * Memory: one line of `max` bytes.
 */
export class LongLineFilter {
  readonly #max: number;
  readonly #onDropped: (line: number, bytes: number) => void;
  #line = 1;
  /** Bytes of the current line so far, and the part of it held back until it is known to fit. */
  #length = 0;
  #held: Buffer[] = [];

  constructor(max: number, onDropped: (line: number, bytes: number) => void) {
    this.#max = max;
    this.#onDropped = onDropped;
  }

  /**
   * The bytes of `chunk` (and of lines held from before) that can go on, in pieces: views of the
   * chunk (no copy: the caller copies what it keeps) and held bytes.
   */
  push(chunk: Buffer): Buffer[] {
    const max = this.#max;
    const out: Buffer[] = [];
    let start = 0;
    // The lines that fit go on as one run of the chunk (from `from`), not a slice per line.
    let from = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      this.#length += nl - start;
      if (this.#length > max) {
        if (start > from) out.push(chunk.subarray(from, start));
        this.#onDropped(this.#line, this.#length);
        out.push(NEWLINE);
        from = nl + 1;
      } else if (this.#held.length > 0) out.push(...this.#held); // the chunk's first line's start
      this.#held = [];
      this.#length = 0;
      this.#line += 1;
      start = nl + 1;
    }
    if (start > from) out.push(chunk.subarray(from, start));
    if (start < chunk.length) {
      this.#length += chunk.length - start;
      // Held across calls: a copy, the chunk may be reused.
      if (this.#length > max) this.#held = [];
      else this.#held.push(Buffer.from(chunk.subarray(start)));
    }
    return out;
  }

  /** The input ended: its last line, without a newline, if it fits. */
  end(): Buffer | undefined {
    if (this.#length > this.#max) {
      this.#onDropped(this.#line, this.#length);
      return undefined;
    }
    const held = this.#held;
    this.#held = [];
    return held.length > 0 ? Buffer.concat(held) : undefined;
  }
}
