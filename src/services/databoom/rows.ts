import { UsageError } from "../../errors.js";
import type { InputSource } from "../../input/sources.js";
import { parseDate } from "./dates.js";
import type { HistoryPoint } from "./protocol.js";
import { parseValue } from "./signals.js";

/** One input row's points: one in long-form CSV and NDJSON, one per non-empty cell in wide CSV. */
export type Row = HistoryPoint[];

/** The input formats of `databoom history`. */
export type HistoryFormat = "csv" | "ndjson";

/** How rows are read. */
export interface RowOptions {
  /** Values that are not numbers are sent as text instead of rejected. */
  allowText: boolean;
  /** `--delimiter`: the CSV field separator, one character (`,` when absent). */
  delimiter?: string;
}

const EXTENSIONS: Record<string, HistoryFormat> = {
  csv: "csv",
  ndjson: "ndjson",
  jsonl: "ndjson",
};

/**
 * An input's format: `--format` when given, else its extension (`.csv`, `.ndjson`, `.jsonl`,
 * also under `.gz`). Stdin and unknown extensions need `--format`: a usage error (exit 2) before
 * anything is read.
 */
export function formatOf(source: InputSource, flag: HistoryFormat | undefined): HistoryFormat {
  if (flag) return flag;
  if (source.kind === "stdin") {
    throw new UsageError("reading stdin needs --format csv or --format ndjson", {
      hint: "e.g. `zcat points.csv.gz | evsend databoom history --format csv -`",
    });
  }
  const match = /\.([a-z]+)(?:\.gz)?$/i.exec(source.name);
  const format = match ? EXTENSIONS[match[1]!.toLowerCase()] : undefined;
  if (!format) {
    throw new UsageError(
      `${source.name}: cannot tell its format from its name (.csv, .ndjson, .jsonl, also .gz)`,
      { hint: "pass --format csv or --format ndjson" },
    );
  }
  return format;
}

/** A point from a row's date, signal and value as text; a string is why it is rejected. */
export function pointOf(
  date: string,
  signal: string,
  value: string,
  options: RowOptions,
): HistoryPoint | string {
  if (signal.trim() === "") return "the signal name is empty";
  let iso: string;
  try {
    iso = parseDate(date);
  } catch {
    return `"${date}" is not a date (ISO 8601, epoch seconds or milliseconds)`;
  }
  try {
    return { signal, date: iso, value: parseValue(value, options.allowText) };
  } catch (error) {
    return `${signal}: ${(error as Error).message}${options.allowText ? "" : " (--allow-text sends text values)"}`;
  }
}
