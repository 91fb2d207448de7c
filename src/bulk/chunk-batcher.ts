import type { BatchEvent } from "./batcher.js";
import { OpenBatch } from "./open-batch.js";

/**
 * Splits chunks into lines and groups them into batches at line boundaries. Synchronous: for each
 * input `begin`, `push` each chunk, `endInput`; after the last input `end`. Each returns the
 * events it completed. A batch goes on across inputs (5,000 small files need not be 5,000
 * requests); an input's last line is complete at `endInput`, so it is never glued to the next
 * input's first line. A chunk is not kept after `push` returns, so the reader may reuse its
 * buffer. Memory: the batch being filled plus at most one partial line (up to the request limit;
 * a longer line is counted, never kept).
 */
export class ChunkBatcher extends OpenBatch {
  /** A line split across chunks (copies), and its length so far. */
  protected carry: Buffer[] = [];
  protected carryBytes = 0;
  /** The last byte carried, even once the pieces were dropped (is it a `\r`?). */
  #carryLast = 0;

  /** Takes the next chunk of input; returns the batches (and rejects) it completed. */
  push(chunk: Buffer): BatchEvent[] {
    this.stats.bytesRead += chunk.length;
    let start = 0;
    let nl = chunk.indexOf(10);
    if (nl !== -1 && this.carryBytes > 0) {
      this.#takeCarried(chunk.subarray(0, nl));
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    for (; nl !== -1; nl = chunk.indexOf(10, start)) {
      this.line(chunk, start, nl);
      start = nl + 1;
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
    this.copyPending();
    return this.drain();
  }

  /**
   * The input ended: its last line (even without a final newline, unless held back); the batch
   * stays open.
   */
  endInput(): BatchEvent[] {
    if (this.carryBytes > 0 && this.holdBack) {
      // Not a line yet: a later run (or --follow) takes it once its newline was written.
      this.stats.bytesRead -= this.carryBytes;
      this.carry = [];
      this.carryBytes = 0;
    } else if (this.carryBytes > 0) this.#takeCarried(Buffer.alloc(0));
    return this.inputEnded();
  }

  /** Keeps (a copy of) the start of a line that continues in the next chunk, while it can fit. */
  protected keep(piece: Buffer): void {
    // +1: a trailing \r does not count, so a line may be one byte longer before it is hopeless.
    if (this.carryBytes + piece.length <= this.hard + 1) this.carry.push(Buffer.from(piece));
    else this.carry = [];
    this.carryBytes += piece.length;
    if (piece.length > 0) this.#carryLast = piece[piece.length - 1] as number;
  }

  #takeCarried(tail: Buffer): void {
    const total = this.carryBytes + tail.length;
    const kept = this.carry;
    this.carry = [];
    this.carryBytes = 0;
    if (total > this.hard + 1) {
      this.lineNumber += 1;
      this.stats.records += 1;
      // Its size as sent: without a trailing \r, as for a line read in one piece.
      const last = tail.length > 0 ? tail[tail.length - 1] : this.#carryLast;
      this.reject(last === 13 ? total - 1 : total, total + 1);
      return;
    }
    const line = Buffer.concat([...kept, tail], total);
    this.owned = line;
    this.line(line, 0, line.length);
    this.owned = undefined;
    this.copyPending(); // `line` is not the chunk, so nothing after it can extend this copy
  }
}
