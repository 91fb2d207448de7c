const NEWLINE = Buffer.from("\n");

/**
 * Passes an input's bytes through, except those of a line longer than `max` bytes: its newline
 * alone goes on (so the lines after it keep their numbers), and `onDropped` is told its number
 * and size, in order. The chunks may be kept (pass copies). Memory: one line of `max` bytes.
 */
export async function* dropLongLines(
  chunks: AsyncIterable<Buffer>,
  max: number,
  onDropped: (line: number, bytes: number) => void,
): AsyncGenerator<Buffer> {
  let line = 1;
  /** Bytes of the current line so far, and the part of it held back until it is known to fit. */
  let length = 0;
  let held: Buffer[] = [];
  for await (const chunk of chunks) {
    const out: Buffer[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      length += nl - start;
      if (length > max) {
        onDropped(line, length);
        out.push(NEWLINE);
      } else out.push(...held, chunk.subarray(start, nl + 1));
      held = [];
      length = 0;
      line += 1;
      start = nl + 1;
    }
    if (start < chunk.length) {
      length += chunk.length - start;
      held = length > max ? [] : [...held, chunk.subarray(start)];
    }
    if (out.length > 0) yield Buffer.concat(out);
  }
  if (length > max) onDropped(line, length);
  else if (held.length > 0) yield Buffer.concat(held);
}
