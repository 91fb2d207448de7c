/** One Markdown table cell: `|` escaped (a shell pipeline in a cell must not split the row), one line. */
export function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** One Markdown table row from raw cell texts. */
export function row(cells: string[]): string {
  return `| ${cells.map(cell).join(" | ")} |`;
}

/** A Markdown table: header, separator, rows. */
export function table(header: string[], rows: string[][]): string[] {
  return [row(header), row(header.map(() => "---")), ...rows.map(row)];
}
