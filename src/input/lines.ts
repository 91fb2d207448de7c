import { isUtf8 } from "node:buffer";
import type { BatchStats } from "../bulk/types.js";

/** Why a line whose bytes are not UTF-8 is rejected (JSON is UTF-8; nothing is replaced). */
export const NOT_UTF8 = "not UTF-8 text (convert the file, e.g. `iconv -f latin1 -t utf-8`)";

/** Longest line `splitLines` holds by default; a longer one is rejected, never buffered. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * One non-blank line of an input, without its `\n` or `\r\n`, decoded as UTF-8. `error` is set
 * (and `text` empty) when the line could not be kept — it was longer than the bound (`tooLong`),
 * or its bytes are not UTF-8 (never silently replaced): reject the line with that reason.
 */
export interface TextLine {
  /** 1-based, counting blank lines too. */
  line: number;
  /** The byte offset in the input just past the line and its newline. */
  end: number;
  text: string;
  error?: string;
  tooLong?: true;
}

/** Options of `splitLines`. */
export interface SplitLinesOptions {
  /** Longest line kept, in bytes (default 16 MiB). */
  maxLineBytes?: number;
}

const BLANK = /^[ \t\r]*$/;

/**
 * Splits an input's chunks into lines: `\n` and `\r\n` endings, the last line with or without a
 * final newline, a UTF-8 byte order mark at the start dropped. Lines of only spaces and tabs are
 * blank: counted in `stats.emptyLines` and skipped; every other line is counted in `stats.records`
 * (so a parser built on it counts nothing itself). A chunk's buffer may be reused by the reader
 * once the next chunk is asked for: what is kept across chunks is copied. Memory: one line, at
 * most `maxLineBytes`.
 */
export async function* splitLines(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  stats: BatchStats,
  options: SplitLinesOptions = {},
): AsyncGenerator<TextLine> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let number = 0;
  /** Bytes of the input before the chunk being split, and the offset past the line being taken. */
  let base = 0;
  let end = 0;
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let first = true;

  const take = (bytes: Buffer): TextLine | undefined => {
    if (!isUtf8(bytes)) {
      number += 1;
      first = false;
      stats.records += 1;
      return { line: number, end, text: "", error: NOT_UTF8 };
    }
    let text = bytes.toString("utf8");
    number += 1;
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (BLANK.test(text)) {
      stats.emptyLines += 1;
      return undefined;
    }
    stats.records += 1;
    return { line: number, end, text: text.endsWith("\r") ? text.slice(0, -1) : text };
  };
  const tooLong = (bytes: number): TextLine => {
    number += 1;
    first = false;
    stats.records += 1;
    return {
      line: number,
      end,
      text: "",
      error: `line of ${bytes} bytes is longer than the ${max}-byte limit`,
      tooLong: true,
    };
  };
  /** The carried start of a line plus `tail`: the whole line. */
  const finish = (tail: Buffer): TextLine | undefined => {
    const total = carryBytes + tail.length;
    const parts = carry;
    carry = [];
    carryBytes = 0;
    if (total > max + 1) return tooLong(total);
    return take(Buffer.concat([...parts, tail], total));
  };

  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      end = base + nl + 1;
      const line =
        carryBytes > 0
          ? finish(chunk.subarray(start, nl))
          : nl - start > max + 1
            ? tooLong(nl - start)
            : take(chunk.subarray(start, nl));
      if (line) yield line;
      start = nl + 1;
    }
    if (start < chunk.length) {
      const piece = chunk.subarray(start);
      // +1: a trailing \r does not count. Past the bound the line is only counted, not kept.
      if (carryBytes + piece.length <= max + 1) carry.push(Buffer.from(piece));
      else carry = [];
      carryBytes += piece.length;
    }
    base += chunk.length;
  }
  end = base;
  if (carryBytes > 0) {
    const line = finish(Buffer.alloc(0));
    if (line) yield line;
  }
}
