import type { BatchInput, BatchKind, Deliverable, EngineEvent, SendOutcome } from "./types.js";

export type { BatchKind, Deliverable, EngineEvent } from "./types.js";

/**
 * How inputs become batches, and what they are: `devo file`'s lines (`lineEngine`) or a
 * record-based service's records (`recordEngine`).
 */
export interface BatchSource<B extends Deliverable> {
  kind: BatchKind<B>;
  /** Reads the inputs in order (each opened when reached) into batches and rejects. */
  batches(inputs: Iterable<BatchInput>): AsyncIterable<EngineEvent<B>>;
}

/** One bulk pipeline: its batches, and how one is sent. `runBulk` runs any. */
export interface BulkEngine<B extends Deliverable> extends BatchSource<B> {
  send(batch: B): Promise<SendOutcome>;
}
