import type { RecordedEvent } from "./types.js";

/** Default cap on the JSON size of the events the emulator keeps (`--max-stored`). */
export const DEFAULT_MAX_STORED_BYTES = 64 * 1024 * 1024;
/** Default cap on how many events it keeps, so millions of tiny events stay bounded too. */
export const DEFAULT_MAX_STORED_EVENTS = 1_000_000;

/** A recorded event as listed: numbered in arrival order. */
export type StoredEvent = RecordedEvent & { seq: number };

/** One page of the store: the events' JSON texts and where the next page starts. */
export interface StorePage {
  /** Each kept event with `seq > after`, in order, as its JSON text. */
  events: string[];
  /** The `after` value for the next page, or null when this page reached the newest event. */
  next: number | null;
}

/** What the store holds and has forgotten since it was last cleared. */
export interface StoreStats {
  /** Events recorded since the last clear, kept or not. */
  total: number;
  /** Events kept now. */
  kept: number;
  /** JSON bytes of the kept events. */
  keptBytes: number;
  /** Events forgotten (oldest first) to stay under the caps. */
  dropped: number;
}

/**
 * The emulator's memory of what it received, bounded by bytes and by count. Each event is kept
 * as its JSON text (what a listing sends, and what the byte cap counts), numbered with a `seq`
 * that keeps growing across clears so a client paging with `after` never sees a number reused.
 */
export class EventStore {
  private texts: string[] = [];
  private sizes: number[] = [];
  /** Index of the oldest kept event in `texts` (dropping shifts this instead of the array). */
  private head = 0;
  /** The seq of `texts[head]`. */
  private firstSeq = 1;
  private bytes = 0;
  private total = 0;
  private dropped = 0;

  constructor(
    readonly maxBytes = DEFAULT_MAX_STORED_BYTES,
    readonly maxEvents = DEFAULT_MAX_STORED_EVENTS,
  ) {}

  /** Records an event; returns it numbered and how many older events were forgotten for it. */
  add(event: RecordedEvent): { stored: StoredEvent; dropped: number } {
    const seq = this.firstSeq + this.texts.length - this.head;
    const stored: StoredEvent = { seq, ...event };
    const text = JSON.stringify(stored);
    const size = Buffer.byteLength(text);
    this.texts.push(text);
    this.sizes.push(size);
    this.bytes += size;
    this.total += 1;
    const before = this.dropped;
    while (this.count() > 0 && (this.bytes > this.maxBytes || this.count() > this.maxEvents)) {
      this.dropOldest();
    }
    return { stored, dropped: this.dropped - before };
  }

  /** Up to `limit` kept events with `seq > after`, oldest first. */
  page(after: number, limit: number): StorePage {
    const start = this.head + Math.max(0, after + 1 - this.firstSeq);
    const end = Math.min(this.texts.length, start + limit);
    const events = start < end ? this.texts.slice(start, end) : [];
    const next = end < this.texts.length ? this.firstSeq + (end - 1 - this.head) : null;
    return { events, next };
  }

  /** Counts since the last clear. */
  stats(): StoreStats {
    return { total: this.total, kept: this.count(), keptBytes: this.bytes, dropped: this.dropped };
  }

  /** Forgets everything and resets the counts; seq numbers carry on. */
  clear(): void {
    this.firstSeq += this.count();
    this.texts = [];
    this.sizes = [];
    this.head = 0;
    this.bytes = 0;
    this.total = 0;
    this.dropped = 0;
  }

  private count(): number {
    return this.texts.length - this.head;
  }

  private dropOldest(): void {
    this.bytes -= this.sizes[this.head] ?? 0;
    this.texts[this.head] = ""; // release the text now, not at the next compaction
    this.head += 1;
    this.firstSeq += 1;
    this.dropped += 1;
    // Compact once the forgotten prefix is half the array, so dropping stays O(1) amortized.
    if (this.head > 1024 && this.head * 2 > this.texts.length) {
      this.texts = this.texts.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
  }
}
