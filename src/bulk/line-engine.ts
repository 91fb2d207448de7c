import { batchInputs } from "./batch-inputs.js";
import { batchBufferBytes, type Batch } from "./batcher.js";
import type { BatchKind, BatchSource } from "./engine.js";
import { BufferPool } from "./pool.js";
import { splitSegments } from "./segments.js";
import { byteUnits } from "./too-large.js";

/**
 * Splits a batch of two or more lines into two, at the line boundary nearest its middle byte;
 * each line stays accounted to its own input. The halves share the parent's body (and its
 * release).
 */
export function splitBatch(batch: Batch): [Batch, Batch] {
  const { body } = batch;
  let cut = body.indexOf(10, Math.floor(body.length / 2));
  if (cut === -1) cut = body.lastIndexOf(10);
  let linesBefore = 1;
  for (let i = body.indexOf(10); i !== -1 && i < cut; i = body.indexOf(10, i + 1)) linesBefore += 1;
  const [head, tail] = splitSegments(batch.segments, linesBefore);
  const half = (part: Buffer, segments: Batch["segments"]): Batch => ({
    ...batch,
    body: part,
    segments,
  });
  return [half(body.subarray(0, cut), head), half(body.subarray(cut + 1), tail)];
}

/** Raw-line batches of at most `maxBatchBytes` body bytes, as the delivery sees them. */
export function lineKind(maxBatchBytes: number, option = "--batch-size"): BatchKind<Batch> {
  return {
    record: "line",
    size: (batch) => batch.body.length,
    split: splitBatch,
    release: (batch) => batch.release(),
    units: byteUnits(maxBatchBytes, option),
  };
}

/** How raw lines are sent (Devo's stream mode). */
export interface LineEngineOptions {
  /** Largest body of a batch of several lines. */
  maxBatchBytes: number;
  /** Longest line sent at all, alone (the API's request limit). */
  hardBytes: number;
}

/**
 * Raw lines, batched byte for byte by the zero-copy `LineBatcher` into reused buffers: the fast
 * path for a service whose records are the lines themselves.
 */
export function lineEngine(options: LineEngineOptions): BatchSource<Batch> {
  const { maxBatchBytes, hardBytes } = options;
  return {
    kind: lineKind(maxBatchBytes),
    resumeBy: "offset",
    batches: (inputs) =>
      batchInputs(inputs, {
        maxBatchBytes,
        hardBytes,
        pool: new BufferPool(batchBufferBytes(maxBatchBytes)),
      }),
  };
}
