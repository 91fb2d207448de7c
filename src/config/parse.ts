import { basename, extname } from "node:path";
import { ConfigError } from "../errors.js";
import { lineColumn, type Position } from "./position.js";
import { parseYamlText, YamlProblem } from "./yaml.js";

export { lineColumn, type Position } from "./position.js";

/** Extensions of configuration formats that would run code; evsend never loads them. */
export const EXECUTABLE_EXTENSIONS = [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"];

function jsonFailure(text: string): { message: string; offset: number | undefined } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const match = / at position (\d+)/.exec(message);
    return { message, offset: match ? Number(match[1]) : undefined };
  }
}

/**
 * The offset at which `text` stops being valid JSON. Node 20 reports "at position N" for some
 * errors but not for an unexpected token, so the longest prefix that is still the start of a
 * valid document is searched for instead.
 */
export function jsonErrorOffset(text: string): number | undefined {
  const failure = jsonFailure(text);
  if (!failure) return undefined;
  if (failure.offset !== undefined) return failure.offset;
  const viable = (length: number): boolean => {
    const f = jsonFailure(text.slice(0, length));
    return !f || /Unexpected end of JSON input/.test(f.message) || (f.offset ?? -1) >= length;
  };
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (viable(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** The reason part of a JSON.parse message, without the quoted excerpt (it may hold a secret). */
export function jsonErrorReason(message: string): string {
  return message
    .replace(/ in JSON at position \d+.*$/s, "")
    .replace(/, (?:\.\.\.)?".*$/s, "")
    .replace(/\s*\(line \d+ column \d+\)/, "");
}

const FIX_HINT = "fix the file, or point --config (EVSEND_CONFIG) at another one";

/** YAML reads an unquoted value that starts with one of these as syntax, not as text. */
const YAML_HINT = `quote a value that starts with !, &, *, @, | or > (YAML reads it as syntax); ${FIX_HINT}`;

function malformed(
  filepath: string,
  format: string,
  reason: string,
  at: Position | undefined,
  hint = FIX_HINT,
): ConfigError {
  const where = at ? `${filepath}:${at.line}:${at.column}` : filepath;
  return new ConfigError(`${where}: invalid ${format}: ${reason}`, { hint });
}

function parseJson(filepath: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const offset = jsonErrorOffset(text);
    const at = offset === undefined ? undefined : lineColumn(text, offset);
    throw malformed(filepath, "JSON", jsonErrorReason((error as Error).message), at);
  }
}

function parseYaml(filepath: string, text: string): unknown {
  try {
    return parseYamlText(filepath, text);
  } catch (error) {
    if (!(error instanceof YamlProblem)) throw error;
    throw malformed(filepath, "YAML", error.reason, error.at, YAML_HINT);
  }
}

/**
 * Parses a configuration file's text by its name: `.json` and `package.json` (its `evsend` key)
 * as JSON, everything else (`.yaml`, `.yml`, `.evsendrc`) as YAML, which also reads JSON.
 * Returns undefined for an empty file. Throws ConfigError with `file:line:column` when malformed.
 */
export function parseConfigText(filepath: string, text: string): unknown {
  if (text.trim() === "") return undefined;
  if (extname(filepath) !== ".json") return parseYaml(filepath, text) ?? undefined;
  const value = parseJson(filepath, text);
  if (basename(filepath) === "package.json") {
    return value !== null && typeof value === "object" && "evsend" in value
      ? (value as { evsend: unknown }).evsend
      : undefined;
  }
  return value;
}
