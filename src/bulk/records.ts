import type { BatchSend } from "./batch-adapter.js";
import type { Segment } from "./segments.js";
import type { RecordParser } from "./types.js";

export type { ParseInput, RecordEvent, RecordParser } from "./types.js";

/** Records batched for one request; segments say which lines of which input they are (ledger). */
export interface RecordBatch<V> {
  /** The records, in order; empty once the batch is `packed`. */
  values: V[];
  /** The records as the service packed them once the batch was complete (`RecordSpec.pack`). */
  packed?: PackedRecords<V>;
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

/**
 * A complete batch's records held compactly (e.g. as its request body) instead of one object per
 * record: see `RecordSpec.pack`.
 */
export interface PackedRecords<V> {
  /** The records back, in order, with their weights: only to halve a batch after a 413 (rare). */
  unpack(): { values: V[]; weights: number[] };
  /**
   * Every answer accepted the batch: what was packed may be reused (e.g. its body's buffer, for
   * the next batch). Not called after a refusal, a failure or a 413.
   */
  release?(): void;
}

/** How a record-based service reads and batches its records. */
export interface RecordSpec<V> {
  parse: RecordParser<V>;
  limits: RecordLimits;
  /** Words for the per-file result and summary, e.g. { record: "line" } or { record: "row" }. */
  words: BulkWords;
  /** The flag that sets the batch limit, named in the hint when a server's 413s stop the run. */
  batchOption?: string;
  /**
   * Packs a batch as soon as it is complete (its `values` are then dropped): a batch waits for a
   * request slot and its answer, longer than the garbage collector's young generation keeps
   * objects, so records held as objects would all be promoted (peak memory). What is packed is
   * the service's to read back in its `build` (e.g. the request body, made once here).
   */
  pack?(values: V[]): PackedRecords<V>;
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
