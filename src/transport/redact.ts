/** What every masked secret is replaced with. */
export const MASK = "****";

/** Header names whose values are always secrets. */
const SECRET_HEADERS = new Set([
  "authorization",
  "access-key",
  "df-api-key",
  "x-api-key",
  "cookie",
]);

/** `token!<token>` in a Devo URL path, raw or percent-encoded. */
const DEVO_TOKEN = /token(!|%21)[^/?#\s"'<>]*/gi;

/** A user:password in a URL (proxies). */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]+:)[^@/?#\s]+@/gi;

/**
 * Masks secrets in text. Every resolved secret is registered here, and the output layer and the
 * transport pass everything they print through `redact`, so a secret cannot leak through a message
 * that quotes a URL, a header or a server's response.
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  /** Registers a secret value; its raw and percent-encoded forms are masked from now on. */
  add(secret: string | undefined): void {
    if (!secret) return;
    this.#secrets.add(secret);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) this.#secrets.add(encoded);
  }

  /** The text with every known secret and every URL-borne token masked. */
  redact(text: string): string {
    let out = text.replace(DEVO_TOKEN, `token$1${MASK}`).replace(URL_PASSWORD, `$1${MASK}@`);
    // Longest first, so a secret that contains another is masked whole.
    const secrets = [...this.#secrets].sort((a, b) => b.length - a.length);
    for (const secret of secrets) out = out.split(secret).join(MASK);
    return out;
  }

  /** Headers with secret values masked, for --verbose and --dry-run. */
  redactHeaders(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? MASK : this.redact(value);
    }
    return out;
  }
}
