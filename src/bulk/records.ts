import type { BatchSend } from "./batch-adapter.js";
import type { BatchStats } from "./batcher.js";
import type { Segment } from "./segments.js";

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

/** Records batched for one request; segments say which lines of which input they are (ledger). */
export interface RecordBatch<V> {
  values: V[];
  segments: Segment[];
  /** The sum of the records' weights. */
  weight: number;
  /** Each record's weight, in order (the engine fills it; used to halve a batch after a 413). */
  weights?: number[];
}

/**
 * A batch closes before its weight would pass maxWeight or its count maxRecords; a record heavier
 * than maxWeight but within hardWeight goes alone in its own request; heavier than hardWeight is
 * rejected. `maxWeight: Infinity` leaves only the count (one event per request: maxRecords 1).
 */
export interface RecordLimits {
  maxWeight: number;
  maxRecords: number;
  hardWeight: number;
}

/** The limits of an API that takes one event per request (Eventhos, Guance): no batching. */
export const ONE_PER_REQUEST: RecordLimits = Object.freeze({
  maxWeight: Number.POSITIVE_INFINITY,
  maxRecords: 1,
  hardWeight: Number.POSITIVE_INFINITY,
});

/** How a record-based service reads and batches its records. */
export interface RecordSpec<V> {
  parse: RecordParser<V>;
  limits: RecordLimits;
  /** Words for the per-file result and summary, e.g. { record: "line" } or { record: "row" }. */
  words: BulkWords;
  /** The flag that sets the batch limit, named in the hint when a server's 413s stop the run. */
  batchOption?: string;
  /** Request bodies are gzip-compressed (the summary says so). */
  gzip?: boolean;
  /** The service's own totals for the summary, read once the run ended (e.g. points delivered). */
  counters?(): BulkCounter[];
}

/**
 * A service's bulk command is this and nothing else: its records, and how a batch is sent (its
 * request and what an answer means, see batch-adapter.ts).
 */
export type BulkSpec<V> = RecordSpec<V> & BatchSend<RecordBatch<V>>;

/** How the report names what a service sends. */
export interface BulkWords {
  /** One record: "line", "row", "event". */
  record: string;
  /** Several: "lines", "rows", "events". Also the JSON key of the count read. */
  records: string;
  /**
   * What a record's weight counts, when it is not 1 and worth reporting (Databoom: "points"):
   * the summary then says how many were delivered (`points: 1200` in JSON).
   */
  weight?: string;
}

/** A service's own total, e.g. `{ key: "points", label: "points delivered", value: 1200 }`. */
export interface BulkCounter {
  /** The JSON summary's key. */
  key: string;
  /** Human text after the number. */
  label: string;
  value: number;
}
