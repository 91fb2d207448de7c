import { InterruptedError, RejectedError } from "../errors.js";
import { AckedProgress } from "./acked.js";
import { Pacer, type Clock } from "./pace.js";
import { InOrder, type InOrderItem } from "./in-order.js";
import { addSpan, type RecordLedger, type RecordStatus, type PendingSpan } from "./ledger.js";
import { countLines } from "./runs.js";
import { countSegmentRecords } from "./segments.js";
import { TooLargeTracker } from "./too-large.js";
import type {
  BatchKind,
  Deliverable,
  EngineEvent,
  InputMark,
  RejectedRecord,
  SendOutcome,
} from "./types.js";

export type { SendOutcome } from "./types.js";

/** How batches are delivered. */
export interface DeliverOptions<B extends Deliverable> {
  /** What the batches are: how to measure, split and release one. */
  kind: BatchKind<B>;
  /**
   * Requests in flight at most; reading pauses while they all are (after one more batch, when the
   * kind reads ahead).
   */
  concurrency: number;
  send(batch: B): Promise<SendOutcome>;
  ledger: RecordLedger;
  /** Aborted on SIGINT: no more input is read; requests in flight finish. */
  signal: AbortSignal;
  onRejected(record: RejectedRecord): void;
  /** A batch delivered with a warning (the first line it carries, and the warning). */
  onWarned?(batch: B, warning: string): void;
  /**
   * A batch (or a 413 half) the service refused for good (a `RejectedError`: a 400): true when
   * its records were kept elsewhere (`--rejects`, written before this returns), so they count as
   * rejected — settled, the checkpoint may pass them — and the run goes on. Without it, or when it
   * returns false, the refusal stops the run.
   */
  onRefused?(batch: B, error: Error): boolean;
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
 * The delivery of one run's batches: what each record came to, in line order, and the first
 * failure. `deliverBatches` feeds it.
 */
class Delivery<B extends Deliverable> {
  firstError: Error | undefined;
  readonly counts: { requests: number; deliveredSize: number };
  readonly #options: DeliverOptions<B>;
  readonly #acked: AckedProgress;
  readonly #pacer: Pacer;
  readonly #tooLarge: TooLargeTracker;
  /** The ledger takes lines in line order, so that it can merge them as they come (flat memory). */
  readonly #order: InOrder<PendingSpan[]>;

  constructor(options: DeliverOptions<B>) {
    this.#options = options;
    this.#acked = options.acked ?? new AckedProgress();
    this.#pacer = new Pacer(options.ratePerMinute, options.clock);
    this.counts = options.counts ?? { requests: 0, deliveredSize: 0 };
    this.#tooLarge = new TooLargeTracker(options.kind.units);
    const { ledger } = options;
    this.#order = new InOrder<PendingSpan[]>(
      () => [],
      (spans) => {
        for (const s of spans) ledger.recordSpan(s.source, s.first, s.last, s.count, s.status);
      },
    );
  }

  /** A record rejected before it was batched: accounted in its turn. */
  rejected(event: { record: RejectedRecord; marks?: InputMark[] }): void {
    this.#reject(event.record);
    this.#acked.settled(event.marks);
  }

  /** Delivers a batch as read; settles when every request for it (its halves too) was answered. */
  async send(event: { batch: B; marks?: InputMark[] }): Promise<void> {
    const { batch } = event;
    const ticket = this.#acked.issue(event.marks);
    const top: Settling = { unsettled: false, item: this.#order.start() };
    try {
      const clean = await this.#deliver(batch, top);
      // After an error answer the server may not have read the whole body, so the
      // connection might still be sending it: only a body every answer accepted is reused.
      if (clean) this.#options.kind.release(batch);
      if (!top.unsettled) this.#acked.settle(ticket);
    } finally {
      this.#order.finish(top.item);
    }
  }

  /** Its records' status; `top.unsettled` once some were neither accepted nor rejected. */
  #record(batch: Deliverable, status: RecordStatus, top: Settling): void {
    for (const { source, lines } of batch.segments) {
      const [first, last] = [lines[0], lines[lines.length - 1]];
      if (first === undefined || last === undefined) continue;
      addSpan(top.item.payload, { source, first, last, count: countLines(lines), status });
    }
    if (status === "delivered" || status === "warned" || status === "rejected")
      this.#acked.records += countSegmentRecords(batch.segments);
    else top.unsettled = true;
  }

  /** A rejected record: in `spans` (of the batch it was in), or in its turn. */
  #reject(record: RejectedRecord, spans?: PendingSpan[]): void {
    const n = record.lineNumber;
    const span: PendingSpan = {
      source: record.source,
      first: n,
      last: n,
      count: 1,
      status: "rejected",
    };
    if (spans) addSpan(spans, span);
    else this.#order.now((pending) => addSpan(pending, span));
    this.#acked.records += 1;
    this.#options.onRejected(record);
  }

  /**
   * Sends a batch (in halves after a 413); true when no answer may have left it half read. `top`
   * is of the batch as read, whose halves these are.
   */
  async #deliver(batch: B, top: Settling): Promise<boolean> {
    if (this.firstError) {
      this.#record(batch, "unsent", top);
      return true;
    }
    const { kind, signal } = this.#options;
    const size = kind.size(batch);
    if (countSegmentRecords(batch.segments) > 1 && this.#tooLarge.known(size)) {
      // The server already refused a batch this large: split it without asking again.
      const [first, second] = kind.split(batch);
      const clean = await this.#deliver(first, top);
      return (await this.#deliver(second, top)) && clean;
    }
    try {
      await this.#pacer.wait(signal);
    } catch {
      this.#record(batch, "unsent", top); // Ctrl-C while waiting for its turn
      return true;
    }
    const outcome = await this.#options.send(batch);
    if (outcome.ok || !("unsent" in outcome && outcome.unsent)) this.counts.requests += 1;
    if (outcome.ok) {
      this.#tooLarge.accepted(size);
      this.counts.deliveredSize += size;
      if (outcome.warned === undefined) this.#record(batch, "delivered", top);
      else {
        this.#record(batch, "warned", top);
        this.#options.onWarned?.(batch, outcome.warned);
      }
      return true;
    }
    if (!("tooLarge" in outcome)) {
      if (this.#keptRefused(batch, outcome, top)) return false;
      this.firstError ??= outcome.error;
      // Cut off by Ctrl-C: not sent, as the README says (it may or may not have arrived).
      const unsent = outcome.unsent === true || outcome.error instanceof InterruptedError;
      this.#record(batch, unsent ? "unsent" : "failed", top);
      return false;
    }
    await this.#refused(batch, size, top);
    return false;
  }

  /**
   * A batch the service refused for good, its records kept by `onRefused` (`--rejects`): they are
   * rejected, not failed, and the run goes on. False for any other failure (it stops the run).
   */
  #keptRefused(batch: B, outcome: { error: Error; unsent?: boolean }, top: Settling): boolean {
    const { error } = outcome;
    if (outcome.unsent || !(error instanceof RejectedError)) return false;
    if (!this.#options.onRefused?.(batch, error)) return false;
    this.#record(batch, "rejected", top);
    return true;
  }

  /** A 413: the batch is halved, or its one record rejected, or the run stops (too-large.ts). */
  async #refused(batch: B, size: number, top: Settling): Promise<void> {
    const { kind } = this.#options;
    const stop = this.#tooLarge.refused(size);
    if (stop) {
      this.firstError ??= stop;
      this.#record(batch, "failed", top);
    } else if (countSegmentRecords(batch.segments) === 1) {
      const [segment] = batch.segments;
      this.#reject(
        {
          source: segment?.source ?? "",
          lineNumber: segment?.lines[0] ?? 0,
          reason: `the server refused the ${kind.record} as too large (HTTP 413)`,
        },
        top.item.payload,
      );
    } else {
      const [first, second] = kind.split(batch);
      await this.#deliver(first, top);
      await this.#deliver(second, top);
    }
  }
}

/**
 * Sends batches with at most `concurrency` requests in flight, pulling the next batch from the
 * input only when a slot is free, or one batch ahead for a kind that reads ahead (back-pressure:
 * memory stays bounded whatever the input size).
 * Every record ends up in the ledger as delivered, warned, failed, rejected or unsent. The first
 * failure stops reading; requests already in flight finish and are accounted for.
 */
export async function deliverBatches<B extends Deliverable>(
  events: AsyncIterable<EngineEvent<B>>,
  options: DeliverOptions<B>,
): Promise<DeliverResult> {
  const { signal } = options;
  const delivery = new Delivery(options);
  const inFlight = new Set<Promise<void>>();
  const iterator = events[Symbol.asyncIterator]();
  /** Waits for a free request slot; true when the run stops instead (a failure, Ctrl-C). */
  const slotOrStop = async (): Promise<boolean> => {
    while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    return Boolean(delivery.firstError) || signal.aborted;
  };
  try {
    while (!delivery.firstError && !signal.aborted) {
      if (!options.kind.readAhead && (await slotOrStop())) break;
      let next: IteratorResult<EngineEvent<B>>;
      try {
        next = await iterator.next();
      } catch (error) {
        // A read failure (damaged gzip, I/O error) stops the run like a failed request does.
        delivery.firstError ??= error as Error;
        break;
      }
      if (next.done) break;
      const event = next.value;
      if (event.type === "rejected") {
        delivery.rejected(event);
        continue;
      }
      // Read ahead: the batch waits for a slot here. Not sent after a failure or Ctrl-C: its
      // records are accounted like those never read (the report says where sending stopped).
      if (options.kind.readAhead && (await slotOrStop())) break;
      const sending: Promise<void> = delivery.send(event).finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    }
  } finally {
    // Stop reading (closes the files), but let the requests in flight finish and be counted.
    await Promise.allSettled(inFlight);
    await iterator.return?.();
  }
  const { counts, firstError } = delivery;
  return { requests: counts.requests, deliveredSize: counts.deliveredSize, firstError };
}
