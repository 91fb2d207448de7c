import { countLines, type LineRuns } from "./runs.js";

/**
 * What became of a line (record) that was read. `warned`: delivered, with a warning from the
 * service (it counts as delivered for the exit code).
 */
export type LineStatus = "delivered" | "warned" | "failed" | "rejected" | "unsent";

/** An inclusive range of line numbers. Lines inside it that are not counted were empty. */
export type LineRange = [first: number, last: number];

/** What became of every line of one input. */
export interface LedgerEntry {
  source: string;
  /** Line ranges per status, merged and sorted. */
  ranges: Record<LineStatus, LineRange[]>;
  /** Number of lines per status. */
  counts: Record<LineStatus, number>;
}

interface Span {
  first: number;
  last: number;
  count: number;
  status: LineStatus;
}

const STATUSES: LineStatus[] = ["delivered", "warned", "failed", "rejected", "unsent"];

/**
 * Keeps account of every line by status, as a few ranges per batch (never one entry per line), so
 * the summary can say exactly which lines of which input were delivered and which were not.
 */
export class LineLedger {
  readonly #spans = new Map<string, Span[]>();

  /** Records the lines of a batch; the gaps between its runs can only be empty lines. */
  record(source: string, lines: LineRuns, status: LineStatus): void {
    const first = lines[0];
    const last = lines[lines.length - 1];
    if (first === undefined || last === undefined) return;
    let spans = this.#spans.get(source);
    if (!spans) this.#spans.set(source, (spans = []));
    spans.push({ first, last, count: countLines(lines), status });
  }

  /** The account of one input (every status empty when nothing of it was recorded). */
  entry(source: string): LedgerEntry {
    const spans = [...(this.#spans.get(source) ?? [])].sort((a, b) => a.first - b.first);
    const ranges = emptyRecord<LineRange[]>(() => []);
    const counts = emptyRecord(() => 0);
    let previous: Span | undefined;
    for (const span of spans) {
      counts[span.status] += span.count;
      const list = ranges[span.status];
      const open = list[list.length - 1];
      // Adjacent spans of the same status merge; the gap between them can only be empty lines.
      if (previous?.status === span.status && open) open[1] = span.last;
      else list.push([span.first, span.last]);
      previous = span;
    }
    return { source, ranges, counts };
  }
}

function emptyRecord<T>(make: () => T): Record<LineStatus, T> {
  return Object.fromEntries(STATUSES.map((s) => [s, make()])) as Record<LineStatus, T>;
}

/** `1-500, 702, 900-1000`; past `max` ranges, the rest is counted. */
export function formatRanges(ranges: readonly LineRange[], max = 10): string {
  const shown = ranges
    .slice(0, max)
    .map(([first, last]) => (first === last ? `${first}` : `${first}-${last}`));
  const more = ranges.length - shown.length;
  return shown.join(", ") + (more > 0 ? ` and ${more} more range${more === 1 ? "" : "s"}` : "");
}
