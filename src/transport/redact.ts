import { base64Cores, isBase64Char, percentDecoded, secretPattern } from "./secret-forms.js";
import { hasServerText, shortenServerText } from "./server-text.js";

/** What every masked secret is replaced with. */
export const MASK = "****";

/** HTTP's own header names whose values are always secrets; services add theirs (SecretForms). */
const SECRET_HEADERS = ["authorization", "proxy-authorization", "x-api-key", "cookie"];

/**
 * How one service's secrets look in text evsend did not register them in: a safety net for
 * secrets that were never registered (a token in a URL path), and header names whose values are
 * always secrets. Each service declares its own (src/services/types.ts); the Redactor takes them.
 */
export interface SecretForms {
  /** Masked with `replacement` (which may use `$1`) after the registered secrets are masked. */
  patterns?: ReadonlyArray<{ pattern: RegExp; replacement: string }>;
  /** Lower-case header names whose values are masked whole. */
  headers?: readonly string[];
}

/**
 * What a secret's encoded forms are made of (secret-forms.ts): percent, `+` (a space), JSON's
 * backslash, HTML's `&`.
 */
const ENCODED = /[%+\\&]/;

/**
 * The userinfo of a URL (`scheme://user:password@` or `scheme://token@`). The last `@` before the
 * path ends it, as URL parsers read it. The scheme's length is bounded: unbounded, a long run of
 * `a.a.a.…` (an event line) costs quadratic time.
 */
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]{0,31}:\/\/)([^/?#\s]*)@/gi;

/** Masks a URL's password (`user:****@`), or the whole userinfo when it has no password. */
export function maskUrlUserinfo(text: string): string {
  return text.replace(URL_USERINFO, (_m, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(":");
    return colon >= 0 ? `${scheme}${userinfo.slice(0, colon)}:${MASK}@` : `${scheme}${MASK}@`;
  });
}

/**
 * `text` with each run of overlapping spans replaced by one mask: secrets that overlap in the text
 * (one inside another, or one running into the next) are masked whole, together.
 */
function maskSpans(text: string, spans: Array<[number, number]>): string {
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = "";
  let copied = 0;
  for (let i = 0; i < spans.length;) {
    const start = spans[i]![0];
    let end = spans[i]![1];
    for (i++; i < spans.length && spans[i]![0] < end; i++) end = Math.max(end, spans[i]![1]);
    out += text.slice(copied, start) + MASK;
    copied = end;
  }
  return out + text.slice(copied);
}

/**
 * A value a server sent (a parsed response body), for JSON output. Unlike evsend's own data, its
 * keys and numbers are the server's too, and are masked like its strings: a server may echo a
 * secret as a key (`{"headers":{"<key>":"seen"}}`) or, a numeric one, as a number.
 */
export class ServerValue {
  constructor(readonly value: unknown) {}
  toJSON(): unknown {
    return this.value;
  }
}

/**
 * Masks secrets. Every resolved secret is registered here, and the output layer and the transport
 * pass everything they print through it, so a secret cannot leak through a message that quotes a
 * URL, a header or a server's response — in any encoding the secret may take there.
 */
export class Redactor {
  readonly #urlPatterns: ReadonlyArray<{ pattern: RegExp; replacement: string }>;
  readonly #secretHeaders: ReadonlySet<string>;
  readonly #secrets = new Set<string>();
  /** Each secret's pattern of every printed form, compiled when first needed. */
  readonly #patterns = new Map<string, RegExp>();
  /** What every secret's base64 forms hold (secret-forms.ts). */
  readonly #base64 = new Set<string>();

  /** `forms`: every service's SecretForms, in the registry's order. */
  constructor(forms: ReadonlyArray<SecretForms> = []) {
    this.#urlPatterns = forms.flatMap((f) => f.patterns ?? []);
    this.#secretHeaders = new Set([...SECRET_HEADERS, ...forms.flatMap((f) => f.headers ?? [])]);
  }

  /** Registers a secret value; every form it can take in text is masked from now on. */
  add(secret: string | undefined): void {
    if (!secret || this.#secrets.has(secret)) return;
    const decoded = percentDecoded(secret);
    for (const form of decoded ? [secret, decoded] : [secret]) {
      this.#secrets.add(form);
      for (const core of base64Cores(form)) this.#base64.add(core);
    }
  }

  /**
   * The text with every known secret, every URL-borne token (the services' patterns) or secret and URL password masked;
   * a server's words (server-text.ts) are cut short only then, so a cut never leaves part of a
   * secret. Masked again after the cut, which joins the words to the text around them.
   */
  redact(text: string): string {
    const out = this.#redactOnce(text);
    return hasServerText(out) ? this.#redactOnce(shortenServerText(out)) : out;
  }

  #redactOnce(text: string): string {
    let out = this.#secrets.size > 0 ? maskSpans(text, this.#spans(text)) : text;
    for (const { pattern, replacement } of this.#urlPatterns)
      out = out.replace(pattern, replacement);
    return maskUrlUserinfo(out);
  }

  /**
   * Where each secret is in `text`, in any of its forms. Without `%`, `+` or `\\` in the text a
   * secret can only be there as it is: a plain search finds exactly what its pattern would,
   * without compiling the pattern (milliseconds of a one-off run).
   */
  #spans(text: string): Array<[number, number]> {
    const spans: Array<[number, number]> = [];
    const encoded = ENCODED.test(text);
    for (const secret of this.#secrets) {
      if (!encoded) {
        for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1))
          spans.push([at, at + secret.length]);
        continue;
      }
      let pattern = this.#patterns.get(secret);
      if (!pattern) this.#patterns.set(secret, (pattern = new RegExp(secretPattern(secret), "g")));
      pattern.lastIndex = 0;
      for (let match = pattern.exec(text); match; match = pattern.exec(text))
        spans.push([match.index, match.index + match[0].length]);
    }
    // In base64 the characters next to a core carry bits of the secret too: masked with it.
    for (const core of this.#base64) {
      for (let at = text.indexOf(core); at !== -1; at = text.indexOf(core, at + 1)) {
        const end = at + core.length;
        spans.push([
          isBase64Char(text[at - 1]) ? at - 1 : at,
          isBase64Char(text[end]) ? end + 1 : end,
        ]);
      }
    }
    return spans;
  }

  /**
   * A copy of a JSON-ready value with secrets masked in its string values only: keys, numbers,
   * booleans and null are evsend's own and stay as they are (a token `0` must not touch
   * `"exitCode":0`). Serialize the result, never mask serialized text.
   */
  mask<T>(value: T): T {
    return this.#maskValue(value) as T;
  }

  #maskValue(value: unknown, server = false): unknown {
    if (typeof value === "string") return this.redact(value);
    if (server && typeof value === "number") {
      // A number that prints a secret becomes the masked text; any other stays a number.
      const text = String(value);
      const masked = this.redact(text);
      return masked === text ? value : masked;
    }
    if (Array.isArray(value)) return value.map((v) => this.#maskValue(v, server));
    if (value === null || typeof value !== "object") return value;
    if (value instanceof ServerValue) return this.#maskValue(value.value, true);
    const toJSON = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof toJSON === "function") return this.#maskValue(toJSON.call(value), server);
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      // defineProperty: a server's "__proto__" key stays a key, not the object's prototype.
      Object.defineProperty(out, server ? this.redact(key) : key, {
        value: this.#maskValue(v, server),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }

  /** Headers with secret values masked, for --verbose and --dry-run. Names are kept. */
  redactHeaders(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      out[name] = this.#secretHeaders.has(name.toLowerCase()) ? MASK : this.redact(value);
    }
    return out;
  }
}
