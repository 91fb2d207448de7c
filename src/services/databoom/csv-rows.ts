import { once } from "node:events";
import { finished } from "node:stream/promises";
import { parse, type CsvError } from "csv-parse";
import { NOT_UTF8 } from "../../input/lines.js";
import { LongLineFilter } from "./long-lines.js";
import type { ParseInput, RecordEvent, RecordParser } from "../../bulk/records.js";
import { pointOf, type Row, type RowOptions } from "./rows.js";

/**
 * The longest row. A line longer than this is rejected (it never reaches csv-parse); a row of
 * shorter lines that grows past it is an unclosed quote swallowing the file: that file stops there.
 */
const MAX_RECORD_BYTES = 1024 * 1024;

/** How much of a chunk csv-parse gets at a time: the rows of a slice are batched before the next. */
const PARSE_SLICE_BYTES = 64 * 1024;

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

/** What the csv-parse callbacks of one input need: they turn its rows into events as it parses. */
class CsvRowReader {
  /** Events made since the last `take`, in input order. */
  #events: Array<RecordEvent<Row>> = [];
  readonly #input: ParseInput;
  readonly #options: RowOptions;
  readonly #parser: ReturnType<typeof parse>;
  readonly #long: LongLineFilter;
  /** Lines too long to parse, in order: [line, bytes]; each rejects the row it is in. */
  readonly #dropped: Array<[number, number]> = [];
  /** Checks that the bytes are UTF-8: csv-parse decodes a bad byte to U+FFFD. */
  readonly #decoder = new TextDecoder("utf-8", { fatal: true });
  /** Once the input showed bytes that are not UTF-8, a row with U+FFFD in it is one of them. */
  #utf8 = true;
  /** A string: why the header is unusable. */
  #header: Header | string | undefined;
  #headerLine = 0;
  /**
   * Whether an unusable header's problem was told: with the first row it keeps from being sent
   * (the header is not a row), or, in a file of nothing else, as the header's own line.
   */
  #headerTold = false;
  readonly #delimiter: string;
  /** The last line of the last row read: the next starts on the line after. */
  #lastEnd = 0;
  /** A row too long stopped this input: where it starts, and why. */
  #stop: { line: number; reason: string } | undefined;
  #error: Error | undefined;

  constructor(input: ParseInput, options: RowOptions) {
    this.#input = input;
    this.#options = options;
    this.#delimiter = options.delimiter ?? ",";
    this.#long = new LongLineFilter(MAX_RECORD_BYTES, (line, size) =>
      this.#dropped.push([line, size]),
    );
    this.#parser = parse({
      delimiter: this.#delimiter,
      bom: true,
      trim: true,
      relax_column_count: true,
      skip_records_with_error: true,
      max_record_size: MAX_RECORD_BYTES,
      on_skip: (error) => {
        if (error && !this.#stop) this.#skipped(error);
      },
    });
    const parser = this.#parser;
    const { info } = parser;
    const push = parser.push.bind(parser);
    // csv-parse pushes each row to the stream as it parses it: each becomes its event here, with
    // the line and byte it ends at (parser.info at that moment), and nothing is queued in the
    // stream. Not through on_record: the context it gets is two copies of `info` per row, which
    // were a fifth of the CPU of a run.
    parser.push = (record: string[] | null): boolean => {
      if (record === null) return push(null);
      if (!this.#stop) this.#add(this.#rowEvent(info.lines, info.bytes, record));
      return true;
    };
    parser.on("error", (error: Error) => (this.#error ??= error));
    parser.resume(); // no row reaches the stream's buffer: this only lets the stream end
  }

  /** A row too long stopped reading this input. */
  get stopped(): boolean {
    return this.#stop !== undefined;
  }

  /** The events made so far (their rows were parsed as the bytes were written). */
  take(): Array<RecordEvent<Row>> {
    const events = this.#events;
    this.#events = [];
    return events;
  }

  /**
   * Parses one chunk (which may be reused once this returns) and yields the events of each slice
   * of it: a read chunk is 1 MiB, some 30,000 rows, whose events would all live (and outlive the
   * young generation) until the batches they fill are sent.
   */
  async *write(chunk: Buffer): AsyncGenerator<Array<RecordEvent<Row>>> {
    this.#check(chunk);
    for (const piece of this.#long.push(chunk)) {
      for (let at = 0; at < piece.length && !this.#stop; at += PARSE_SLICE_BYTES) {
        // A copy of each slice (csv-parse may keep a part of what it is given; the chunk is
        // reused), not of the whole chunk: a slice's copy is garbage as soon as it is parsed,
        // where a chunk's would outlive the young generation and wait for a full collection.
        const slice = Buffer.from(piece.subarray(at, at + PARSE_SLICE_BYTES));
        if (!this.#parser.write(slice) && !this.#stop) await once(this.#parser, "drain");
        this.#rethrow();
        if (this.#events.length > 0) yield this.take();
      }
    }
  }

  /** The input ended: its last row, and the stop of a row too long, if one was. */
  async end(): Promise<void> {
    if (!this.#stop) {
      this.#check(undefined);
      const last = this.#long.end();
      if (last) this.#parser.write(last);
      this.#parser.end();
      try {
        await finished(this.#parser);
      } catch {
        // told below, unless a stop explains it
      }
      this.#rethrow();
    }
    if (typeof this.#header === "string" && !this.#headerTold) {
      // A file of a header alone: its problem is still told, and the file counts as not sent.
      this.#headerTold = true;
      this.#input.stats.records += 1;
      this.#events.push({ type: "rejected", line: this.#headerLine, reason: this.#header });
    }
    const stop = this.#stop;
    if (stop) {
      // That row is rejected and the rest of this input is not read; the other inputs go on.
      this.#input.stats.records += 1;
      this.#events.push({ type: "rejected", line: stop.line, reason: stop.reason });
    }
  }

  destroy(): void {
    this.#parser.destroy();
  }

  #rethrow(): void {
    if (this.#error && !this.#stop) throw this.#error;
  }

  /** Checks the UTF-8 of a chunk (of the end, a character cut short, when undefined). */
  #check(chunk: Buffer | undefined): void {
    if (!this.#utf8) return;
    try {
      if (chunk) this.#decoder.decode(chunk, { stream: true });
      else this.#decoder.decode();
    } catch {
      this.#utf8 = false;
    }
  }

  #add(event: RecordEvent<Row> | undefined): void {
    if (event) this.#events.push(event);
  }

  #skipped(error: CsvError): void {
    const end = Number(error.lines ?? 0);
    // csv-parse cannot resynchronize after an oversized record: stop reading this input.
    if (error.code === "CSV_MAX_RECORD_SIZE") {
      this.#stop = {
        line: this.#lastEnd + 1,
        reason: `a row longer than ${MAX_RECORD_BYTES} bytes (an unclosed quote?); the rest of ${this.#input.source} is not read`,
      };
      return;
    }
    this.#add(this.#rowEvent(end, Number(error.bytes ?? 0), error));
  }

  #notUtf8(cells: string[]): boolean {
    return !this.#utf8 && cells.some((cell) => cell.includes("\uFFFD"));
  }

  /**
   * A row that ends on line `last` and at byte `end` → its event; undefined for a blank line or the
   * header. `row`: its cells, or why csv-parse could not read it.
   */
  #rowEvent(last: number, end: number, row: string[] | CsvError): RecordEvent<Row> | undefined {
    const { stats } = this.#input;
    const line = this.#lastEnd + 1;
    this.#lastEnd = last;
    const long = takeDropped(this.#dropped, last);
    if (long !== undefined) {
      stats.records += 1;
      const reason = `a line of ${long} bytes is longer than the ${MAX_RECORD_BYTES}-byte limit of a row`;
      if (this.#header === undefined) {
        this.#header = `the header: ${reason}`;
        this.#headerTold = true;
      }
      return { type: "rejected", line, end, reason };
    }
    if (!Array.isArray(row)) {
      stats.records += 1;
      return { type: "rejected", line, end, reason: csvReason(row.message) };
    }
    if (row.length === 1 && row[0] === "") {
      stats.emptyLines += 1;
      return undefined;
    }
    const header = this.#header;
    if (header === undefined) {
      this.#header = this.#notUtf8(row)
        ? `the header is ${NOT_UTF8}`
        : headerOf(row, this.#delimiter);
      this.#headerLine = line;
      return undefined;
    }
    if (typeof header === "string") {
      // Every row is still read and accounted for: the summary says which were not sent.
      stats.records += 1;
      const why = this.#headerTold ? "" : `: ${header}`;
      this.#headerTold = true;
      const reason = `the header (line ${this.#headerLine}) is unusable${why}`;
      return { type: "rejected", line, end, reason };
    }
    const value = this.#notUtf8(row) ? NOT_UTF8 : rowOf(row, header, this.#options);
    if (typeof value !== "string" && value.length === 0) {
      stats.emptyLines += 1;
      return undefined;
    }
    stats.records += 1;
    if (typeof value === "string") return { type: "rejected", line, end, reason: value };
    return { type: "record", line, end, value, weight: value.length };
  }
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
 * CSV rows with csv-parse (quoted fields, embedded newlines, BOM, CRLF), fed chunk by chunk: its
 * callbacks make each row's event as it parses it, and the events of a chunk come as one array.
 * A row's line is the line it starts on. Rows csv-parse cannot read (a stray quote), rows with a
 * line over 1 MiB and rows that are not UTF-8 are rejected and reading goes on; a row that grows
 * past 1 MiB of shorter lines (an unclosed quote) is rejected and ends this input. Blank lines and
 * wide rows with every signal cell empty are counted as empty lines.
 */
export function csvRows(options: RowOptions): RecordParser<Row> {
  return async function* parseCsv(input: ParseInput): AsyncGenerator<Array<RecordEvent<Row>>> {
    const reader = new CsvRowReader(input, options);
    try {
      for await (const chunk of input.chunks) {
        yield* reader.write(chunk);
        if (reader.stopped) break;
      }
      await reader.end();
      const events = reader.take();
      if (events.length > 0) yield events;
    } finally {
      reader.destroy();
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
