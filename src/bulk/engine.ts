import type { BatchInput, BatchKind, Deliverable, EngineEvent, SendOutcome } from "./types.js";

export type { BatchKind, Deliverable, EngineEvent } from "./types.js";

/**
 * How an engine resumes an input from a checkpoint: reading from the offset on (lines), or
 * reading it from its start and skipping the records before the offset (records: a CSV header
 * is needed, and a parser's line numbers stay the file's).
 */
export type ResumeBy = "offset" | "records";

/**
 * How inputs become batches, and what they are: `devo file`'s lines (`lineEngine`) or a
 * record-based service's records (`recordEngine`).
 */
export interface BatchSource<B extends Deliverable> {
  kind: BatchKind<B>;
  resumeBy: ResumeBy;
  /** Reads the inputs in order (each opened when reached) into batches and rejects. */
  batches(inputs: Iterable<BatchInput>): AsyncIterable<EngineEvent<B>>;
}

/** One bulk pipeline: its batches, and how one is sent. `runBulk` runs any. */
export interface BulkEngine<B extends Deliverable> extends BatchSource<B> {
  send(batch: B): Promise<SendOutcome>;
}
