import { percentDecoded, secretPattern } from "./secret-forms.js";

/** What every masked secret is replaced with. */
export const MASK = "****";

/** Header names whose values are always secrets. */
const SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "access-key",
  "df-api-key",
  "x-api-key",
  "cookie",
]);

/**
 * `token!<token>` in a Devo URL path, raw or percent-encoded: a safety net for tokens that were
 * never registered. It runs after the registered secrets are masked, so it never cuts one short.
 */
const DEVO_TOKEN = /token(!|%21)[^/?#\s]+/gi;

/**
 * The secret of a Guance push path, `/api/v1/push-events/<secret>/…`: the same safety net (the
 * emulator's `-v` prints the path of every request, whatever secret a sender used).
 */
const GUANCE_SECRET = /(\/push-events\/)[^/?#\s]+/gi;

/** What a secret's encoded forms are made of (secret-forms.ts): percent, `+` (a space), JSON. */
const ENCODED = /[%+\\]/;

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
 * Masks secrets. Every resolved secret is registered here, and the output layer and the transport
 * pass everything they print through it, so a secret cannot leak through a message that quotes a
 * URL, a header or a server's response — in any encoding the secret may take there.
 */
export class Redactor {
  readonly #secrets = new Set<string>();
  #pattern: RegExp | undefined;
  #sorted: string[] | undefined;

  #longestFirst(): string[] {
    this.#sorted ??= [...this.#secrets].sort((a, b) => b.length - a.length);
    return this.#sorted;
  }

  /** Registers a secret value; every form it can take in text is masked from now on. */
  add(secret: string | undefined): void {
    if (!secret || this.#secrets.has(secret)) return;
    this.#secrets.add(secret);
    const decoded = percentDecoded(secret);
    if (decoded) this.#secrets.add(decoded);
    this.#pattern = undefined;
    this.#sorted = undefined;
  }

  /** The text with every known secret, every URL-borne token or secret and URL password masked. */
  redact(text: string): string {
    let out = text;
    if (this.#secrets.size > 0 && ENCODED.test(out)) {
      // Longest first, so a secret that contains another is masked whole.
      this.#pattern ??= new RegExp([...this.#longestFirst()].map(secretPattern).join("|"), "g");
      out = out.replace(this.#pattern, MASK);
    } else {
      // Without `%`, `+` or `\\` in the text, a secret can only be there as it is: plain search
      // finds exactly what the pattern would, without compiling it (milliseconds of a one-off run).
      for (const secret of this.#longestFirst()) out = out.split(secret).join(MASK);
    }
    out = out.replace(DEVO_TOKEN, `token$1${MASK}`).replace(GUANCE_SECRET, `$1${MASK}`);
    return maskUrlUserinfo(out);
  }

  /**
   * A copy of a JSON-ready value with secrets masked in its string values only: keys, numbers,
   * booleans and null are evsend's own and stay as they are (a token `0` must not touch
   * `"exitCode":0`). Serialize the result, never mask serialized text.
   */
  mask<T>(value: T): T {
    return this.#maskValue(value) as T;
  }

  #maskValue(value: unknown): unknown {
    if (typeof value === "string") return this.redact(value);
    if (Array.isArray(value)) return value.map((v) => this.#maskValue(v));
    if (value === null || typeof value !== "object") return value;
    const toJSON = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof toJSON === "function") return this.#maskValue(toJSON.call(value));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = this.#maskValue(v);
    return out;
  }

  /** Headers with secret values masked, for --verbose and --dry-run. Names are kept. */
  redactHeaders(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? MASK : this.redact(value);
    }
    return out;
  }
}
