import type { BufferPool } from "./pool.js";
import type { Batch, BatchStats, EngineEvent } from "./types.js";

export type { BatchStats, Batch, RejectedRecord } from "./types.js";

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
