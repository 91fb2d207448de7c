import { countLines, type LineRuns } from "./runs.js";

/**
 * What became of a record (a line, a row) that was read. `warned`: delivered, with a warning from the
 * service (it counts as delivered for the exit code).
 */
export type RecordStatus = "delivered" | "warned" | "failed" | "rejected" | "unsent";

/** An inclusive range of line numbers. Lines inside it that are not counted were empty. */
export type LineRange = [first: number, last: number];

/** What became of every record of one input, by the line numbers the records start on. */
export interface LedgerEntry {
  source: string;
  /** Line ranges per status, merged and sorted: the first `MAX_RANGES` of each. */
  ranges: Record<RecordStatus, LineRange[]>;
  /** Ranges per status past the first `MAX_RANGES`, counted, not kept. */
  moreRanges: Record<RecordStatus, number>;
  /** Number of records per status. */
  counts: Record<RecordStatus, number>;
  /** The highest line number recorded (0 when none was). */
  last: number;
}

/** How many ranges of each status an input keeps; past them, ranges are only counted. */
export const MAX_RANGES = 1000;

const STATUSES: RecordStatus[] = ["delivered", "warned", "failed", "rejected", "unsent"];

/** The account of one input, built as its lines are recorded. */
interface Account extends LedgerEntry {
  /** The status of the last lines recorded, and their range when it was kept. */
  status: RecordStatus | undefined;
  open: LineRange | undefined;
}

/**
 * Keeps account of every record by status, so the summary can say exactly which lines of which
 * input were delivered and which were not. Records are recorded in line order per input (the
 * delivery sees to it): lines of one status that follow each other, across empty lines, merge
 * into one range as they are recorded, and past `MAX_RANGES` ranges of a status they are only
 * counted — memory stays flat whatever the input, even a million rejected lines.
 */
export class RecordLedger {
  readonly #accounts = new Map<string, Account>();

  /** Records the lines of a batch; the gaps between its runs can only be empty lines. */
  record(source: string, lines: LineRuns, status: RecordStatus): void {
    const first = lines[0];
    const last = lines[lines.length - 1];
    if (first === undefined || last === undefined) return;
    this.recordSpan(source, first, last, countLines(lines), status);
  }

  /** Records `count` lines from `first` to `last` (the others between them were empty). */
  recordSpan(
    source: string,
    first: number,
    last: number,
    count: number,
    status: RecordStatus,
  ): void {
    const account = this.#account(source);
    account.counts[status] += count;
    // In line order, the gap after the previous lines can only be empty lines: they merge.
    if (account.status === status && first > account.last) {
      if (account.open) account.open[1] = last;
    } else {
      account.status = status;
      const list = account.ranges[status];
      account.open = list.length < MAX_RANGES ? [first, last] : undefined;
      if (account.open) list.push(account.open);
      else account.moreRanges[status] += 1;
    }
    account.last = Math.max(account.last, last);
  }

  /** How many ranges are kept, over every input and status (bounded: see `MAX_RANGES`). */
  get retained(): number {
    let n = 0;
    for (const account of this.#accounts.values())
      for (const list of Object.values(account.ranges)) n += list.length;
    return n;
  }

  /** The account of one input (every status empty when nothing of it was recorded). */
  entry(source: string): LedgerEntry {
    const { ranges, moreRanges, counts, last } = this.#accounts.get(source) ?? emptyAccount(source);
    return { source, ranges, moreRanges, counts, last };
  }

  #account(source: string): Account {
    let account = this.#accounts.get(source);
    if (!account) this.#accounts.set(source, (account = emptyAccount(source)));
    return account;
  }
}

/** Lines recorded before it is their turn to enter the ledger (see `InOrder`). */
export interface PendingSpan {
  source: string;
  first: number;
  last: number;
  count: number;
  status: RecordStatus;
}

/** Adds lines to those waiting, merged with the last when they follow them with the same status. */
export function addSpan(list: PendingSpan[], span: PendingSpan): void {
  const previous = list[list.length - 1];
  if (
    previous?.source === span.source &&
    previous.status === span.status &&
    span.first > previous.last
  ) {
    previous.last = span.last;
    previous.count += span.count;
  } else list.push(span);
}

function emptyAccount(source: string): Account {
  return {
    source,
    ranges: emptyRecord<LineRange[]>(() => []),
    moreRanges: emptyRecord(() => 0),
    counts: emptyRecord(() => 0),
    last: 0,
    status: undefined,
    open: undefined,
  };
}

function emptyRecord<T>(make: () => T): Record<RecordStatus, T> {
  return Object.fromEntries(STATUSES.map((s) => [s, make()])) as Record<RecordStatus, T>;
}

/**
 * `1-500, 702, 900-1000`; past `max` ranges, the rest is counted, with `omitted` ranges that were
 * not kept.
 */
export function formatRanges(ranges: readonly LineRange[], max = 10, omitted = 0): string {
  const shown = ranges
    .slice(0, max)
    .map(([first, last]) => (first === last ? `${first}` : `${first}-${last}`));
  const more = ranges.length - shown.length + omitted;
  return shown.join(", ") + (more > 0 ? ` and ${more} more range${more === 1 ? "" : "s"}` : "");
}
