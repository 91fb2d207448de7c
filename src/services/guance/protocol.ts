/** Guance's push-events request and response envelope. Pure. */
import { AuthError, RejectedError, UnavailableError } from "../../errors.js";
import { isRetryableStatus } from "../../transport/retry.js";
import { serverText } from "../../transport/server-text.js";
import type { HttpRequest, HttpResponse } from "../../transport/send.js";
import type { GuanceBody } from "./event.js";
import { PUSH_PATH } from "./sites.js";

/** Where and as whom to push. */
export interface GuanceTarget {
  /** OpenAPI host base URL, without a trailing slash. */
  host: string;
  secret: string;
  /** May contain `/`, kept as is (each segment percent-encoded, the slashes not). */
  subUri: string;
  /** Sent as DF-API-KEY only when set. */
  apiKey?: string;
}

/** errorCodes that come back as HTTP 401 but mean "rate limited": retried, never an auth error. */
export const RATE_LIMIT_CODES: readonly string[] = [
  "ft.TriggerApiAkCurrentLimiting",
  "ft.TriggerApiWorkspaceCurrentLimiting",
];

/** The errorCode of a refused API key. */
export const INVALID_API_KEY = "ft.InvalidAPIKey";

/** The documented OpenAPI limit per key, the default pace of --ndjson. */
export const REQUESTS_PER_MINUTE_PER_KEY = 20;

/** `<host>/api/v1/push-events/<secret>/<subUri>`. */
export function pushUrl(target: GuanceTarget): string {
  const subUri = target.subUri.split("/").map(encodeURIComponent).join("/");
  return `${target.host}${PUSH_PATH}${encodeURIComponent(target.secret)}/${subUri}`;
}

/** One event, JSON; DF-API-KEY only when a key is configured. */
export function buildPushRequest(target: GuanceTarget, body: GuanceBody): HttpRequest {
  return {
    method: "POST",
    url: pushUrl(target),
    headers: {
      "content-type": "application/json;charset=UTF-8",
      ...(target.apiKey ? { "df-api-key": target.apiKey } : {}),
    },
    body: JSON.stringify(body),
  };
}

/** The fields of Guance's response envelope evsend reads. */
export interface Envelope {
  success?: unknown;
  errorCode?: unknown;
  message?: unknown;
  traceId?: unknown;
  content?: unknown;
}

/** The envelope, or undefined when the body is not one (a proxy's error page). */
export function parseEnvelope(body: string): Envelope | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Envelope)
      : undefined;
  } catch {
    return undefined;
  }
}

/** True for a rate-limit answer: the transport retries it (with backoff) like a 429. */
export function isRateLimited(response: HttpResponse): boolean {
  const code = parseEnvelope(response.body)?.errorCode;
  return typeof code === "string" && RATE_LIMIT_CODES.includes(code);
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** What Guance said: ` errorCode: message (traceId …)`, or a body excerpt. */
function said(envelope: Envelope | undefined, body: string): string {
  if (!envelope) {
    return body.trim() ? `: ${serverText(body, { max: 300 })}` : "";
  }
  const code = text(envelope.errorCode);
  const message = text(envelope.message);
  const trace = text(envelope.traceId);
  const what = [code, message].filter(Boolean).join(": ");
  return `${what ? `: ${what}` : ""}${trace ? ` (traceId ${trace})` : ""}`;
}

/**
 * Success needs HTTP 200, `success: true` and no `content.ok: false`; returns the traceId (empty
 * when none). The errorCode decides first, the HTTP status second.
 */
export function interpretPushResponse(response: HttpResponse): { traceId: string } {
  const { status, body, attempts } = response;
  const envelope = parseEnvelope(body);
  const code = text(envelope?.errorCode);
  const detail = said(envelope, body);
  const after = attempts > 1 ? ` after ${attempts} attempts` : "";
  if (RATE_LIMIT_CODES.includes(code)) {
    throw new UnavailableError(
      `Guance rate-limited the request (HTTP ${status}${after})${detail}`,
      {
        hint: "Guance allows 20 requests a minute per API key and 200 per workspace; wait a minute, or pace bulk sends with --rate",
      },
    );
  }
  if (code === INVALID_API_KEY) {
    throw new AuthError(`Guance refused the API key (HTTP ${status})${detail}`, {
      hint: "DF-API-KEY must be the Key secret (not the Key ID) from Management › API Key Management; set it with --api-key-file, EVSEND_GUANCE_API_KEY or guance.apiKey",
    });
  }
  const content = envelope?.content as { ok?: unknown } | null | undefined;
  if (!code && status === 200 && envelope?.success === true && content?.ok !== false)
    return { traceId: text(envelope.traceId) };
  // A server error stays "try again later" (exit 7) whatever its errorCode.
  if (isRetryableStatus(status)) {
    throw new UnavailableError(`Guance is unavailable (HTTP ${status}${after})${detail}`, {
      hint: "try again later; --retries and --timeout control how long evsend keeps trying",
    });
  }
  if (code) throw new RejectedError(`Guance rejected the event (HTTP ${status})${detail}`);
  if (status === 401 || status === 403) {
    throw new AuthError(`Guance refused the request (HTTP ${status})${detail}`, {
      hint: "check the site or URL, the secret and the API key",
    });
  }
  throw new RejectedError(
    status === 200
      ? `Guance answered HTTP 200 without success: true${detail}`
      : `Guance rejected the event (HTTP ${status})${detail}`,
    {
      hint:
        status === 404
          ? "check the site or URL: it must be the OpenAPI host"
          : "check the event and the URL",
    },
  );
}
