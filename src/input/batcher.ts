/** Counters of one input, updated as it is read. */
export interface BatchStats {
  /** Non-empty lines read (the events), rejected ones included. */
  lines: number;
  /** Empty lines skipped. */
  emptyLines: number;
  /** Bytes read (after gzip decompression). */
  bytesRead: number;
  /** Lines too long to ever fit in a request. */
  rejected: number;
}

/** Lines of one input, joined with `\n`, to be sent as one request body. */
export interface Batch {
  source: string;
  body: Buffer;
  /** The line number (1-based, in the input) of each line in the body, in order. */
  lineNumbers: number[];
}

/** A line that was not sent, and why. */
export interface RejectedLine {
  source: string;
  lineNumber: number;
  bytes: number;
  reason: string;
}

/** What the batcher produces, in input order. */
export type BatchEvent = { type: "batch"; batch: Batch } | { type: "rejected"; line: RejectedLine };

/** How lines are grouped. */
export interface BatcherOptions {
  /** Shown in batches and rejects. */
  source: string;
  /** Largest body: lines plus the `\n` between them. */
  maxBatchBytes: number;
  /** Updated in place, so progress can read it while the input is being read. */
  stats: BatchStats;
}

const NEWLINE = Buffer.from("\n");

/** A new, zeroed stats object. */
export function emptyStats(): BatchStats {
  return { lines: 0, emptyLines: 0, bytesRead: 0, rejected: 0 };
}

/**
 * Splits chunks into lines and groups them into batches at line boundaries. Pure and synchronous:
 * `push` each chunk, then `end`; each returns the events it completed. Bytes are never
 * re-encoded, and lines contiguous in a chunk stay one slice, so a batch is mostly a few large
 * copies, not one per line. Memory: the current batch plus at most one partial line (a line
 * longer than the limit is counted, not kept).
 */
export class LineBatcher {
  readonly #options: BatcherOptions;
  readonly #max: number;
  #lineNumber = 0;
  /** The current batch: slices to join, their total size, the line numbers they hold. */
  #parts: Buffer[] = [];
  #size = 0;
  #lineNumbers: number[] = [];
  /** Where the last slice ends inside its chunk, so the next line in that chunk can extend it. */
  #lastChunk: Buffer | undefined;
  #lastStart = 0;
  #lastEnd = -1;
  /** A line split across chunks, and its length so far (kept only while it can still fit). */
  #carry: Buffer[] = [];
  #carryBytes = 0;
  #events: BatchEvent[] = [];

  constructor(options: BatcherOptions) {
    this.#options = options;
    this.#max = options.maxBatchBytes;
  }

  /** Takes the next chunk of input; returns the batches (and rejects) it completed. */
  push(chunk: Buffer): BatchEvent[] {
    this.#options.stats.bytesRead += chunk.length;
    let start = 0;
    let nl = chunk.indexOf(10);
    if (nl !== -1 && this.#carryBytes > 0) {
      this.#takeCarried(chunk.subarray(0, nl));
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    for (; nl !== -1; nl = chunk.indexOf(10, start)) {
      this.#line(chunk, start, nl);
      start = nl + 1;
    }
    if (start < chunk.length) this.#keep(chunk.subarray(start));
    return this.#drain();
  }

  /** The input ended: the last line (even without a final newline) and the last batch. */
  end(): BatchEvent[] {
    if (this.#carryBytes > 0) this.#takeCarried(Buffer.alloc(0));
    this.#flush();
    return this.#drain();
  }

  #drain(): BatchEvent[] {
    const events = this.#events;
    this.#events = [];
    return events;
  }

  /** Keeps the start of a line that continues in the next chunk, unless it is already too long. */
  #keep(piece: Buffer): void {
    // +1: a trailing \r does not count, so a line may be one byte longer before it is hopeless.
    if (this.#carryBytes + piece.length <= this.#max + 1) this.#carry.push(piece);
    else this.#carry = [];
    this.#carryBytes += piece.length;
  }

  #takeCarried(tail: Buffer): void {
    const total = this.#carryBytes + tail.length;
    const kept = this.#carry;
    this.#carry = [];
    this.#carryBytes = 0;
    if (total > this.#max + 1) {
      this.#lineNumber += 1;
      this.#options.stats.lines += 1;
      this.#reject(total);
      return;
    }
    const line = Buffer.concat([...kept, tail], total);
    this.#line(line, 0, line.length);
  }

  /** One line: `chunk[start, end)`, without its `\n`. */
  #line(chunk: Buffer, start: number, end: number): void {
    this.#lineNumber += 1;
    if (end > start && chunk[end - 1] === 13) end -= 1;
    const stats = this.#options.stats;
    const length = end - start;
    if (length === 0) {
      stats.emptyLines += 1;
      return;
    }
    stats.lines += 1;
    if (length > this.#max) {
      this.#reject(length);
      return;
    }
    if (this.#size > 0 && this.#size + 1 + length > this.#max) this.#flush();
    if (this.#size > 0 && chunk === this.#lastChunk && start === this.#lastEnd + 1) {
      // The previous line ended right before this one in the same chunk: widen that slice
      // over the `\n` between them instead of adding two more parts.
      this.#parts[this.#parts.length - 1] = chunk.subarray(this.#lastStart, end);
      this.#size += 1 + length;
    } else {
      if (this.#size > 0) {
        this.#parts.push(NEWLINE);
        this.#size += 1;
      }
      this.#parts.push(chunk.subarray(start, end));
      this.#size += length;
      this.#lastStart = start;
    }
    this.#lastChunk = chunk;
    this.#lastEnd = end;
    this.#lineNumbers.push(this.#lineNumber);
  }

  #reject(bytes: number): void {
    this.#options.stats.rejected += 1;
    // The batch so far goes first, so batches never straddle a rejected line (ranges stay simple).
    this.#flush();
    this.#events.push({
      type: "rejected",
      line: {
        source: this.#options.source,
        lineNumber: this.#lineNumber,
        bytes,
        reason: `line of ${bytes} bytes is longer than the ${this.#max}-byte batch limit`,
      },
    });
  }

  #flush(): void {
    if (this.#size === 0) return;
    const parts = this.#parts;
    const body = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, this.#size);
    this.#events.push({
      type: "batch",
      batch: { source: this.#options.source, body, lineNumbers: this.#lineNumbers },
    });
    this.#parts = [];
    this.#size = 0;
    this.#lineNumbers = [];
    this.#lastChunk = undefined;
  }
}

/** Reads chunks and yields batches and rejects, in input order; pulls input only as needed. */
export async function* batchLines(
  chunks: AsyncIterable<Buffer>,
  options: BatcherOptions,
): AsyncGenerator<BatchEvent> {
  const batcher = new LineBatcher(options);
  for await (const chunk of chunks) yield* batcher.push(chunk);
  yield* batcher.end();
}
