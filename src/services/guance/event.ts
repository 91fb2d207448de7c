/** Building the request body from flags or JSON, and refusing it with every violation. Pure. */
import { InputError } from "../../errors.js";
import { bodyViolations, RESERVED_FIELDS } from "./validate.js";

/** What `guance push` sends: one event and optional extra data. */
export interface GuanceBody {
  event: Record<string, unknown>;
  extraData?: Record<string, unknown>;
}

/** The event as given by flags; the values are as typed. */
export interface EventFlags {
  status: string;
  title?: string;
  message?: string;
  /** `--date`, already integer seconds. */
  date?: number;
  checkValue?: number;
  tags: Array<[string, string]>;
  fields: Array<[string, string]>;
  extras: Array<[string, string]>;
}

/** `key=value` (split at the first `=`; the value may be empty, the key may not). */
export function parseKeyValue(text: string): [string, string] {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new Error(`"${text}" is not key=value`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

/** `--check-value`: a finite number (JSON has no NaN or Infinity). */
export function parseCheckValue(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) throw new Error(`"${text}" is not a number`);
  return value;
}

/**
 * `--date`: ISO 8601 (`2025-11-22T08:00:00Z`), epoch seconds (13 digits and more are read as
 * milliseconds), or `now` (as Databoom's `--date` takes it) → whole seconds since the epoch, as
 * Guance wants. `now` is the current time in milliseconds, passed in for tests.
 */
export function parseEventDate(text: string, now: number = Date.now()): number {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === "now") return Math.floor(now / 1000);
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const value = Number(trimmed);
    return Math.floor(trimmed.split(".")[0]!.length >= 13 ? value / 1000 : value);
  }
  // Date.parse alone takes anything ("1"); require an ISO 8601 date first.
  const ms = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/i.test(trimmed)
    ? Date.parse(trimmed)
    : Number.NaN;
  if (Number.isNaN(ms) || ms < 0)
    throw new Error(
      `"${text}" is not a date; use ISO 8601 (2025-11-22T08:00:00Z), epoch seconds or now`,
    );
  return Math.floor(ms / 1000);
}

/** Pairs → object; a key given twice is a violation (the second would silently win). */
function toObject(
  pairs: Array<[string, string]>,
  flag: string,
  found: string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of pairs) {
    if (Object.hasOwn(out, key)) found.push(`${flag} ${key} is given more than once`);
    out[key] = value;
  }
  return out;
}

/** The body `--status`, `--title`, … describe, with the problems only flags can have. */
export function bodyFromFlags(flags: EventFlags): { body: GuanceBody; violations: string[] } {
  const found: string[] = [];
  const event: Record<string, unknown> = { status: flags.status };
  if (flags.title !== undefined) event.title = flags.title;
  if (flags.message !== undefined) event.message = flags.message;
  if (flags.date !== undefined) event.date = flags.date;
  if (flags.checkValue !== undefined) event.check_value = flags.checkValue;
  const tags = toObject(flags.tags, "--tag", found);
  if (flags.tags.length > 0) event.dimension_tags = tags;
  for (const [name, value] of Object.entries(toObject(flags.fields, "--field", found))) {
    // A reserved name would overwrite --status, --title…: report it, never merge it.
    if (RESERVED_FIELDS.includes(name))
      found.push(`event.${name}: "${name}" is reserved; prefix your own fields, e.g. ext_${name}`);
    else if (name === "labels")
      found.push("event.labels is an object or a list, which --field cannot set; use --event-json");
    else event[name] = value;
  }
  const extras = toObject(flags.extras, "--extra", found);
  const body: GuanceBody = { event };
  if (flags.extras.length > 0) body.extraData = extras;
  return { body, violations: [...found, ...bodyViolations(body)] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A parsed JSON value → the body: `{ "event": {…}, "extraData": {…} }`, or the event object
 * alone. An empty extraData is left out (Guance: it "can be empty: False").
 */
export function bodyFromValue(value: unknown): { body: unknown; violations: string[] } {
  const body: Record<string, unknown> =
    isObject(value) && isObject(value.event) ? { ...value } : { event: value };
  if (isObject(body.extraData) && Object.keys(body.extraData).length === 0) delete body.extraData;
  return { body, violations: bodyViolations(body) };
}

/** JSON text → the body, or the reason it is not JSON as a violation. */
export function bodyFromJson(text: string): { body: unknown; violations: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { body: undefined, violations: [`not valid JSON: ${(error as Error).message}`] };
  }
  return bodyFromValue(value);
}

/** The body, or an InputError (exit 5) listing every violation: nothing is sent. */
export function checkedBody(result: { body: unknown; violations: string[] }): GuanceBody {
  const { violations } = result;
  if (violations.length === 0) return result.body as GuanceBody;
  const count = violations.length === 1 ? "1 problem" : `${violations.length} problems`;
  throw new InputError(
    `the event breaks Guance's field rules (${count}); nothing was sent:\n  ${violations.join("\n  ")}`,
    {
      hint: "user-defined fields take string values and names like ext_team; see `evsend guance push --help`",
    },
  );
}
