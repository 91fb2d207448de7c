import { InOrder, type InOrderItem } from "./in-order.js";
import type { BatchStats, InputMark } from "./types.js";

export type { InputMark } from "./types.js";

/**
 * The mark of `source` at decompressed offset `bytes`, given the input's counters so far. The
 * stored offset is exact for an uncompressed input (stored and read bytes are the same); for a
 * compressed one it is scaled by the compression ratio read so far, and below the stored bytes
 * read until the input ended.
 */
export function markOf(
  source: string,
  stats: BatchStats,
  bytes: number,
  ended = false,
  lines?: number,
): InputMark {
  const at = Math.min(bytes, stats.bytesRead);
  const counted = lines === undefined ? {} : { lines };
  if (ended)
    return { source, bytes: stats.bytesRead, stored: stats.sourceBytes, ended, ...counted };
  const stored = stats.bytesRead > 0 ? Math.floor((at * stats.sourceBytes) / stats.bytesRead) : 0;
  return { source, bytes: at, stored: Math.min(stored, stats.sourceBytes), ended, ...counted };
}

/** A batcher's marks since its last event, one per input (the latest wins). */
export class PendingMarks {
  #marks = new Map<string, InputMark>();

  note(mark: InputMark): void {
    this.#marks.set(mark.source, mark);
  }

  /** The marks for the event being emitted; none are pending after. */
  take(): InputMark[] {
    if (this.#marks.size === 0) return [];
    const marks = [...this.#marks.values()];
    this.#marks.clear();
    return marks;
  }
}

/** What the service has settled of one input, in input order. */
export interface AckedInput {
  bytes: number;
  stored: number;
  ended: boolean;
  /** Lines up to `bytes`, where the batcher knows them. */
  lines?: number;
}

/** An event's place in the order (`issue`), to pass to `settle`. */
export type Ticket = InOrderItem<Map<string, InputMark>>;

/**
 * What the service has settled — accepted, or definitively rejected — for progress that follows
 * delivery, not reading ahead. Events are issued in input order with their marks; a mark counts
 * once its event and every event before it settled. Settled events waiting behind one in flight
 * merge, so memory stays flat however many rejects queue up behind a slow request.
 */
export class AckedProgress {
  /** Records settled so far, in any order: delivered (warned too) or rejected. */
  records = 0;
  /** Per input (by name), how far every record was settled. */
  readonly inputs = new Map<string, AckedInput>();
  /** Told each time an input's settled point moved (a checkpoint follows it). */
  onAdvance: ((source: string, input: AckedInput) => void) | undefined;
  readonly #order = new InOrder<Map<string, InputMark>>(
    () => new Map(),
    (marks) => {
      for (const mark of marks.values()) this.#apply(mark);
    },
  );

  /** An event about to be delivered; its marks count once `settle` was called for it. */
  issue(marks: readonly InputMark[] | undefined): Ticket {
    const ticket = this.#order.start();
    merge(ticket.payload, marks);
    return ticket;
  }

  /** An event that needs no delivery (a rejected record): settled as it is issued. */
  settled(marks: readonly InputMark[] | undefined): void {
    if (marks?.length) this.#order.now((payload) => merge(payload, marks));
  }

  /** The event of `ticket` was accepted or rejected for good (never call it for a failure). */
  settle(ticket: Ticket): void {
    this.#order.finish(ticket);
  }

  #apply(mark: InputMark): void {
    let input = this.inputs.get(mark.source);
    if (!input) {
      input = { bytes: mark.bytes, stored: mark.stored, ended: mark.ended };
      if (mark.lines !== undefined) input.lines = mark.lines;
      this.inputs.set(mark.source, input);
    } else {
      input.bytes = Math.max(input.bytes, mark.bytes);
      input.stored = Math.max(input.stored, mark.stored);
      input.ended ||= mark.ended;
      if (mark.lines !== undefined) input.lines = Math.max(input.lines ?? 0, mark.lines);
    }
    this.onAdvance?.(mark.source, input);
  }
}

/** Later marks of an input replace earlier ones (they are in order). */
function merge(into: Map<string, InputMark>, marks: readonly InputMark[] | undefined): void {
  for (const mark of marks ?? []) into.set(mark.source, mark);
}
