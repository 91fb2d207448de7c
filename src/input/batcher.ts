import type { EngineEvent } from "./engine.js";
import { BufferPool } from "./pool.js";
import { addLine } from "./runs.js";
import type { Segment } from "./segments.js";

/** Counters of one input, updated as it is read. */
export interface BatchStats {
  /** Non-empty lines read (the events), rejected ones included. */
  lines: number;
  /** Empty lines skipped. */
  emptyLines: number;
  /** Bytes read (after gzip decompression). */
  bytesRead: number;
  /** Bytes of the input as stored (before gzip decompression), for the progress percentage. */
  sourceBytes: number;
  /** Lines (records) rejected before sending: too long, or invalid. */
  rejected: number;
}

/**
 * Lines joined with `\n`, to be sent as one request body. Small inputs share a batch: it holds
 * one segment per input, in order, so every line is still accounted to its own input.
 */
export interface Batch {
  body: Buffer;
  /** Where the body's lines come from, in body order (never empty). */
  segments: Segment[];
  /**
   * Gives the body's memory back for reuse. Call it only once the body is no longer read by
   * anyone (delivered); a batch never released is simply garbage-collected.
   */
  release(): void;
}

/** A line that was not sent, and why. */
export interface RejectedLine {
  source: string;
  lineNumber: number;
  /** Its size, when that is why it was rejected. */
  bytes?: number;
  reason: string;
}

/** What the batcher produces, in input order. */
export type BatchEvent = EngineEvent<Batch>;

/** How lines are grouped. */
export interface BatcherOptions {
  /** Largest body: lines plus the `\n` between them. */
  maxBatchBytes: number;
  /**
   * Longest line sent at all (the API's request limit): a line longer than the batch size but
   * within this goes alone in its own request. Default: `maxBatchBytes`.
   */
  hardBytes?: number;
  /** Where batch bodies are written. */
  pool?: BufferPool;
}

/** A new, zeroed stats object. */
export function emptyStats(): BatchStats {
  return { lines: 0, emptyLines: 0, bytesRead: 0, sourceBytes: 0, rejected: 0 };
}

/**
 * Splits chunks into lines and groups them into batches at line boundaries. Synchronous: for each
 * input `begin`, `push` each chunk, `endInput`; after the last input `end`. Each returns the
 * events it completed. A batch goes on across inputs (5,000 small files need not be 5,000
 * requests); an input's last line is complete at `endInput`, so it is never glued to the next
 * input's first line. A chunk is not kept after `push`
 * returns, so the reader may reuse its buffer. Bytes are copied unchanged into the batch body,
 * lines that follow each other in a chunk in one copy. Memory: the batch being filled plus at
 * most one partial line (up to the request limit; a longer line is counted, never kept).
 */
export class LineBatcher {
  readonly #max: number;
  readonly #hard: number;
  readonly #pool: BufferPool;
  /** The input being read, its counters, and its segment in the batch being filled. */
  #source = "";
  #stats: BatchStats = emptyStats();
  #segment: Segment | undefined;
  #lineNumber = 0;
  /** The batch being filled. */
  #body: Buffer | undefined;
  #size = 0;
  #segments: Segment[] = [];
  /** Bytes of `#chunk` from `#from` to `#to` still to be copied to the body at `#at`. */
  #chunk: Buffer | undefined;
  #from = 0;
  #to = 0;
  #at = 0;
  /** A line split across chunks (copies), and its length so far. */
  #carry: Buffer[] = [];
  #carryBytes = 0;
  /** The line put together from carried pieces, while it is being taken (no need to copy it). */
  #owned: Buffer | undefined;
  #events: BatchEvent[] = [];

  constructor(options: BatcherOptions) {
    this.#max = options.maxBatchBytes;
    this.#hard = Math.max(options.hardBytes ?? 0, options.maxBatchBytes);
    this.#pool = options.pool ?? new BufferPool(options.maxBatchBytes);
  }

  /**
   * Starts the next input: its lines are numbered from 1 and counted in `stats` (updated in
   * place, so progress can read it while the input is being read).
   */
  begin(source: string, stats: BatchStats): void {
    this.#source = source;
    this.#stats = stats;
    this.#segment = undefined;
    this.#lineNumber = 0;
  }

  /** Takes the next chunk of input; returns the batches (and rejects) it completed. */
  push(chunk: Buffer): BatchEvent[] {
    this.#stats.bytesRead += chunk.length;
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
    this.#copyPending();
    return this.#drain();
  }

  /** The input ended: its last line (even without a final newline); the batch stays open. */
  endInput(): BatchEvent[] {
    if (this.#carryBytes > 0) this.#takeCarried(Buffer.alloc(0));
    this.#copyPending();
    return this.#drain();
  }

  /** No more input: the last batch. */
  end(): BatchEvent[] {
    this.#flush();
    return this.#drain();
  }

  #drain(): BatchEvent[] {
    const events = this.#events;
    this.#events = [];
    return events;
  }

  /** Keeps (a copy of) the start of a line that continues in the next chunk, while it can fit. */
  #keep(piece: Buffer): void {
    // +1: a trailing \r does not count, so a line may be one byte longer before it is hopeless.
    if (this.#carryBytes + piece.length <= this.#hard + 1) this.#carry.push(Buffer.from(piece));
    else this.#carry = [];
    this.#carryBytes += piece.length;
  }

  #takeCarried(tail: Buffer): void {
    const total = this.#carryBytes + tail.length;
    const kept = this.#carry;
    this.#carry = [];
    this.#carryBytes = 0;
    if (total > this.#hard + 1) {
      this.#lineNumber += 1;
      this.#stats.lines += 1;
      this.#reject(total);
      return;
    }
    const line = Buffer.concat([...kept, tail], total);
    this.#owned = line;
    this.#line(line, 0, line.length);
    this.#owned = undefined;
    this.#copyPending(); // `line` is not the chunk, so nothing after it can extend this copy
  }

  /** One line: `chunk[start, end)`, without its `\n`. The hot path: no allocation. */
  #line(chunk: Buffer, start: number, end: number): void {
    const number = ++this.#lineNumber;
    if (end > start && chunk[end - 1] === 13) end -= 1;
    const stats = this.#stats;
    const length = end - start;
    if (length === 0) {
      stats.emptyLines += 1;
      return;
    }
    stats.lines += 1;
    if (length > this.#max) {
      if (length > this.#hard) this.#reject(length);
      else this.#alone(chunk, start, end, number);
      return;
    }
    if (this.#size > 0 && this.#size + 1 + length > this.#max) this.#flush();
    if (this.#size > 0 && chunk === this.#chunk && start === this.#to + 1) {
      // Right after the previous line in the same chunk: one copy covers both and the `\n`.
      this.#to = end;
      this.#size += 1 + length;
    } else {
      this.#copyPending();
      this.#body ??= this.#pool.take();
      if (this.#size > 0) this.#body[this.#size++] = 10;
      this.#chunk = chunk;
      this.#from = start;
      this.#to = end;
      this.#at = this.#size;
      this.#size += length;
    }
    if (!this.#segment) {
      this.#segment = { source: this.#source, lines: [] };
      this.#segments.push(this.#segment);
    }
    addLine(this.#segment.lines, number);
  }

  /**
   * A line longer than the batch size but within the request limit: its own request, in its own
   * buffer (the read buffer is reused; a line put together from pieces is already a copy).
   */
  #alone(chunk: Buffer, start: number, end: number, number: number): void {
    this.#flush();
    const part = chunk.subarray(start, end);
    this.#events.push({
      type: "batch",
      batch: {
        body: chunk === this.#owned ? part : Buffer.from(part),
        segments: [{ source: this.#source, lines: [number, number] }],
        release: () => {},
      },
    });
  }

  #copyPending(): void {
    if (this.#chunk && this.#body) this.#chunk.copy(this.#body, this.#at, this.#from, this.#to);
    this.#chunk = undefined;
  }

  #reject(bytes: number): void {
    this.#stats.rejected += 1;
    // The batch so far goes first, so batches never straddle a rejected line (ranges stay simple).
    this.#flush();
    this.#events.push({
      type: "rejected",
      line: {
        source: this.#source,
        lineNumber: this.#lineNumber,
        bytes,
        reason:
          this.#hard > this.#max
            ? `line of ${bytes} bytes is longer than the ${this.#hard}-byte request limit`
            : `line of ${bytes} bytes is longer than the ${this.#max}-byte batch limit`,
      },
    });
  }

  #flush(): void {
    this.#copyPending();
    const body = this.#body;
    if (this.#size === 0 || !body) return;
    const pool = this.#pool;
    let released = false;
    this.#events.push({
      type: "batch",
      batch: {
        body: body.subarray(0, this.#size),
        segments: this.#segments,
        release: () => {
          if (!released) pool.give(body);
          released = true;
        },
      },
    });
    this.#body = undefined;
    this.#size = 0;
    this.#segments = [];
    this.#segment = undefined;
  }
}

/** One input for `batchInputs`. */
export interface BatchInput {
  source: string;
  /** Counters of this input, updated in place as it is read. */
  stats: BatchStats;
  /** Its bytes; the buffer of a chunk may be reused once the next one is asked for. */
  chunks: AsyncIterable<Buffer>;
  /** Called once the input was read to its end. */
  onEnd?(): void;
}

/**
 * Reads the inputs one after the other (each opened only when reached, through the lazy
 * iterable) and yields batches and rejects, in input order; a batch may span inputs. Pulls input
 * only as needed: a consumer that stops early stops the reading (and closes the input).
 */
export async function* batchInputs(
  inputs: Iterable<BatchInput>,
  options: BatcherOptions,
): AsyncGenerator<BatchEvent> {
  const batcher = new LineBatcher(options);
  for (const input of inputs) {
    batcher.begin(input.source, input.stats);
    for await (const chunk of input.chunks) yield* batcher.push(chunk);
    yield* batcher.endInput();
    input.onEnd?.();
  }
  yield* batcher.end();
}
