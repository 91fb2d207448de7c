/**
 * Line numbers as runs of consecutive numbers, flattened: `[first1, last1, first2, last2, …]`.
 * A batch of a million lines is usually one run (two numbers), not a million.
 */
export type LineRuns = number[];

/** Appends a line number (larger than every number already in). */
export function addLine(runs: LineRuns, line: number): void {
  const n = runs.length;
  if (n > 0 && runs[n - 1] === line - 1) runs[n - 1] = line;
  else runs.push(line, line);
}

/** Appends the lines `first` to `last` (all larger than every number already in). */
export function addRun(runs: LineRuns, first: number, last: number): void {
  const n = runs.length;
  if (n > 0 && runs[n - 1] === first - 1) runs[n - 1] = last;
  else runs.push(first, last);
}

/** How many line numbers the runs hold. */
export function countLines(runs: LineRuns): number {
  let count = 0;
  for (let i = 0; i + 1 < runs.length; i += 2)
    count += (runs[i + 1] as number) - (runs[i] as number) + 1;
  return count;
}

/** The first `count` line numbers, and the rest. */
export function splitRuns(runs: LineRuns, count: number): [LineRuns, LineRuns] {
  const head: LineRuns = [];
  const tail: LineRuns = [];
  let left = count;
  for (let i = 0; i + 1 < runs.length; i += 2) {
    const first = runs[i] as number;
    const last = runs[i + 1] as number;
    const size = last - first + 1;
    if (left >= size) head.push(first, last);
    else if (left > 0) {
      head.push(first, first + left - 1);
      tail.push(first + left, last);
    } else tail.push(first, last);
    left = Math.max(0, left - size);
  }
  return [head, tail];
}

/** Every line number, in order (for tests and small batches). */
export function listLines(runs: LineRuns): number[] {
  const lines: number[] = [];
  for (let i = 0; i + 1 < runs.length; i += 2)
    for (let n = runs[i] as number; n <= (runs[i + 1] as number); n++) lines.push(n);
  return lines;
}

/** `lines 3-40` (first to last, empty lines between included) or `line 7`. */
export function formatRuns(runs: LineRuns): string {
  const first = runs[0];
  const last = runs[runs.length - 1];
  return first === last ? `line ${first}` : `lines ${first}-${last}`;
}
