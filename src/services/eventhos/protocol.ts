import { ConfigError } from "../../errors.js";
import type { HttpRequest } from "../../transport/send.js";
import { clearTextWarning, parseBaseUrl } from "../../transport/url.js";

/** Bodies above this get a warning: the server stores each request in one encrypted row. */
export const WARN_BODY_BYTES = 1024 * 1024;

/** Default --max-body: above a few MiB the server fails with a 500 and a huge error body. */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Stands for the key in --dry-run, which reads no secret; always shown masked. */
export const DRY_RUN_KEY = "dry-run-access-key";

/** The two ways to authenticate, resolved. */
export type EventhosCredentials =
  { kind: "key"; accessKey: string } | { kind: "client"; clientId: string; clientSecret: string };

/**
 * Checks the Eventhos base URL and returns it without a trailing slash. A URL with a user name or
 * password is refused: the transport would send it as an Authorization header, and Eventhos
 * rejects every request that has one (401, code 400001) before it looks at the access key.
 */
export function parseEventhosUrl(text: string, from: string): string {
  const base = parseBaseUrl(text, `the Eventhos URL (from ${from})`);
  const url = new URL(base.href);
  if (url.username || url.password) {
    throw new ConfigError(`the Eventhos URL (from ${from}) must not hold a user name or password`, {
      hint: "Eventhos refuses any request with an Authorization header (401, code 400001); give the base URL only, and the key or client credentials in their own settings",
    });
  }
  return base.href;
}

/** A warning when the key would travel in clear text to another machine; undefined otherwise. */
export function plainHttpWarning(base: string): string | undefined {
  return clearTextWarning(base, "the Eventhos URL", "access key");
}

/** `<base>/event/send?event-identifier=<id>`: the identifier in the query string, exactly once. */
export function sendUrl(base: string, event: string): string {
  return `${base}/event/send?event-identifier=${encodeURIComponent(event)}`;
}

/**
 * One event: the key (long-lived, or a token) in the `access-key` header, never in the URL, and
 * never an Authorization header or `access_token` parameter (Eventhos rejects both). Without
 * `Content-Type: application/json` the server would store `{}` and still answer success.
 */
export function buildSendRequest(
  base: string,
  event: string,
  accessKey: string,
  body: Buffer | string,
): HttpRequest {
  return {
    method: "POST",
    url: sendUrl(base, event),
    headers: { "access-key": accessKey, "content-type": "application/json" },
    body,
  };
}

/** `POST <base>/auth/token` with the client credentials, for a 24-hour token. */
export function buildTokenRequest(
  base: string,
  clientId: string,
  clientSecret: string,
): HttpRequest {
  return {
    method: "POST",
    url: `${base}/auth/token`,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: clientSecret,
    }),
  };
}

/** The latest time a Date can hold (8.64e15 ms, year 275760); later is RangeError "Invalid time value". */
const MAX_DATE_MS = 8.64e15;

/**
 * True for an expiry time (ms) that a Date can hold: a token `exp` of 1e13 seconds or a cache
 * file's `expiresAt: 1e300` would make every run fail printing it, until the file is deleted.
 */
export function isValidExpiry(ms: unknown): ms is number {
  return typeof ms === "number" && Number.isFinite(ms) && ms > 0 && ms <= MAX_DATE_MS;
}

/**
 * The `exp` of a JWT's payload in milliseconds, or undefined when it has none, or one no Date can
 * hold (or is no JWT).
 */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const data = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown;
    const exp = (data as { exp?: unknown } | null)?.exp;
    return typeof exp === "number" && isValidExpiry(exp * 1000) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
