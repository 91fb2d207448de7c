import { markOf, PendingMarks } from "./acked.js";
import {
  batchBufferBytes,
  emptyStats,
  type BatchEvent,
  type BatcherOptions,
  type BatchStats,
} from "./batcher.js";
import { BufferPool } from "./pool.js";
import { addLine } from "./runs.js";
import type { Segment } from "./segments.js";

/**
 * What both read modes of the line batcher share: the input being read and its counters, and
 * the batch being filled — taking one line into it (or alone, or rejected), ending it, and the
 * events it completed. Bytes are copied unchanged into the batch body, lines that follow each
 * other in a chunk in one copy (`chunk[from, to)` to `body[at]`, pending until something else is
 * copied). `ChunkBatcher` reads by chunks, `LineBatcher` also straight into the body.
 */
export class OpenBatch {
  protected readonly max: number;
  protected readonly hard: number;
  protected readonly pool: BufferPool;
  /** The input being read, its counters, and its segment in the batch being filled. */
  protected source = "";
  protected stats: BatchStats = emptyStats();
  protected segment: Segment | undefined;
  protected lineNumber = 0;
  /** Bytes of the input up to the end of the last line taken (empty ones too), `\r\n` included. */
  protected taken = 0;
  /** Lines up to `taken` (the line being read may already be counted in `lineNumber`). */
  protected takenLines = 0;
  /** The input was read to its end (its last mark was noted). */
  #ended = false;
  /** A last line without a newline is held back, not taken (`begin`'s `holdBack`). */
  protected holdBack = false;
  readonly #marks = new PendingMarks();
  /** The batch being filled. */
  protected body: Buffer | undefined;
  protected size = 0;
  protected segments: Segment[] = [];
  /** Bytes of `chunk` from `from` to `to` still to be copied to the body at `at`. */
  protected chunk: Buffer | undefined;
  protected from = 0;
  protected to = 0;
  protected at = 0;
  /** The line put together from carried pieces, while it is being taken (no need to copy it). */
  protected owned: Buffer | undefined;
  #events: BatchEvent[] = [];

  constructor(options: BatcherOptions) {
    this.max = options.maxBatchBytes;
    this.hard = Math.max(options.hardBytes ?? 0, options.maxBatchBytes);
    this.pool = options.pool ?? new BufferPool(batchBufferBytes(options.maxBatchBytes));
  }

  /**
   * Starts the next input: its lines are numbered from `start.lines + 1` (1 unless it resumes a
   * checkpoint) and counted in `stats` (updated in place, so progress can read it while the input
   * is being read). `holdBack`: a last line without a newline is not taken (the file may still
   * grow); its bytes are not counted as read.
   */
  begin(source: string, stats: BatchStats, start?: { lines: number }, holdBack = false): void {
    this.source = source;
    this.stats = stats;
    this.segment = undefined;
    this.lineNumber = start?.lines ?? 0;
    this.taken = 0;
    this.takenLines = this.lineNumber;
    this.#ended = false;
    this.holdBack = holdBack;
  }

  /** No more input: the last batch. */
  end(): BatchEvent[] {
    this.flush();
    return this.drain();
  }

  /** The input was read to its end: every line of it is in the events so far or the open batch. */
  protected inputEnded(): BatchEvent[] {
    this.copyPending();
    // The next event covers it all.
    this.#marks.note(markOf(this.source, this.stats, this.stats.bytesRead, true, this.lineNumber));
    this.#ended = true;
    return this.drain();
  }

  protected drain(): BatchEvent[] {
    const events = this.#events;
    this.#events = [];
    return events;
  }

  /**
   * The input's segment in the batch being filled (added to it on its first line, which starts
   * at byte `start`), its byte range now ending at `taken`.
   */
  protected currentSegment(start: number): Segment {
    let segment = this.segment;
    if (!segment) {
      segment = this.segment = { source: this.source, lines: [], bytes: { start, end: 0 } };
      this.segments.push(segment);
    }
    if (segment.bytes) segment.bytes.end = this.taken;
    return segment;
  }

  /** One line: `chunk[start, end)`, without its `\n`. The hot path: no allocation. */
  protected line(chunk: Buffer, start: number, end: number): void {
    const number = ++this.lineNumber;
    // The line as read: with its `\r` and `\n` (one too many for a last line without one).
    const raw = end - start + 1;
    if (end > start && chunk[end - 1] === 13) end -= 1;
    const stats = this.stats;
    const length = end - start;
    if (length === 0) {
      stats.emptyLines += 1;
      this.taken += raw;
      this.takenLines = this.lineNumber;
      return;
    }
    stats.records += 1;
    if (length > this.max) {
      if (length > this.hard) this.reject(length, raw);
      else this.#alone(chunk, start, end, number, raw);
      return;
    }
    if (this.size > 0 && this.size + 1 + length > this.max) this.flush();
    this.taken += raw;
    this.takenLines = this.lineNumber;
    if (this.size > 0 && chunk === this.chunk && start === this.to + 1) {
      // Right after the previous line in the same chunk: one copy covers both and the `\n`.
      this.to = end;
      this.size += 1 + length;
    } else {
      this.copyPending();
      this.body ??= this.pool.take();
      if (this.size > 0) this.body[this.size++] = 10;
      this.chunk = chunk;
      this.from = start;
      this.to = end;
      this.at = this.size;
      this.size += length;
    }
    addLine(this.currentSegment(this.taken - raw).lines, number);
  }

  /**
   * A line longer than the batch size but within the request limit: its own request, in its own
   * buffer (the read buffer is reused; a line put together from pieces is already a copy).
   */
  #alone(chunk: Buffer, start: number, end: number, number: number, raw: number): void {
    this.flush();
    this.taken += raw;
    this.takenLines = this.lineNumber;
    const part = chunk.subarray(start, end);
    this.#events.push({
      type: "batch",
      batch: {
        body: chunk === this.owned ? part : Buffer.from(part),
        segments: [
          {
            source: this.source,
            lines: [number, number],
            bytes: { start: this.taken - raw, end: this.taken },
          },
        ],
        release: () => {},
      },
      marks: this.#takeMarks(),
    });
  }

  protected copyPending(): void {
    const body = this.body;
    if (this.chunk === body && body) {
      // Read straight into the body: only lines after a dropped byte move, and never rightwards.
      if (this.from !== this.at) body.copyWithin(this.at, this.from, this.to);
    } else if (this.chunk && body) this.chunk.copy(body, this.at, this.from, this.to);
    this.chunk = undefined;
  }

  /** A line of `bytes` (as sent) too long to send; `raw`: its bytes as read, with its ending. */
  protected reject(bytes: number, raw: number): void {
    this.stats.rejected += 1;
    // The batch so far goes first, so batches never straddle a rejected line (ranges stay simple).
    this.flush();
    const range = { start: this.taken, end: this.taken + raw };
    this.taken += raw;
    this.takenLines = this.lineNumber;
    this.#events.push({
      type: "rejected",
      record: {
        source: this.source,
        lineNumber: this.lineNumber,
        bytes,
        range,
        reason:
          this.hard > this.max
            ? `line of ${bytes} bytes is longer than the ${this.hard}-byte request limit`
            : `line of ${bytes} bytes is longer than the ${this.max}-byte batch limit`,
      },
      marks: this.#takeMarks(),
    });
  }

  /** The marks of the event being emitted: every line taken so far is in it or before it. */
  #takeMarks() {
    if (!this.#ended) {
      this.#marks.note(markOf(this.source, this.stats, this.taken, false, this.takenLines));
    }
    return this.#marks.take();
  }

  protected flush(): void {
    this.copyPending();
    const body = this.body;
    if (this.size === 0 || !body) return;
    const pool = this.pool;
    let released = false;
    this.#events.push({
      type: "batch",
      batch: {
        body: body.subarray(0, this.size),
        segments: this.segments,
        release: () => {
          if (!released) pool.give(body);
          released = true;
        },
      },
      marks: this.#takeMarks(),
    });
    this.body = undefined;
    this.size = 0;
    this.segments = [];
    this.segment = undefined;
  }
}
