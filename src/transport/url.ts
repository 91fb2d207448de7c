import { ConfigError } from "../errors.js";
import { MASK, maskUrlUserinfo } from "./redact.js";
import type { HttpRequest } from "./http.js";

/** A configured base URL, checked. */
export interface BaseUrl {
  /** The URL without a trailing slash, userinfo included (the transport sends it as Basic auth). */
  href: string;
  /**
   * The userinfo's secret parts, raw and decoded: the password, or the user name when there is no
   * password (a token). Register each with the Redactor before anything prints the URL.
   */
  secrets: string[];
}

/**
 * The value as an error may quote it: no userinfo secret (with or without a scheme), and no query
 * or fragment, which may carry a key of their own.
 */
function shownValue(text: string): string {
  let masked = maskUrlUserinfo(text);
  if (masked === text) masked = text.replace(/^.*@/s, `${MASK}@`);
  return masked.replace(/[?#].*$/s, (rest) => `${rest[0]}…`);
}

const HINT = "use an http:// or https:// URL such as https://collector.example.com";

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a lone % stays as it is
  }
}

function secretsOf(url: URL): string[] {
  const part = url.password || url.username;
  if (!part) return [];
  const decoded = decode(part);
  return decoded === part ? [part] : [part, decoded];
}

/**
 * Checks a configured base URL (an endpoint, a service URL) and returns it without a trailing
 * slash. Pure: it registers nothing, the caller registers `secrets`. `what` names the value and
 * where it came from, e.g. `Devo endpoint (profile prod)`. Throws a ConfigError (exit 3) for text
 * that is not an http(s) URL, and for a `?query` or `#fragment`, which would end up in the middle
 * of every URL built from it. Error messages never show the URL's password.
 */
export function parseBaseUrl(text: string, what: string): BaseUrl {
  const shown = shownValue(text.trim());
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ConfigError(`${what} is not a URL: "${shown}"`, { hint: HINT });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`${what} must be an http or https URL, not ${url.protocol}: "${shown}"`, {
      hint: HINT,
    });
  }
  // url.search is empty for a bare "?", but href keeps it; userinfo's own ? and # are encoded.
  if (url.href.includes("?") || url.href.includes("#")) {
    throw new ConfigError(`${what} must not have a ?query or #fragment: "${shown}"`, {
      hint: "give the base URL only (scheme, host, port and path); evsend adds the rest",
    });
  }
  return { href: url.href.replace(/\/+$/, ""), secrets: secretsOf(url) };
}

/**
 * A request whose URL holds userinfo, rewritten with it as Basic authentication (undici would
 * drop it silently) unless the request has its own Authorization header; `secret` is the
 * userinfo's secret part, for the Redactor.
 */
export function withBasicAuth(req: HttpRequest): { request: HttpRequest; secret?: string } {
  const url = new URL(req.url);
  if (!url.username && !url.password) return { request: req };
  const secret = url.password || url.username;
  const credentials = `${decode(url.username)}:${decode(url.password)}`;
  url.username = "";
  url.password = "";
  const has = Object.keys(req.headers).some((name) => name.toLowerCase() === "authorization");
  const headers = has
    ? req.headers
    : { ...req.headers, authorization: `Basic ${Buffer.from(credentials).toString("base64")}` };
  return { request: { ...req, url: url.href, headers }, secret };
}

/** Whether a URL's host is this machine (localhost, 127.x.x.x, ::1), where plain http is fine. */
export function isLoopbackUrl(url: string | URL): boolean {
  const { hostname } = typeof url === "string" ? new URL(url) : url;
  return hostname === "localhost" || hostname === "[::1]" || hostname.startsWith("127.");
}

/**
 * A warning when `secret` would travel in clear text to another machine (plain http, not
 * loopback), e.g. `the Eventhos URL http://h is plain http: the access key travels in clear text;
 * use https`; undefined otherwise. `what` names the URL, e.g. "the Eventhos URL".
 */
export function clearTextWarning(url: string, what: string, secret: string): string | undefined {
  const parsed = new URL(url);
  if (parsed.protocol !== "http:" || isLoopbackUrl(parsed)) return undefined;
  return `${what} ${parsed.origin} is plain http: the ${secret} travels in clear text; use https`;
}
