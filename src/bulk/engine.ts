import type { InputMark } from "./acked.js";
import type { BatchInput } from "./batch-inputs.js";
import type { RejectedRecord } from "./batcher.js";
import type { SendOutcome } from "./deliver.js";
import type { Segment } from "./segments.js";
import type { TooLargeUnits } from "./too-large.js";

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
}

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
