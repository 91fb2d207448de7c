import { batchBufferBytes, type BatchEvent } from "./batcher.js";
import { ChunkBatcher } from "./chunk-batcher.js";
import { addRun } from "./runs.js";

/** Where a reader may put the next bytes of the input: `buffer[offset, offset + length)`. */
export interface ReadSpace {
  buffer: Buffer;
  offset: number;
  length: number;
}

/**
 * The largest read `space` offers: a default batch (4 MiB) in one read. Fewer, larger reads cost
 * less per byte (each is a round trip through libuv's thread pool and a `filled` pass), and
 * progress still moves every few milliseconds.
 */
export const DIRECT_READ_BYTES = 4 * 1024 * 1024;

/**
 * The line batcher: a `ChunkBatcher` that can also read a regular file straight into the batch
 * being filled (`space`, then `filled`): its lines stay where they were read, and only what must
 * change moves — a dropped empty line or `\r`, and the partial last line carried into the next
 * batch. Both ways give the same batches and counts, byte for byte, and may alternate within an
 * input: a partial line read in place becomes a carried piece before a `push`, and a carried one
 * is copied into the body before a read in place.
 */
export class LineBatcher extends ChunkBatcher {
  /** Bytes read straight into `body` and not yet taken: a partial line, `[#rawStart, #rawEnd)`. */
  #rawStart = 0;
  #rawEnd = 0;

  override push(chunk: Buffer): BatchEvent[] {
    this.#rawToCarry();
    return super.push(chunk);
  }

  override endInput(): BatchEvent[] {
    if (this.#rawEnd > this.#rawStart && this.holdBack) {
      this.stats.bytesRead -= this.#rawEnd - this.#rawStart;
    } else if (this.#rawEnd > this.#rawStart) this.#takeRaw(this.#rawStart, this.#rawEnd);
    this.#rawStart = this.#rawEnd = 0;
    return super.endInput();
  }

  /**
   * Where to read the next bytes of the input straight into the batch being filled; then call
   * `filled`. Undefined while a line longer than a batch is being read: `push` it instead.
   */
  space(): ReadSpace | undefined {
    const limit = this.#limit();
    const carried = this.carryBytes;
    if (carried >= limit) return undefined;
    this.copyPending();
    // A partial line read in place (never at the same time as a carried one) stays where it is.
    const partial = this.#rawEnd > this.#rawStart;
    if (!partial && this.size > 0 && this.size + 1 + carried >= limit) {
      // Full, or a carried line too long for what is left: the push path would end it here too.
      this.flush();
    }
    const body = (this.body ??= this.pool.take());
    if (!partial) {
      // The next line is read right after the batch's last one and its `\n`.
      if (this.size > 0) body[this.size] = 10;
      let at = this.size > 0 ? this.size + 1 : 0;
      this.#rawStart = at;
      // The start of a line carried from the last pushed chunk goes first (a small copy).
      for (const piece of this.carry) at += piece.copy(body, at);
      this.#rawEnd = at;
      this.carry = [];
      this.carryBytes = 0;
    }
    return {
      buffer: body,
      offset: this.#rawEnd,
      length: Math.min(limit - this.#rawEnd, DIRECT_READ_BYTES),
    };
  }

  /** `bytes` were read into the last `space`: takes the lines they complete. */
  filled(bytes: number): BatchEvent[] {
    this.stats.bytesRead += bytes;
    let body = this.body as Buffer;
    let start = this.#rawStart;
    let end = this.#rawEnd + bytes;
    // A view that ends where the read did: `indexOf` never scans an earlier batch's bytes.
    let data = body.subarray(0, end);
    let nl = data.indexOf(10, this.#rawEnd);
    this.#rawEnd = end;
    while (nl !== -1) {
      if (this.#inPlace(start) && nl > start && nl <= this.max && body[nl - 1] !== 13) {
        start = this.#linesInPlace(data, start, nl);
        nl = data.indexOf(10, start);
        continue;
      }
      if (this.#full(body, start, nl)) {
        // The batch is full before this line: it and the rest of the read go to a new buffer.
        body = this.#rebase(start);
        nl -= start;
        end -= start;
        start = 0;
        data = body.subarray(0, end);
      }
      this.line(body, start, nl);
      start = nl + 1;
      nl = data.indexOf(10, start);
    }
    this.#rawStart = start;
    if (end === this.#limit() && start < end) this.#fullOfPartial();
    this.copyPending();
    return this.drain();
  }

  /** How far a body is read into (a pool of smaller buffers gives smaller batches, still right). */
  #limit(): number {
    return Math.min(this.pool.size, batchBufferBytes(this.max));
  }

  /** True when a line read at `start` is where it is sent: nothing before it was dropped. */
  #inPlace(start: number): boolean {
    return this.size > 0 ? this.size + 1 === start : start === 0;
  }

  /**
   * The hot path of `filled`: lines that stay where they were read (not empty, no `\r`, after
   * lines that stayed too, ending within the batch size), from `start` with its `\n` at `nl`.
   * Nothing to copy, and one run of line numbers for all of them. Returns where the first line it
   * did not take starts.
   */
  #linesInPlace(data: Buffer, start: number, nl: number): number {
    this.copyPending();
    const from = start;
    const first = this.lineNumber + 1;
    let count = 0;
    do {
      count += 1;
      start = nl + 1;
      nl = data.indexOf(10, start);
    } while (nl > start && nl <= this.max && data[nl - 1] !== 13);
    const at = this.taken;
    this.taken += start - from;
    this.size = start - 1;
    this.lineNumber += count;
    this.takenLines = this.lineNumber;
    this.stats.records += count;
    addRun(this.currentSegment(at).lines, first, first + count - 1);
    return start;
  }

  /** True when line `body[start, end)` is not empty and does not fit in the batch being filled. */
  #full(body: Buffer, start: number, end: number): boolean {
    const length = end > start && body[end - 1] === 13 ? end - start - 1 : end - start;
    return length > 0 && this.size > 0 && this.size + 1 + length > this.max;
  }

  /** The read space is used up by a partial line: make room for the rest of it. */
  #fullOfPartial(): void {
    const start = this.#rawStart;
    const end = this.#rawEnd;
    const body = this.body as Buffer;
    const dest = this.size > 0 ? this.size + 1 : 0;
    if (start > dest) {
      // Bytes were dropped before it (empty lines, `\r`): closing the gap may make it fit.
      this.copyPending();
      body.copyWithin(dest, start, end);
      if (this.size > 0) body[this.size] = 10;
      this.#rawStart = dest;
      this.#rawEnd = end - (start - dest);
    } else if (this.size > 0) this.#rebase(start);
    else {
      // A line longer than a batch: carried in pieces, like one split across chunks.
      this.#rawToCarry();
    }
  }

  /** Ends the batch being filled; the raw bytes from `start` move to the start of a new buffer. */
  #rebase(start: number): Buffer {
    const old = this.body as Buffer;
    const end = this.#rawEnd;
    this.flush();
    const body = this.pool.take();
    old.copy(body, 0, start, end);
    this.body = body;
    this.#rawStart = 0;
    this.#rawEnd = end - start;
    return body;
  }

  /** The partial line read into the body becomes a carried piece (`push` takes it from there). */
  #rawToCarry(): void {
    if (this.#rawEnd > this.#rawStart && this.body) {
      this.keep(this.body.subarray(this.#rawStart, this.#rawEnd));
    }
    this.#rawStart = this.#rawEnd = 0;
  }

  /** The input's last line, read into the body without a final newline. */
  #takeRaw(start: number, end: number): void {
    let body = this.body as Buffer;
    if (this.#full(body, start, end)) {
      body = this.#rebase(start);
      end -= start;
      start = 0;
    }
    this.line(body, start, end);
  }
}
