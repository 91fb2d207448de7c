/**
 * The forms a secret takes in text evsend prints: raw, percent-encoded (any subset of characters,
 * upper- or lower-case hex, `+` for a space), JSON-escaped (`\"`, `\\`, `\/`, `\uXXXX`), or a mix
 * of these character by character — a server may echo a URL half-decoded, or quote it in JSON.
 */

/** Matches one hex digit in either case, e.g. `[fF]`. */
function hexDigit(digit: string): string {
  return /[0-9]/.test(digit) ? digit : `[${digit.toLowerCase()}${digit.toUpperCase()}]`;
}

function hexPattern(value: number, width: number): string {
  return [...value.toString(16).padStart(width, "0")].map(hexDigit).join("");
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}

const JSON_SHORT: Readonly<Record<string, string>> = {
  '"': '\\\\"',
  "\\": "\\\\\\\\",
  "/": "\\\\/",
  "\b": "\\\\b",
  "\f": "\\\\f",
  "\n": "\\\\n",
  "\r": "\\\\r",
  "\t": "\\\\t",
};

/** Every way one character (a code point) may be written. */
function charAlternatives(char: string): string[] {
  const alternatives = [escapeRegExp(char)];
  const bytes = Buffer.from(char, "utf8");
  alternatives.push([...bytes].map((b) => `%${hexPattern(b, 2)}`).join(""));
  if (char === " ") alternatives.push("\\+");
  const short = JSON_SHORT[char];
  if (short) alternatives.push(short);
  const units = [];
  for (let i = 0; i < char.length; i++) units.push(`\\\\u${hexPattern(char.charCodeAt(i), 4)}`);
  alternatives.push(units.join(""));
  return alternatives;
}

/** The percent-decoded form of a secret that itself holds `%XX`, when it differs. */
export function percentDecoded(secret: string): string | undefined {
  if (!/%[0-9a-f]{2}/i.test(secret)) return undefined;
  try {
    const decoded = decodeURIComponent(secret);
    return decoded === secret ? undefined : decoded;
  } catch {
    return undefined;
  }
}

/**
 * A regular-expression source that matches `secret` in any of its printed forms. Used with the
 * `g` flag only (no `i`: the secret's own letters are case-sensitive, only hex digits are not).
 */
export function secretPattern(secret: string): string {
  return [...secret].map((char) => `(?:${charAlternatives(char).join("|")})`).join("");
}
