/** A line and column, both counted from 1 as editors show them. */
export interface Position {
  line: number;
  column: number;
}

/** The 1-based line and column of a character offset in `text`. */
export function lineColumn(text: string, offset: number): Position {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split("\n");
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}
