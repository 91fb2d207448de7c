import { AuthError, RejectedError, UnavailableError, type EvsendError } from "../../errors.js";
import { isRetryableStatus } from "../../transport/retry.js";
import type { HttpResponse } from "../../transport/send.js";

/** What Eventhos answered, as far as evsend reads it. */
export interface EventhosAnswer {
  status: number;
  /** The body's `code` (a number, or a numeric string turned into one). */
  code: number | undefined;
  message: string | undefined;
  errorUUID: string | undefined;
  /** The body parsed as JSON, or its text when it is not JSON. */
  body: unknown;
}

/** A send Eventhos accepted: stored (`delivered`), or stored with no contract bound (`warned`). */
export interface SendResult extends EventhosAnswer {
  outcome: "delivered" | "warned";
  /** For `warned`: what to tell the user. */
  warning?: string;
}

/** The code Eventhos sends when an event is stored but no contract is bound to it. */
export const NO_CONTRACT_CODE = 200310;

/** Reads `{ message, code, errorUUID }` from a body; anything else leaves them undefined. */
export function readAnswer(response: HttpResponse): EventhosAnswer {
  let body: unknown = response.body;
  try {
    body = JSON.parse(response.body) as unknown;
  } catch {
    // Not JSON (a proxy's page, an empty body): kept as text.
  }
  const data = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const rawCode = data.code;
  const code =
    typeof rawCode === "number"
      ? rawCode
      : typeof rawCode === "string" && /^\d+$/.test(rawCode)
        ? Number(rawCode)
        : undefined;
  const text = (value: unknown): string | undefined =>
    typeof value === "string" && value !== "" ? value : undefined;
  return {
    status: response.status,
    code,
    message: text(data.message),
    errorUUID: text(data.errorUUID),
    body,
  };
}

/** `(HTTP 400, code 400202, errorUUID …)`: what an Eventhos admin needs to look the error up. */
export function answerFacts(answer: EventhosAnswer, attempts = 1): string {
  const parts = [`HTTP ${answer.status}`];
  if (answer.code !== undefined) parts.push(`code ${answer.code}`);
  if (answer.errorUUID) parts.push(`errorUUID ${answer.errorUUID}`);
  if (attempts > 1) parts.push(`after ${attempts} attempts`);
  return `(${parts.join(", ")})`;
}

/** The server's own words, shortened: an error body can be huge (a failed database insert). */
export function serverWords(answer: EventhosAnswer): string {
  const text =
    answer.message ??
    (typeof answer.body === "string" ? answer.body.trim() : JSON.stringify(answer.body));
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}

/**
 * A refused request as the typed error for its exit code: 401/403 (or `auth`, a credential the
 * server does not know) → 4, 429/5xx → 7, else 1. `status` classifies it (default the HTTP one;
 * an error code inside a 2xx gives the status it stands for).
 */
export function answerError(
  answer: EventhosAnswer,
  what: string,
  hint: string | undefined,
  attempts = 1,
  auth = false,
  status = answer.status,
): EvsendError {
  const words = serverWords(answer);
  const message = `${what} ${answerFacts(answer, attempts)}${words ? `: ${words}` : ""}`;
  const options = hint === undefined ? {} : { hint };
  if (auth || status === 401 || status === 403) return new AuthError(message, options);
  if (isRetryableStatus(status)) {
    return new UnavailableError(message, {
      hint: hint ?? "try again later; --retries and --timeout control how long evsend keeps trying",
    });
  }
  return new RejectedError(message, options);
}
