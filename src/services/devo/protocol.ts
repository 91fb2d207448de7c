import {
  AuthError,
  ConfigError,
  InputError,
  RejectedError,
  UnavailableError,
} from "../../errors.js";
import { isRetryableStatus } from "../../transport/retry.js";
import { serverText } from "../../transport/server-text.js";
import type { HttpRequest, HttpResponse } from "../../transport/send.js";
import { clearTextWarning, parseBaseUrl, type BaseUrl } from "../../transport/url.js";

/** Devo's regional HTTP endpoints. */
export const DEVO_REGIONS: Readonly<Record<string, string>> = {
  us: "https://http-us.devo.io",
  us3: "https://http-us3.devo.io",
  eu: "https://http-eu.devo.io",
  ca: "https://http-ca.devo.io",
  ap: "https://collector-ap.devo.io:8443",
  ap2: "https://collector-ap2.devo.io:8443",
};

/** Largest message sent in event mode (it travels in the URL). */
export const EVENT_MESSAGE_LIMIT = 8 * 1024;

/**
 * Devo's "32 MB" request limit, counted on the uncompressed body, in its stricter reading
 * (32,000,000 bytes, not 32 MiB): a request under it is valid under either reading.
 */
export const STREAM_REQUEST_LIMIT = 32_000_000;

/** Where and as whom to send. */
export interface DevoTarget {
  /** Base URL, already resolved from a region name. */
  endpoint: string;
  domain: string;
  token: string;
  host: string;
  tag: string;
}

/**
 * A region name or an http(s) base URL → base URL without a trailing slash, and the URL's
 * userinfo secrets (to register for masking). `from` says where the value came from, for the
 * error: `--endpoint`, `env EVSEND_DEVO_ENDPOINT`, `profile "prod" in /path`.
 */
export function resolveEndpoint(value: string, from: string): BaseUrl {
  // An own key only: `constructor` is a mistyped region, not Object's member.
  const name = value.trim().toLowerCase();
  if (Object.hasOwn(DEVO_REGIONS, name)) return { href: DEVO_REGIONS[name]!, secrets: [] };
  // No scheme: a mistyped region (eu2), not a URL; say what the regions are.
  if (!value.includes("://")) {
    throw new ConfigError(`invalid Devo endpoint "${value}" (from ${from})`, {
      hint: `use a region (${Object.keys(DEVO_REGIONS).join(", ")}) or a URL such as https://collector.example.com`,
    });
  }
  return parseBaseUrl(value, `the Devo endpoint (from ${from})`);
}

/** `<endpoint>/<mode>/<domain>/token!<token>/<host>/<tag>`, every segment percent-encoded. */
export function devoUrl(mode: "event" | "stream", target: DevoTarget): string {
  const seg = encodeURIComponent;
  return `${target.endpoint}/${mode}/${seg(target.domain)}/token!${seg(target.token)}/${seg(target.host)}/${seg(target.tag)}`;
}

/** Bytes left as they are by percent-encoding (encodeURIComponent's unreserved set). */
const UNRESERVED = /[A-Za-z0-9\-_.!~*'()]/;

/**
 * Percent-encodes bytes, not characters: the same as encodeURIComponent for UTF-8 text, and exact
 * for bytes that are not UTF-8 (which a string round trip would replace with U+FFFD).
 */
export function percentEncodeBytes(bytes: Buffer): string {
  let out = "";
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    out +=
      byte < 0x80 && UNRESERVED.test(char)
        ? char
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** One event: the percent-encoded message is the whole query string. */
export function buildEventRequest(
  target: DevoTarget,
  message: string | Buffer,
  method: "GET" | "POST",
): HttpRequest {
  const bytes = Buffer.byteLength(message);
  if (bytes === 0)
    throw new InputError("the message is empty", {
      hint: "pass the event text as arguments or on stdin",
    });
  if (bytes > EVENT_MESSAGE_LIMIT) {
    throw new InputError(
      `the message is ${bytes} bytes, over the ${EVENT_MESSAGE_LIMIT}-byte limit of event mode`,
      {
        hint: "long events travel in the URL and get cut by proxies; send them with `evsend devo file` (stream mode) instead",
      },
    );
  }
  const query =
    typeof message === "string" ? encodeURIComponent(message) : percentEncodeBytes(message);
  return { method, url: `${devoUrl("event", target)}?${query}`, headers: {} };
}

/** Many events: lines joined with `\n` in a POST body, optionally gzip-compressed. */
export function buildStreamRequest(
  target: DevoTarget,
  body: Buffer,
  gzipped: boolean,
): HttpRequest {
  return {
    method: "POST",
    url: devoUrl("stream", target),
    headers: {
      "content-type": "text/plain; charset=utf-8",
      ...(gzipped ? { "content-encoding": "gzip" } : {}),
    },
    body,
  };
}

/** The start of the body, cut after secrets are masked (server-text.ts). */
function excerpt(body: string): string {
  return body.trim() ? `: ${serverText(body, { max: 500 })}` : "";
}

/** A 2xx means Devo *received* the data. Anything else throws the matching error. */
export function interpretResponse(response: HttpResponse): void {
  const { status, body, attempts } = response;
  if (status >= 200 && status < 300) return;
  const after = attempts > 1 ? ` after ${attempts} attempts` : "";
  if (status === 401 || status === 403) {
    throw new AuthError(`Devo refused the token (HTTP ${status})${excerpt(body)}`, {
      hint:
        `check the endpoint: a token works only in its domain's region (${Object.keys(DEVO_REGIONS).join(", ")}); ` +
        "check that the token is enabled and allows this tag; " +
        "set them with --endpoint and --token-file, EVSEND_DEVO_ENDPOINT and EVSEND_DEVO_TOKEN, or devo.endpoint and devo.token",
    });
  }
  if (isRetryableStatus(status)) {
    throw new UnavailableError(`Devo is unavailable (HTTP ${status}${after})${excerpt(body)}`, {
      hint: "try again later; --retries and --timeout control how long evsend keeps trying",
    });
  }
  if (status === 413) {
    throw new RejectedError(`Devo refused the request as too large (HTTP 413)${excerpt(body)}`, {
      hint: "send smaller batches with `evsend devo file --batch-size`",
    });
  }
  throw new RejectedError(`Devo rejected the request (HTTP ${status})${excerpt(body)}`, {
    hint:
      status === 404 ? "check the endpoint, domain and tag" : "check the domain, tag and message",
  });
}

/** Warnings about settings that look wrong but may be valid; never a refusal. */
export function targetWarnings(target: DevoTarget): string[] {
  const warnings: string[] = [];
  if (!/^[A-Za-z0-9]{32}$/.test(target.token)) {
    warnings.push(
      "the Devo token is not 32 alphanumeric characters, as Devo documents; sending anyway",
    );
  }
  if (!/^[^.\s]+(\.[^.\s]+)+$/.test(target.tag)) {
    warnings.push(
      `the Devo tag "${target.tag}" does not look like a.b[.c…] (e.g. my.app.web.access); sending anyway`,
    );
  }
  const clear = clearTextWarning(target.endpoint, "the endpoint", "token");
  if (clear) warnings.push(clear);
  return warnings;
}
