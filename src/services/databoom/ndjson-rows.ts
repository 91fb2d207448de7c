import { jsonKind } from "../../input/json-error.js";
import { ndjsonParser, type ValidationError } from "../../input/ndjson.js";
import type { RecordParser } from "../../bulk/records.js";
import { parseDate } from "./dates.js";
import type { Row, RowOptions } from "./rows.js";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * One NDJSON line's value → its point: `{"date", "signal", "value"}`, other keys ignored. The
 * date is a string or epoch number as `--date` takes it; the value a JSON number, or a string
 * with `allowText` (a string of digits stays text: JSON already says what it is).
 */
export function ndjsonPoint(value: unknown, options: RowOptions): Row | ValidationError {
  if (!isObject(value)) return { error: 'expected an object {"date", "signal", "value"}' };
  const missing = ["date", "signal", "value"].filter((key) => value[key] === undefined);
  if (missing.length > 0) return { error: `missing ${missing.join(", ")}` };
  const { date, signal, value: v } = value;
  if (typeof signal !== "string" || signal.trim() === "")
    return { error: "signal must be a non-empty string" };
  if (typeof date !== "string" && typeof date !== "number")
    return { error: "date must be a string or an epoch number" };
  let iso: string;
  try {
    iso = parseDate(String(date));
  } catch {
    return {
      error: `${JSON.stringify(date)} is not a date (ISO 8601, epoch seconds or milliseconds)`,
    };
  }
  if (
    (typeof v === "number" && Number.isFinite(v)) ||
    (typeof v === "string" && options.allowText && v !== "")
  )
    return [{ signal, date: iso, value: v }];
  if (typeof v === "number") return { error: `${signal}: the value is too large for a number` };
  // Objects and arrays are named, not shown: the message stays short whatever the value.
  const shown = typeof v === "object" && v !== null ? jsonKind(v) : JSON.stringify(v);
  return {
    error: `${signal}: value ${shown} is not a number${typeof v === "string" && !options.allowText ? " (--allow-text sends text values)" : ""}`,
  };
}

/** NDJSON rows, one point per line; bad JSON and bad fields are rejected with their line. */
export function ndjsonRows(options: RowOptions): RecordParser<Row> {
  return ndjsonParser(
    (value) => ndjsonPoint(value, options),
    (row) => row.length,
  );
}
