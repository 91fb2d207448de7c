import type { EngineEvent } from "./engine.js";
import type { BufferPool } from "./pool.js";
import type { Segment } from "./segments.js";

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
  return { records: 0, emptyLines: 0, bytesRead: 0, sourceBytes: 0, rejected: 0 };
}
