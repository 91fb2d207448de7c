/**
 * The forms a secret takes in text evsend prints: raw, percent-encoded (any subset of characters,
 * upper- or lower-case hex, `+` for a space), JSON-escaped (`\"`, `\\`, `\/`, `\uXXXX`) once or
 * more (JSON quoted in a JSON string: `\\\"`), HTML entities (`&quot;`, `&#39;`, `&#x2F;`), or a
 * mix of these character by character — a server may echo a URL half-decoded, quote it in JSON,
 * or in an HTML page. Base64 (`base64Cores`) is matched apart: it does not go character by
 * character.
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

/** One JSON escape's backslash, doubled once per level of JSON quoted in a JSON string. */
const ESCAPE = "\\\\+";

const JSON_SHORT: Readonly<Record<string, string>> = {
  '"': `${ESCAPE}"`,
  "\\": ESCAPE,
  "/": `${ESCAPE}/`,
  "\b": `${ESCAPE}b`,
  "\f": `${ESCAPE}f`,
  "\n": `${ESCAPE}n`,
  "\r": `${ESCAPE}r`,
  "\t": `${ESCAPE}t`,
};

/** HTML's named character references for the characters HTML escapes. */
const HTML_NAMED: Readonly<Record<string, string>> = {
  '"': "&quot;",
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "'": "&apos;",
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
  for (let i = 0; i < char.length; i++)
    units.push(`${ESCAPE}u${hexPattern(char.charCodeAt(i), 4)}`);
  alternatives.push(units.join(""));
  const code = char.codePointAt(0)!;
  alternatives.push(`&#0*${code};`, `&#[xX]0*${hexPattern(code, 1)};`);
  const named = HTML_NAMED[char];
  if (named) alternatives.push(named);
  return alternatives;
}

const BASE64_ALPHABET = /[A-Za-z0-9+/_-]/;

/** True for a character of base64 or base64url. */
export function isBase64Char(char: string | undefined): boolean {
  return char !== undefined && BASE64_ALPHABET.test(char);
}

/**
 * What is always there when `secret` is inside base64 text (a server that echoes the request path
 * base64-encoded): for each of the three byte alignments, the characters encoded from the secret's
 * bytes alone, in base64 and base64url; for the secret as is and percent-encoded, as it is in a
 * URL path. The Redactor masks each with the one character on either side, which also carries
 * bits of the secret. Secrets under 6 bytes have none: their cores would be too short to tell.
 */
export function base64Cores(secret: string): string[] {
  const cores = new Set<string>();
  for (const form of new Set([secret, encodeURIComponent(secret)])) {
    const bytes = Buffer.from(form, "utf8");
    if (bytes.length < 6) continue;
    for (let lead = 0; lead < 3; lead++) {
      const encoded = Buffer.concat([Buffer.alloc(lead), bytes]).toString("base64");
      // Characters wholly inside the secret's bits: from ceil(8·lead/6) to floor(8·(lead+n)/6).
      const core = encoded.slice(
        Math.ceil((8 * lead) / 6),
        Math.floor((8 * (lead + bytes.length)) / 6),
      );
      cores.add(core);
      cores.add(core.replace(/\+/g, "-").replace(/\//g, "_"));
    }
  }
  return [...cores];
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
