import { MAX_JSON_DEPTH, nestsDeeperThan } from "./json-depth.js";
import { locateJsonError } from "./json-error.js";
import { splitLines, type SplitLinesOptions } from "./lines.js";
import type { RecordEvent, RecordParser } from "../bulk/types.js";

/** What a validator says of a value it refuses: the reason, reported with file and line. */
export interface ValidationError {
  error: string;
}

/** True for `{ error: "…" }` and nothing else (one key, a string). */
function isValidationError(result: unknown): result is ValidationError {
  if (typeof result !== "object" || result === null) return false;
  const keys = Object.keys(result);
  return (
    keys.length === 1 &&
    keys[0] === "error" &&
    typeof (result as ValidationError).error === "string"
  );
}

/** Why `text` is not JSON, with the 1-based column (in characters) where it stops being valid. */
export function describeJsonError(text: string, error: unknown): string {
  const { offset, column } = locateJsonError(text) ?? { offset: 0, column: 1 };
  const at =
    offset >= text.length
      ? "the JSON ends too early"
      : `unexpected ${JSON.stringify(String.fromCodePoint(text.codePointAt(offset) ?? 0))}`;
  const detail = error instanceof Error ? error.message : String(error);
  return `invalid JSON at column ${column}: ${at} (${detail})`;
}

/**
 * A parser of NDJSON (one JSON value per line, blank lines skipped): each line is parsed (a value
 * nested deeper than `MAX_JSON_DEPTH` is rejected), then checked by `validate`, which returns the value to send or `{ error }` (exactly that one key)
 * to refuse it. Bad JSON and refused values are rejected with their line; the run goes on.
 * `weigh` gives a value's weight (default 1).
 */
export function ndjsonParser<V>(
  validate: (value: unknown) => V | ValidationError,
  weigh: (value: V) => number = () => 1,
  options: SplitLinesOptions = {},
): RecordParser<V> {
  return async function* parse({ chunks, stats }): AsyncGenerator<RecordEvent<V>> {
    for await (const { line, end, text, error } of splitLines(chunks, stats, options)) {
      if (error !== undefined) {
        yield { type: "rejected", line, end, reason: error };
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (failure) {
        yield { type: "rejected", line, end, reason: describeJsonError(text, failure) };
        continue;
      }
      // JSON.parse takes any depth; what walks the value next (validation, messages) may not.
      if (nestsDeeperThan(text)) {
        const reason = `the JSON nests more than ${MAX_JSON_DEPTH} levels deep`;
        yield { type: "rejected", line, end, reason };
        continue;
      }
      const result = validate(parsed);
      if (isValidationError(result)) yield { type: "rejected", line, end, reason: result.error };
      else yield { type: "record", line, end, value: result, weight: weigh(result) };
    }
  };
}
