/**
 * Dates as Databoom takes them: whatever the user typed (ISO 8601 with or without an offset,
 * epoch seconds or milliseconds, `now`) becomes ISO 8601 UTC, as `toISOString()` writes it.
 */

/** `2020-02-05`, `2020-02-05T02:59:33`, `…33.5`, `…Z`, `…+01:00`, `…+0100`; a space may replace T. */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** Whole or fractional epoch time; sign allowed for dates before 1970. */
const EPOCH = /^-?\d+(?:\.\d+)?$/;

/**
 * Below this an epoch number is read as seconds, above as milliseconds: 1e11 seconds is the year
 * 5138, 1e11 milliseconds is March 1973 — no date of interest is ambiguous.
 */
const SECONDS_BELOW = 1e11;

/** Largest time a JavaScript Date holds (±8.64e15 ms). */
const DATE_LIMIT = 8.64e15;

function offsetMinutes(zone: string): number {
  if (zone.toUpperCase() === "Z") return 0;
  const digits = zone.slice(1).replace(":", "");
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0");
  return zone.startsWith("-") ? -minutes : minutes;
}

/** The ISO form's time in ms, or undefined when a field is out of range (2020-02-30, 25:00). */
function isoTime(match: RegExpExecArray): number | undefined {
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", zone] = match;
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)] as const;
  const ms = Number(fraction.padEnd(3, "0").slice(0, 3));
  if (zone !== undefined && Math.abs(offsetMinutes(zone)) > 18 * 60) return undefined;
  // Without an offset ISO 8601 means local time; a date alone is local midnight too.
  const time =
    zone === undefined
      ? new Date(...parts, ms).getTime()
      : Date.UTC(...parts, ms) - offsetMinutes(zone) * 60_000;
  // Date rolls 2020-02-30 over to March: the fields must come back as written.
  const check = new Date(zone === undefined ? time : Date.UTC(...parts, ms));
  const fields =
    zone === undefined
      ? [
          check.getFullYear(),
          check.getMonth(),
          check.getDate(),
          check.getHours(),
          check.getMinutes(),
        ]
      : [
          check.getUTCFullYear(),
          check.getUTCMonth(),
          check.getUTCDate(),
          check.getUTCHours(),
          check.getUTCMinutes(),
        ];
  const same = fields.every((value, i) => value === parts[i]) && parts[5] < 60;
  return same ? time : undefined;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number of the `length` digits of `text` at `at`, or -1 when one is not a digit. */
function digits(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * `2020-02-05T02:59:33.000Z` (returned as it is) or `2020-02-05T02:59:33Z` (returned with `.000`
 * added) when every field is in range, checked without a Date; undefined for anything else, which
 * the general parser reads. Years before 100 are left to it too.
 */
function canonicalUtc(text: string): string | undefined {
  const n = text.length;
  if ((n !== 24 && n !== 20) || text.charCodeAt(n - 1) !== 90 /* Z */) return undefined;
  const at = (i: number): number => text.charCodeAt(i);
  if (at(4) !== 45 /* - */ || at(7) !== 45 || at(10) !== 84 /* T */) return undefined;
  if (at(13) !== 58 /* : */ || at(16) !== 58 || (n === 24 && at(19) !== 46) /* . */)
    return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 100 || month < 1 || month > 12 || day < 1) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return undefined;
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
    return undefined;
  if (n === 20) return `${text.slice(0, 19)}.000Z`;
  return digits(text, 20, 3) < 0 ? undefined : text;
}

/**
 * Parses a date as the user wrote it and returns it as ISO 8601 UTC (`2020-02-05T02:59:33.000Z`);
 * throws a plain Error saying what is accepted. `now` is the current time, passed in for tests.
 */
export function parseDate(text: string, now?: Date): string {
  // Fast path for what most files hold: dates already written (nearly) as toISOString() writes them.
  const utc = canonicalUtc(text);
  if (utc !== undefined) return utc;
  const trimmed = text.trim();
  let time: number | undefined;
  if (EPOCH.test(trimmed)) {
    const value = Number(trimmed);
    time = Math.round(Math.abs(value) < SECONDS_BELOW ? value * 1000 : value);
  } else if (trimmed.toLowerCase() === "now") {
    // Not a default parameter: that would make a Date for every date parsed.
    time = (now ?? new Date()).getTime();
  } else {
    const match = ISO.exec(trimmed);
    if (match) time = isoTime(match);
  }
  if (time === undefined || !Number.isFinite(time) || Math.abs(time) > DATE_LIMIT) {
    throw new Error(
      `"${text}" is not a date: use ISO 8601 (2024-05-01T12:00:00Z, 2024-05-01 14:00:00+02:00, ` +
        "or without an offset for local time), epoch seconds or milliseconds, or now",
    );
  }
  return new Date(time).toISOString();
}
