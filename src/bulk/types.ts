/**
 * The bulk engine's contract: what inputs, parsers and batchers hand on and what delivery takes
 * and answers. Types only, so the modules on both sides (and `src/input/`, whose readers and
 * parsers feed the engine) import them from here and never each other's code; the modules that
 * declared them before re-export them.
 */
import type { Segment } from "./segments.js";
import type { TooLargeUnits } from "./too-large.js";

/** Counters of one input, updated as it is read. */
export interface BatchStats {
  /** Records read (non-empty lines, rows), rejected ones included. */
  records: number;
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

/** A record (a line, a row) that was not sent, and why; `lineNumber`: the line it starts on. */
export interface RejectedRecord {
  source: string;
  lineNumber: number;
  /** Its size, when that is why it was rejected. */
  bytes?: number;
  reason: string;
  /**
   * Where its bytes are in the input (as read, decompressed, counted from where this run started
   * reading it), line ending included, when the reader knows: `--rejects` copies them from there.
   */
  range?: { start: number; end: number };
}

/** Reads the next bytes of an input into `buffer[offset, offset + length)`; 0 at its end. */
export type DirectRead = (buffer: Buffer, offset: number, length: number) => Promise<number>;

/** One input for `batchInputs`. */
export interface BatchInput {
  source: string;
  /** Counters of this input, updated in place as it is read. */
  stats: BatchStats;
  /** Its bytes; the buffer of a chunk may be reused once the next one is asked for. */
  chunks: AsyncIterable<Buffer>;
  /**
   * For an uncompressed regular file, once its first chunk was read: a reader of the rest,
   * straight into the caller's buffer (it shares the chunks' position, so the two may
   * alternate). Undefined before the first chunk and for any other input.
   */
  direct?(): DirectRead | undefined;
  /** Called once the input was read to its end. */
  onEnd?(): void;
  /**
   * Where this run starts in the input (a checkpoint): its chunks begin `bytes` into it (line
   * engine) or at its start with the records before `bytes` skipped (record engine).
   */
  start?: { bytes: number; lines: number };
  /** A last line without a newline is held back (the file may still grow: `--state`). */
  holdBack?: boolean;
}

/**
 * What a service's parser makes of one input, in order. `line` is 1-based, of the input's text;
 * `end` the byte offset (of the bytes as read, decompressed) just past the record, for progress
 * that counts what was acknowledged.
 */
export type RecordEvent<V> =
  /** weight: bytes (Devo), points (Databoom), 1 (others) */
  | { type: "record"; line: number; value: V; weight: number; end?: number }
  /** Reported with file:line, not sent; the run goes on. */
  | { type: "rejected"; line: number; reason: string; end?: number };

/**
 * One input for a parser: its bytes (already gunzipped) and its counters. The parser counts
 * `stats.records` (every record or row read, rejected ones included) and `stats.emptyLines` (blank
 * lines skipped); the engine counts `bytesRead` and `rejected`. `splitLines` counts both for a
 * parser that reads lines.
 */
export interface ParseInput {
  source: string;
  /** The bytes; a buffer may be reused once the next chunk is asked for (copy what you keep). */
  chunks: AsyncIterable<Buffer>;
  stats: BatchStats;
}

/**
 * Turns one input into records (and rejects), in input order, streamed: one event at a time, or
 * several together (e.g. the rows of a chunk, made by a parser's callbacks: one await per chunk,
 * not per record).
 */
export type RecordParser<V> = (
  input: ParseInput,
) => AsyncIterable<RecordEvent<V> | Array<RecordEvent<V>>>;

/**
 * How far one input is covered by the events up to the one that carries this mark: every record
 * that ends at or before `bytes` is in that event or an earlier one.
 */
export interface InputMark {
  source: string;
  /** Offset in the input as read (decompressed), just past the last record covered. */
  bytes: number;
  /** The same point in the input as stored (compressed): what the progress percentage counts. */
  stored: number;
  /** The whole input is covered: it was read to its end. */
  ended: boolean;
  /** Lines of the input up to `bytes` (from its start, a resumed one's too), where known. */
  lines?: number;
}

/**
 * What a batcher produces, in input order: a batch to send, or a record that is not sent. `marks`
 * say how far each input is covered once this event and all before it settled (for progress).
 */
export type EngineEvent<B> =
  | { type: "batch"; batch: B; marks?: InputMark[] }
  | { type: "rejected"; record: RejectedRecord; marks?: InputMark[] };

/** Anything the shared delivery can send: it knows which lines of which input it carries. */
export interface Deliverable {
  segments: Segment[];
}

/**
 * What the shared delivery needs to know of one kind of batch: Devo's raw-line bodies
 * (`lineKind`) or parsed records (`recordKind`).
 */
export interface BatchKind<B extends Deliverable> {
  /** What the 413 rule compares: body bytes for lines, weight for records. */
  size(batch: B): number;
  /** Halves a batch of two or more records (after a 413); each keeps its own lines. */
  split(batch: B): [B, B];
  /** Every answer accepted the batch: its memory may be reused. */
  release(batch: B): void;
  /** One record, in messages: "line", "row", "event". */
  record: string;
  /** How `size` is measured and named, and under what size a 413 stops the run (too-large.ts). */
  units: TooLargeUnits;
  /**
   * The next batch is read and built while every request slot is busy (one batch ahead), so
   * parsing overlaps the requests in flight. For batches that cost CPU to build (parsed records);
   * not for Devo's raw-line bodies, whose buffers are a pool sized to the requests in flight.
   */
  readAhead?: boolean;
}

/** What sending one batch came to. */
export type SendOutcome =
  /** Delivered; `warned`: delivered, but the service said something worth showing. */
  | { ok: true; warned?: string }
  /** The server said 413: the batch is split and both halves are sent (see too-large.ts). */
  | { ok: false; tooLarge: true }
  /**
   * A permanent failure, or a transient one after every retry: the run stops. `unsent`: the
   * batch never left (its credential could not be had), so its records are not sent, not failed.
   */
  | { ok: false; error: Error; unsent?: boolean };
