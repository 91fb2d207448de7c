import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parse, type CsvError } from "csv-parse";
import { NOT_UTF8 } from "../../input/lines.js";
import { dropLongLines } from "./long-lines.js";
import type { ParseInput, RecordEvent, RecordParser } from "../../bulk/records.js";
import { pointOf, type Row, type RowOptions } from "./rows.js";

/**
 * The longest row. A line longer than this is rejected (it never reaches csv-parse); a row of
 * shorter lines that grows past it is an unclosed quote swallowing the file: that file stops there.
 */
const MAX_RECORD_BYTES = 1024 * 1024;

/** Which columns hold what: `date,signal,value` (long) or `date,<signal>,…` (wide). */
type Header =
  | { form: "long"; date: number; signal: number; value: number }
  | { form: "wide"; date: number; signals: Array<{ index: number; name: string }> };

/** What a header must look like, told with every header problem. */
export const HEADER_FORMS =
  "the first row names the columns: date,signal,value (long form) or date,<signal>,<signal>,… (wide form)";

/** Separators people export CSV with besides the comma (Excel in many locales writes `;`). */
const OTHER_DELIMITERS = [";", "\t", "|"];

/**
 * The separator a header that has no date column seems to use instead (`Date;Temp` read with
 * `,` is one cell), told with how to pass it; "" when none does.
 */
function delimiterHint(cells: string[], delimiter: string): string {
  const text = cells.join(delimiter);
  const found = OTHER_DELIMITERS.find(
    (d) => d !== delimiter && text.split(d).some((cell) => cell.trim().toLowerCase() === "date"),
  );
  if (found === undefined) return "";
  const [shown, flag] = found === "\t" ? ["a tab", "tab"] : [`"${found}"`, `'${found}'`];
  return `; its fields seem separated by ${shown}: pass --delimiter ${flag}`;
}

/** Reads the header row, or says why it cannot be used (then no row of the input can be). */
export function headerOf(cells: string[], delimiter = ","): Header | string {
  const names = cells.map((c) => c.toLowerCase());
  const date = names.indexOf("date");
  if (date === -1)
    return `the header has no date column (${HEADER_FORMS})${delimiterHint(cells, delimiter)}`;
  if (cells.length === 3 && names.includes("signal") && names.includes("value"))
    return { form: "long", date, signal: names.indexOf("signal"), value: names.indexOf("value") };
  const signals = cells.map((name, index) => ({ index, name })).filter((c) => c.index !== date);
  if (signals.length === 0) return `the header has no signal column (${HEADER_FORMS})`;
  const seen = new Set<string>();
  for (const { index, name } of signals) {
    if (name === "") return `column ${index + 1} of the header has no name`;
    if (name.toLowerCase() === "date") return "the header has two date columns";
    if (seen.has(name)) return `the header names signal "${name}" twice`;
    seen.add(name);
  }
  return { form: "wide", date, signals };
}

/** One data row → its points, or why it is rejected; an empty array means nothing to send. */
export function rowOf(cells: string[], header: Header, options: RowOptions): Row | string {
  const columns = header.form === "long" ? 3 : header.signals.length + 1;
  if (cells.length !== columns) return `${cells.length} fields, but the header has ${columns}`;
  const date = cells[header.date]!;
  if (header.form === "long") {
    const point = pointOf(date, cells[header.signal]!, cells[header.value]!, options);
    return typeof point === "string" ? point : [point];
  }
  const row: Row = [];
  for (const { index, name } of header.signals) {
    const cell = cells[index]!;
    if (cell === "") continue; // a signal without a value at this time
    const point = pointOf(date, name, cell, options);
    if (typeof point === "string") return point;
    row.push(point);
  }
  return row;
}

/**
 * Copies each chunk (the reader reuses its buffer, and csv-parse keeps slices of what it gets),
 * and checks that the bytes are UTF-8: `utf8.valid` turns false from the first chunk that is not,
 * before csv-parse (which decodes a bad byte to U+FFFD) gets it.
 */
async function* copies(
  chunks: AsyncIterable<Buffer>,
  utf8: { valid: boolean },
): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const check = (chunk?: Buffer): void => {
    if (!utf8.valid) return;
    try {
      if (chunk) decoder.decode(chunk, { stream: true });
      else decoder.decode();
    } catch {
      utf8.valid = false;
    }
  };
  for await (const chunk of chunks) {
    check(chunk);
    yield Buffer.from(chunk);
  }
  check(); // a character cut short at the end
}

/** A row csv-parse read, the line it ends on, and the bytes of the input read up to its end. */
type Parsed =
  { end: number; bytes: number; cells: string[] } | { end: number; bytes: number; error: CsvError };

/** What csv-parse's callbacks report to the reader of its rows. */
interface ParseState {
  /** Rows csv-parse could not read, in order, not yet turned into events. */
  skipped: Parsed[];
  /** Rows parsed and not yet taken: csv-parse's buffer of them is lost when it is stopped. */
  unread: Parsed[];
  /** The last line of the row csv-parse read last (ahead of what was yielded): where the next starts. */
  parsedEnd: number;
  /** A row too long stopped this input: where it starts, and why. */
  stop: { line: number; reason: string } | undefined;
}

/**
 * A csv-parse parser for the input named `source` that records its rows and skipped rows in
 * `state`, and stops itself at a row over MAX_RECORD_BYTES.
 */
function createParser(
  source: string,
  state: ParseState,
  delimiter: string,
): ReturnType<typeof parse> {
  const parser = parse({
    delimiter,
    bom: true,
    trim: true,
    relax_column_count: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_BYTES,
    // The line a row ends on, without `info: true` (which copies an object per row).
    on_record: (record: string[], context) => {
      state.parsedEnd = context.lines;
      const row: Parsed = { end: context.lines, bytes: context.bytes, cells: record };
      state.unread.push(row);
      return row as unknown as string[];
    },
    on_skip: (error) => {
      if (!error) return;
      const end = Number(error.lines ?? 0);
      // csv-parse cannot resynchronize after an oversized record: stop reading this input.
      if (error.code === "CSV_MAX_RECORD_SIZE") {
        if (state.stop) return;
        state.stop = {
          line: state.parsedEnd + 1,
          reason: `a row longer than ${MAX_RECORD_BYTES} bytes (an unclosed quote?); the rest of ${source} is not read`,
        };
        queueMicrotask(() => parser.destroy(new Error(state.stop?.reason)));
      } else {
        state.parsedEnd = end;
        state.skipped.push({ end, bytes: Number(error.bytes ?? 0), error });
      }
    },
  });
  return parser;
}

/**
 * The size of a line dropped as too long (`dropped`: [line, bytes], in order) in a row that ends
 * on line `end`, if any; the lines up to `end` are forgotten.
 */
function takeDropped(dropped: Array<[number, number]>, end: number): number | undefined {
  let bytes: number | undefined;
  while (dropped.length > 0 && dropped[0]![0] <= end) bytes = dropped.shift()![1];
  return bytes;
}

/**
 * CSV rows with csv-parse (quoted fields, embedded newlines, BOM, CRLF). A row's line is the line
 * it starts on. Rows csv-parse cannot read (a stray quote), rows with a line over 1 MiB and rows
 * that are not UTF-8 are rejected and reading goes on; a row that grows past 1 MiB of shorter
 * lines (an unclosed quote) is rejected and ends this input. Blank lines and wide rows with every
 * signal cell empty are counted as empty lines.
 */
export function csvRows(options: RowOptions): RecordParser<Row> {
  return async function* parseCsv(input: ParseInput): AsyncGenerator<RecordEvent<Row>> {
    /** Lines too long to parse, in order: [line, bytes]; each rejects the row it is in. */
    const dropped: Array<[number, number]> = [];
    const state: ParseState = { skipped: [], unread: [], parsedEnd: 0, stop: undefined };
    const { skipped, unread } = state;
    const delimiter = options.delimiter ?? ",";
    const parser = createParser(input.source, state, delimiter);
    // Once the input showed bytes that are not UTF-8, a row with U+FFFD in it is one of them.
    const utf8 = { valid: true };
    const notUtf8 = (cells: string[]): boolean =>
      !utf8.valid && cells.some((cell) => cell.includes("\uFFFD"));
    const bytes = dropLongLines(copies(input.chunks, utf8), MAX_RECORD_BYTES, (line, size) =>
      dropped.push([line, size]),
    );
    const feeding = pipeline(Readable.from(bytes), parser);
    feeding.catch(() => {}); // its failure is the iteration's failure, thrown below
    // A string: why the header is unusable. That is told with the first row it keeps from being
    // sent (the header is not a row), or, in a file of nothing else, as the header's own line.
    let header: Header | string | undefined;
    let headerLine = 0;
    let headerTold = false;
    let lastEnd = 0;
    /** One parsed or skipped row → its event; undefined for a blank line or the header. */
    const eventOf = (parsed: Parsed): RecordEvent<Row> | undefined => {
      const line = lastEnd + 1;
      lastEnd = parsed.end;
      const end = parsed.bytes;
      const long = takeDropped(dropped, parsed.end);
      if (long !== undefined) {
        input.stats.records += 1;
        const reason = `a line of ${long} bytes is longer than the ${MAX_RECORD_BYTES}-byte limit of a row`;
        if (header === undefined) {
          header = `the header: ${reason}`;
          headerTold = true;
        }
        return { type: "rejected", line, end, reason };
      }
      if ("error" in parsed) {
        input.stats.records += 1;
        return { type: "rejected", line, end, reason: csvReason(parsed.error.message) };
      }
      const { cells } = parsed;
      if (cells.length === 1 && cells[0] === "") {
        input.stats.emptyLines += 1;
        return undefined;
      }
      if (header === undefined) {
        header = notUtf8(cells) ? `the header is ${NOT_UTF8}` : headerOf(cells, delimiter);
        headerLine = line;
        return undefined;
      }
      if (typeof header === "string") {
        // Every row is still read and accounted for: the summary says which were not sent.
        input.stats.records += 1;
        const why = headerTold ? "" : `: ${header}`;
        headerTold = true;
        return {
          type: "rejected",
          line,
          end,
          reason: `the header (line ${headerLine}) is unusable${why}`,
        };
      }
      const row = notUtf8(cells) ? NOT_UTF8 : rowOf(cells, header, options);
      if (Array.isArray(row) && row.length === 0) {
        input.stats.emptyLines += 1;
        return undefined;
      }
      input.stats.records += 1;
      if (typeof row === "string") return { type: "rejected", line, end, reason: row };
      return { type: "record", line, end, value: row, weight: row.length };
    };
    /** The events of the rows skipped before `parsed`, then its own. */
    function* take(parsed: Parsed): Generator<RecordEvent<Row>> {
      while (skipped.length && skipped[0]!.end < parsed.end) {
        const event = eventOf(skipped.shift()!);
        if (event) yield event;
      }
      const event = eventOf(parsed);
      if (event) yield event;
    }
    try {
      for await (const parsed of parser as AsyncIterable<Parsed>) {
        unread.shift();
        yield* take(parsed);
      }
    } catch (error) {
      if (!state.stop) throw error;
    } finally {
      parser.destroy();
    }
    // After a stop: the rows read before the one too long are still sent.
    for (const parsed of unread.splice(0)) yield* take(parsed);
    for (const parsed of skipped) {
      const event = eventOf(parsed);
      if (event) yield event;
    }
    if (typeof header === "string" && !headerTold) {
      // A file of a header alone: its problem is still told, and the file counts as not sent.
      input.stats.records += 1;
      yield { type: "rejected", line: headerLine, reason: header };
    }
    const { stop } = state;
    if (stop) {
      // That row is rejected and the rest of this input is not read; the other inputs go on.
      input.stats.records += 1;
      yield { type: "rejected", line: stop.line, reason: stop.reason };
    }
  };
}

/**
 * csv-parse's message without what it quotes of the row (`value is "…"`: binary garbage or the
 * start of a huge field) and without its own line count (the report gives the row's line).
 */
export function csvReason(message: string): string {
  return message
    .replace(/,? value is .*$/s, "")
    .replace(/ (at|on) line \d+/g, "")
    .trim();
}
