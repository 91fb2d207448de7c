import { countLines, formatRuns, splitRuns, type LineRuns } from "./runs.js";

/** The lines of one input that a batch carries: a batch may span inputs, one segment each. */
export interface Segment {
  /** The input's name, as in the ledger. */
  source: string;
  /** Line numbers (1-based) in that input, as runs (see runs.ts). */
  lines: LineRuns;
  /**
   * Where those lines are in the input (as read, decompressed, counted from where this run
   * started reading it), from the first one's start to the last one's end, line endings and empty
   * lines between included, when the batcher knows: `--rejects` copies a refused batch from there.
   */
  bytes?: { start: number; end: number };
}

/** How many records the segments hold in all (one line number each). */
export function countSegmentRecords(segments: readonly Segment[]): number {
  let count = 0;
  for (const segment of segments) count += countLines(segment.lines);
  return count;
}

/** The first `count` lines of the segments, and the rest (a segment may be cut in two). */
export function splitSegments(segments: readonly Segment[], count: number): [Segment[], Segment[]] {
  const head: Segment[] = [];
  const tail: Segment[] = [];
  let left = count;
  for (const segment of segments) {
    const size = countLines(segment.lines);
    if (left >= size) head.push(segment);
    else if (left <= 0) tail.push(segment);
    else {
      // Cut inside: where the cut is in bytes is not known, so neither half keeps `bytes`.
      const [first, rest] = splitRuns(segment.lines, left);
      head.push({ source: segment.source, lines: first });
      tail.push({ source: segment.source, lines: rest });
    }
    left -= size;
  }
  return [head, tail];
}

/**
 * Where a batch's lines come from, for logs and the dry-run plan: `a.log lines 1-40, b.log
 * line 1`; past `max` segments, the rest is counted (a batch of many small files).
 */
export function describeSegments(segments: readonly Segment[], max = 3): string {
  const shown = segments.slice(0, max).map((s) => `${s.source} ${formatRuns(s.lines)}`);
  const more = segments.length - shown.length;
  return shown.join(", ") + (more > 0 ? ` and ${more} more file${more === 1 ? "" : "s"}` : "");
}
