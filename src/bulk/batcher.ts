import { markOf, PendingMarks } from "./acked.js";
import type { EngineEvent } from "./engine.js";
import { BufferPool } from "./pool.js";
import { addLine, addRun } from "./runs.js";
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
  /**
   * Where batch bodies are written; buffers of `batchBufferBytes(maxBatchBytes)`, so a batch
   * read straight into one (`space`) can end with its last line's `\r\n`.
   */
  pool?: BufferPool;
}

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
 * The size of the buffers batches are written into: the largest body, and room for the `\r\n`
 * that ends its last line when it is read in place — whether a line fits is known only once its
 * end was read.
 */
export function batchBufferBytes(maxBatchBytes: number): number {
  return maxBatchBytes + 2;
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
 *
 * A regular file can instead be read straight into the batch being filled (`space`, then
 * `filled`): its lines stay where they were read, and only what must change moves — a dropped
 * empty line or `\r`, and the partial last line carried into the next batch. Both ways give the
 * same batches and counts, byte for byte, and may alternate within an input.
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
  /** Bytes of the input up to the end of the last line taken (empty ones too), `\r\n` included. */
  #taken = 0;
  /** The input was read to its end (its last mark was noted). */
  #ended = false;
  readonly #marks = new PendingMarks();
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
  /** The last byte carried, even once the pieces were dropped (is it a `\r`?). */
  #carryLast = 0;
  /** The line put together from carried pieces, while it is being taken (no need to copy it). */
  #owned: Buffer | undefined;
  /** Bytes read straight into `#body` and not yet taken: a partial line, `[#rawStart, #rawEnd)`. */
  #rawStart = 0;
  #rawEnd = 0;
  #events: BatchEvent[] = [];

  constructor(options: BatcherOptions) {
    this.#max = options.maxBatchBytes;
    this.#hard = Math.max(options.hardBytes ?? 0, options.maxBatchBytes);
    this.#pool = options.pool ?? new BufferPool(batchBufferBytes(options.maxBatchBytes));
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
    this.#taken = 0;
    this.#ended = false;
  }

  /** Takes the next chunk of input; returns the batches (and rejects) it completed. */
  push(chunk: Buffer): BatchEvent[] {
    this.#stats.bytesRead += chunk.length;
    this.#rawToCarry();
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
    if (this.#rawEnd > this.#rawStart) this.#takeRaw(this.#rawStart, this.#rawEnd);
    this.#rawStart = this.#rawEnd = 0;
    if (this.#carryBytes > 0) this.#takeCarried(Buffer.alloc(0));
    this.#copyPending();
    // Every line of it is in the events so far or in the open batch: the next event covers it.
    this.#marks.note(markOf(this.#source, this.#stats, this.#stats.bytesRead, true));
    this.#ended = true;
    return this.#drain();
  }

  /** No more input: the last batch. */
  end(): BatchEvent[] {
    this.#flush();
    return this.#drain();
  }

  /**
   * Where to read the next bytes of the input straight into the batch being filled; then call
   * `filled`. Undefined while a line longer than a batch is being read: `push` it instead.
   */
  space(): ReadSpace | undefined {
    const limit = this.#limit();
    const carried = this.#carryBytes;
    if (carried >= limit) return undefined;
    this.#copyPending();
    // A partial line read in place (never at the same time as a carried one) stays where it is.
    const partial = this.#rawEnd > this.#rawStart;
    if (!partial && this.#size > 0 && this.#size + 1 + carried >= limit) {
      // Full, or a carried line too long for what is left: the push path would end it here too.
      this.#flush();
    }
    const body = (this.#body ??= this.#pool.take());
    if (!partial) {
      // The next line is read right after the batch's last one and its `\n`.
      if (this.#size > 0) body[this.#size] = 10;
      let at = this.#size > 0 ? this.#size + 1 : 0;
      this.#rawStart = at;
      // The start of a line carried from the last pushed chunk goes first (a small copy).
      for (const piece of this.#carry) at += piece.copy(body, at);
      this.#rawEnd = at;
      this.#carry = [];
      this.#carryBytes = 0;
    }
    return {
      buffer: body,
      offset: this.#rawEnd,
      length: Math.min(limit - this.#rawEnd, DIRECT_READ_BYTES),
    };
  }

  /** `bytes` were read into the last `space`: takes the lines they complete. */
  filled(bytes: number): BatchEvent[] {
    this.#stats.bytesRead += bytes;
    let body = this.#body as Buffer;
    let start = this.#rawStart;
    let end = this.#rawEnd + bytes;
    // A view that ends where the read did: `indexOf` never scans an earlier batch's bytes.
    let data = body.subarray(0, end);
    let nl = data.indexOf(10, this.#rawEnd);
    this.#rawEnd = end;
    while (nl !== -1) {
      if (this.#inPlace(start) && nl > start && nl <= this.#max && body[nl - 1] !== 13) {
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
      this.#line(body, start, nl);
      start = nl + 1;
      nl = data.indexOf(10, start);
    }
    this.#rawStart = start;
    if (end === this.#limit() && start < end) this.#fullOfPartial();
    this.#copyPending();
    return this.#drain();
  }

  /** How far a body is read into (a pool of smaller buffers gives smaller batches, still right). */
  #limit(): number {
    return Math.min(this.#pool.size, batchBufferBytes(this.#max));
  }

  /** True when a line read at `start` is where it is sent: nothing before it was dropped. */
  #inPlace(start: number): boolean {
    return this.#size > 0 ? this.#size + 1 === start : start === 0;
  }

  /**
   * The hot path of `filled`: lines that stay where they were read (not empty, no `\r`, after
   * lines that stayed too, ending within the batch size), from `start` with its `\n` at `nl`. Nothing to copy, and one run of
   * line numbers for all of them. Returns where the first line it did not take starts.
   */
  #linesInPlace(data: Buffer, start: number, nl: number): number {
    this.#copyPending();
    const from = start;
    const first = this.#lineNumber + 1;
    let count = 0;
    do {
      count += 1;
      start = nl + 1;
      nl = data.indexOf(10, start);
    } while (nl > start && nl <= this.#max && data[nl - 1] !== 13);
    this.#taken += start - from;
    this.#size = start - 1;
    this.#lineNumber += count;
    this.#stats.lines += count;
    if (!this.#segment) {
      this.#segment = { source: this.#source, lines: [] };
      this.#segments.push(this.#segment);
    }
    addRun(this.#segment.lines, first, first + count - 1);
    return start;
  }

  /** True when line `body[start, end)` is not empty and does not fit in the batch being filled. */
  #full(body: Buffer, start: number, end: number): boolean {
    const length = end > start && body[end - 1] === 13 ? end - start - 1 : end - start;
    return length > 0 && this.#size > 0 && this.#size + 1 + length > this.#max;
  }

  /** The read space is used up by a partial line: make room for the rest of it. */
  #fullOfPartial(): void {
    const start = this.#rawStart;
    const end = this.#rawEnd;
    const body = this.#body as Buffer;
    const dest = this.#size > 0 ? this.#size + 1 : 0;
    if (start > dest) {
      // Bytes were dropped before it (empty lines, `\r`): closing the gap may make it fit.
      this.#copyPending();
      body.copyWithin(dest, start, end);
      if (this.#size > 0) body[this.#size] = 10;
      this.#rawStart = dest;
      this.#rawEnd = end - (start - dest);
    } else if (this.#size > 0) this.#rebase(start);
    else {
      // A line longer than a batch: carried in pieces, like one split across chunks.
      this.#rawToCarry();
    }
  }

  /** Ends the batch being filled; the raw bytes from `start` move to the start of a new buffer. */
  #rebase(start: number): Buffer {
    const old = this.#body as Buffer;
    const end = this.#rawEnd;
    this.#flush();
    const body = this.#pool.take();
    old.copy(body, 0, start, end);
    this.#body = body;
    this.#rawStart = 0;
    this.#rawEnd = end - start;
    return body;
  }

  /** The partial line read into the body becomes a carried piece (`push` takes it from there). */
  #rawToCarry(): void {
    if (this.#rawEnd > this.#rawStart && this.#body) {
      this.#keep(this.#body.subarray(this.#rawStart, this.#rawEnd));
    }
    this.#rawStart = this.#rawEnd = 0;
  }

  /** The input's last line, read into the body without a final newline. */
  #takeRaw(start: number, end: number): void {
    let body = this.#body as Buffer;
    if (this.#full(body, start, end)) {
      body = this.#rebase(start);
      end -= start;
      start = 0;
    }
    this.#line(body, start, end);
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
    if (piece.length > 0) this.#carryLast = piece[piece.length - 1] as number;
  }

  #takeCarried(tail: Buffer): void {
    const total = this.#carryBytes + tail.length;
    const kept = this.#carry;
    this.#carry = [];
    this.#carryBytes = 0;
    if (total > this.#hard + 1) {
      this.#lineNumber += 1;
      this.#stats.lines += 1;
      // Its size as sent: without a trailing \r, as for a line read in one piece.
      const last = tail.length > 0 ? tail[tail.length - 1] : this.#carryLast;
      this.#reject(last === 13 ? total - 1 : total, total + 1);
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
    // The line as read: with its `\r` and `\n` (one too many for a last line without one).
    const raw = end - start + 1;
    if (end > start && chunk[end - 1] === 13) end -= 1;
    const stats = this.#stats;
    const length = end - start;
    if (length === 0) {
      stats.emptyLines += 1;
      this.#taken += raw;
      return;
    }
    stats.lines += 1;
    if (length > this.#max) {
      if (length > this.#hard) this.#reject(length, raw);
      else this.#alone(chunk, start, end, number, raw);
      return;
    }
    if (this.#size > 0 && this.#size + 1 + length > this.#max) this.#flush();
    this.#taken += raw;
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
  #alone(chunk: Buffer, start: number, end: number, number: number, raw: number): void {
    this.#flush();
    this.#taken += raw;
    const part = chunk.subarray(start, end);
    this.#events.push({
      type: "batch",
      batch: {
        body: chunk === this.#owned ? part : Buffer.from(part),
        segments: [{ source: this.#source, lines: [number, number] }],
        release: () => {},
      },
      marks: this.#takeMarks(),
    });
  }

  #copyPending(): void {
    const body = this.#body;
    if (this.#chunk === body && body) {
      // Read straight into the body: only lines after a dropped byte move, and never rightwards.
      if (this.#from !== this.#at) body.copyWithin(this.#at, this.#from, this.#to);
    } else if (this.#chunk && body) this.#chunk.copy(body, this.#at, this.#from, this.#to);
    this.#chunk = undefined;
  }

  /** A line of `bytes` (as sent) too long to send; `raw`: its bytes as read, with its ending. */
  #reject(bytes: number, raw: number): void {
    this.#stats.rejected += 1;
    // The batch so far goes first, so batches never straddle a rejected line (ranges stay simple).
    this.#flush();
    this.#taken += raw;
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
      marks: this.#takeMarks(),
    });
  }

  /** The marks of the event being emitted: every line taken so far is in it or before it. */
  #takeMarks() {
    if (!this.#ended) this.#marks.note(markOf(this.#source, this.#stats, this.#taken));
    return this.#marks.take();
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
      marks: this.#takeMarks(),
    });
    this.#body = undefined;
    this.#size = 0;
    this.#segments = [];
    this.#segment = undefined;
  }
}
