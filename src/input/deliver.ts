import type { Batch, BatchEvent, RejectedLine } from "./batcher.js";
import type { LineLedger, LineStatus } from "./ranges.js";
import { countSegmentLines, splitSegments } from "./segments.js";
import { TooLargeTracker } from "./too-large.js";

/** What sending one batch came to. */
export type SendOutcome =
  | { ok: true }
  /** The server said 413: the batch is split and both halves are sent (see too-large.ts). */
  | { ok: false; tooLarge: true }
  /** A permanent failure, or a transient one after every retry: the run stops. */
  | { ok: false; error: Error };

/** How batches are delivered. */
export interface DeliverOptions {
  /** Requests in flight at most; reading pauses while they all are. */
  concurrency: number;
  send(batch: Batch): Promise<SendOutcome>;
  ledger: LineLedger;
  /** Aborted on SIGINT: no more input is read; requests in flight finish. */
  signal: AbortSignal;
  onRejected(line: RejectedLine): void;
  /** The batch size: a 413 for a body far under it stops the run instead of splitting. */
  maxBatchBytes: number;
}

/** How the delivery ended. */
export interface DeliverResult {
  /** Requests made, 413 halves included. */
  requests: number;
  /** The failure that stopped the run (a request or reading the input), if one did. */
  firstError: Error | undefined;
}

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

function record(ledger: LineLedger, batch: Batch, status: LineStatus): void {
  for (const segment of batch.segments) ledger.record(segment.source, segment.lines, status);
}

/**
 * Sends batches with at most `concurrency` requests in flight, pulling the next batch from the
 * input only when a slot is free (back-pressure: memory stays bounded whatever the input size).
 * Every line ends up in the ledger as delivered, failed, rejected or unsent. The first failure
 * stops reading; requests already in flight finish and are accounted for.
 */
export async function deliverBatches(
  events: AsyncIterable<BatchEvent>,
  options: DeliverOptions,
): Promise<DeliverResult> {
  const { ledger } = options;
  const inFlight = new Set<Promise<void>>();
  let requests = 0;
  let firstError: Error | undefined;
  const tooLarge = new TooLargeTracker(options.maxBatchBytes);

  const reject = (line: RejectedLine): void => {
    ledger.record(line.source, [line.lineNumber, line.lineNumber], "rejected");
    options.onRejected(line);
  };

  /** Sends a batch (in halves after a 413); true when no answer may have left it half read. */
  const deliver = async (batch: Batch): Promise<boolean> => {
    if (firstError) {
      record(ledger, batch, "unsent");
      return true;
    }
    const lines = countSegmentLines(batch.segments);
    const size = batch.body.length;
    if (lines > 1 && tooLarge.known(size)) {
      // The server already refused a body this large: split it without asking again.
      const [first, second] = splitBatch(batch);
      const clean = await deliver(first);
      return (await deliver(second)) && clean;
    }
    requests += 1;
    const outcome = await options.send(batch);
    if (outcome.ok) {
      tooLarge.accepted(size);
      record(ledger, batch, "delivered");
      return true;
    }
    if (!("tooLarge" in outcome)) {
      firstError ??= outcome.error;
      record(ledger, batch, "failed");
      return false;
    }
    const stop = tooLarge.refused(size);
    if (stop) {
      firstError ??= stop;
      record(ledger, batch, "failed");
    } else if (lines === 1) {
      const [segment] = batch.segments;
      reject({
        source: segment?.source ?? "",
        lineNumber: segment?.lines[0] ?? 0,
        bytes: size,
        reason: "the server refused the line as too large (HTTP 413)",
      });
    } else {
      const [first, second] = splitBatch(batch);
      await deliver(first);
      await deliver(second);
    }
    return false;
  };

  const iterator = events[Symbol.asyncIterator]();
  try {
    while (!firstError && !options.signal.aborted) {
      while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
      if (firstError || options.signal.aborted) break;
      let next: IteratorResult<BatchEvent>;
      try {
        next = await iterator.next();
      } catch (error) {
        // A read failure (damaged gzip, I/O error) stops the run like a failed request does.
        firstError ??= error as Error;
        break;
      }
      if (next.done) break;
      const event = next.value;
      if (event.type === "rejected") {
        reject(event.line);
        continue;
      }
      const { batch } = event;
      const sending: Promise<void> = deliver(batch)
        .then((clean) => {
          // After an error answer the server may not have read the whole body, so the
          // connection might still be sending it: only a body every answer accepted is reused.
          if (clean) batch.release();
        })
        .finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    }
  } finally {
    // Stop reading (closes the files), but let the requests in flight finish and be counted.
    await Promise.allSettled(inFlight);
    await iterator.return?.();
  }
  return { requests, firstError };
}
