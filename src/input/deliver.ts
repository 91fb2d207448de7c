import { AckedProgress } from "./acked.js";
import type { RejectedLine } from "./batcher.js";
import type { BatchKind, Deliverable, EngineEvent } from "./engine.js";
import { Pacer, type Clock } from "./pace.js";
import { InOrder, type InOrderItem } from "./in-order.js";
import { addSpan, type LineLedger, type LineStatus, type PendingSpan } from "./ranges.js";
import { countLines } from "./runs.js";
import { countSegmentLines } from "./segments.js";
import { TooLargeTracker } from "./too-large.js";

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

/** How batches are delivered. */
export interface DeliverOptions<B extends Deliverable> {
  /** What the batches are: how to measure, split and release one. */
  kind: BatchKind<B>;
  /** Requests in flight at most; reading pauses while they all are. */
  concurrency: number;
  send(batch: B): Promise<SendOutcome>;
  ledger: LineLedger;
  /** Aborted on SIGINT: no more input is read; requests in flight finish. */
  signal: AbortSignal;
  onRejected(line: RejectedLine): void;
  /** A batch delivered with a warning (the first line it carries, and the warning). */
  onWarned?(batch: B, warning: string): void;
  /** At most this many requests start per minute, evenly spaced (default: no limit). */
  ratePerMinute?: number;
  /** For tests of the pacing. */
  clock?: Clock;
  /** Requests made and size delivered, kept up to date as batches go (read by a forced stop). */
  counts?: { requests: number; deliveredSize: number };
  /** Told what the service settled, in input order (for progress). */
  acked?: AckedProgress;
}

/** A batch as read (its halves after a 413 are part of it), while it is being delivered. */
interface Settling {
  /** Some of its records failed or were not sent (progress stops before it). */
  unsettled: boolean;
  /** Its place in the order, holding what its records came to until it is their turn. */
  item: InOrderItem<PendingSpan[]>;
}

/** How the delivery ended. */
export interface DeliverResult {
  /** Requests made, 413 halves included. */
  requests: number;
  /** The sum of the sizes (`kind.size`) of the batches delivered: points, for Databoom. */
  deliveredSize: number;
  /** The failure that stopped the run (a request or reading the input), if one did. */
  firstError: Error | undefined;
}

/**
 * Sends batches with at most `concurrency` requests in flight, pulling the next batch from the
 * input only when a slot is free (back-pressure: memory stays bounded whatever the input size).
 * Every record ends up in the ledger as delivered, warned, failed, rejected or unsent. The first
 * failure stops reading; requests already in flight finish and are accounted for.
 */
export async function deliverBatches<B extends Deliverable>(
  events: AsyncIterable<EngineEvent<B>>,
  options: DeliverOptions<B>,
): Promise<DeliverResult> {
  const { ledger, kind, signal } = options;
  const acked = options.acked ?? new AckedProgress();
  const inFlight = new Set<Promise<void>>();
  const pacer = new Pacer(options.ratePerMinute, options.clock);
  const counts = options.counts ?? { requests: 0, deliveredSize: 0 };
  let firstError: Error | undefined;
  const tooLarge = new TooLargeTracker(kind.units);

  // The ledger takes lines in line order, so that it can merge them as they come (flat memory).
  const order = new InOrder<PendingSpan[]>(
    () => [],
    (spans) => {
      for (const s of spans) ledger.recordSpan(s.source, s.first, s.last, s.count, s.status);
    },
  );
  /** Its records' status; `top.unsettled` once some were neither accepted nor rejected. */
  const record = (batch: Deliverable, status: LineStatus, top: Settling): void => {
    for (const { source, lines } of batch.segments) {
      const [first, last] = [lines[0], lines[lines.length - 1]];
      if (first === undefined || last === undefined) continue;
      addSpan(top.item.payload, { source, first, last, count: countLines(lines), status });
    }
    if (status === "delivered" || status === "warned")
      acked.records += countSegmentLines(batch.segments);
    else top.unsettled = true;
  };
  /** A rejected line: in `spans` (of the batch it was in), or in its turn. */
  const reject = (line: RejectedLine, spans?: PendingSpan[]): void => {
    const n = line.lineNumber;
    const span: PendingSpan = {
      source: line.source,
      first: n,
      last: n,
      count: 1,
      status: "rejected",
    };
    if (spans) addSpan(spans, span);
    else order.now((pending) => addSpan(pending, span));
    acked.records += 1;
    options.onRejected(line);
  };

  /**
   * Sends a batch (in halves after a 413); true when no answer may have left it half read. `top`
   * is of the batch as read, whose halves these are.
   */
  const deliver = async (batch: B, top: Settling): Promise<boolean> => {
    if (firstError) {
      record(batch, "unsent", top);
      return true;
    }
    const lines = countSegmentLines(batch.segments);
    const size = kind.size(batch);
    if (lines > 1 && tooLarge.known(size)) {
      // The server already refused a batch this large: split it without asking again.
      const [first, second] = kind.split(batch);
      const clean = await deliver(first, top);
      return (await deliver(second, top)) && clean;
    }
    try {
      await pacer.wait(signal);
    } catch {
      record(batch, "unsent", top); // Ctrl-C while waiting for its turn
      return true;
    }
    const outcome = await options.send(batch);
    if (outcome.ok || !("unsent" in outcome && outcome.unsent)) counts.requests += 1;
    if (outcome.ok) {
      tooLarge.accepted(size);
      counts.deliveredSize += size;
      if (outcome.warned === undefined) record(batch, "delivered", top);
      else {
        record(batch, "warned", top);
        options.onWarned?.(batch, outcome.warned);
      }
      return true;
    }
    if (!("tooLarge" in outcome)) {
      firstError ??= outcome.error;
      record(batch, outcome.unsent ? "unsent" : "failed", top);
      return false;
    }
    const stop = tooLarge.refused(size);
    if (stop) {
      firstError ??= stop;
      record(batch, "failed", top);
    } else if (lines === 1) {
      const [segment] = batch.segments;
      reject(
        {
          source: segment?.source ?? "",
          lineNumber: segment?.lines[0] ?? 0,
          reason: `the server refused the ${kind.record} as too large (HTTP 413)`,
        },
        top.item.payload,
      );
    } else {
      const [first, second] = kind.split(batch);
      await deliver(first, top);
      await deliver(second, top);
    }
    return false;
  };

  const iterator = events[Symbol.asyncIterator]();
  try {
    while (!firstError && !signal.aborted) {
      while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
      if (firstError || signal.aborted) break;
      let next: IteratorResult<EngineEvent<B>>;
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
        acked.settled(event.marks);
        continue;
      }
      const { batch } = event;
      const ticket = acked.issue(event.marks);
      const top: Settling = { unsettled: false, item: order.start() };
      const sending: Promise<void> = deliver(batch, top)
        .then((clean) => {
          // After an error answer the server may not have read the whole body, so the
          // connection might still be sending it: only a body every answer accepted is reused.
          if (clean) kind.release(batch);
          if (!top.unsettled) acked.settle(ticket);
        })
        .finally(() => {
          order.finish(top.item);
          inFlight.delete(sending);
        });
      inFlight.add(sending);
    }
  } finally {
    // Stop reading (closes the files), but let the requests in flight finish and be counted.
    await Promise.allSettled(inFlight);
    await iterator.return?.();
  }
  return { requests: counts.requests, deliveredSize: counts.deliveredSize, firstError };
}
