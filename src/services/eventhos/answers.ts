import { AuthError, RejectedError, UnavailableError, type EvsendError } from "../../errors.js";
import { isRetryableStatus } from "../../transport/retry.js";
import { serverText } from "../../transport/server-text.js";
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

/** The last `"name": value` in a piece of JSON text, the value as JSON (string or number). */
function lastField(text: string, name: string): unknown {
  const pattern = new RegExp(`"${name}"\\s*:\\s*("(?:[^"\\\\]|\\\\.){0,2000}"|\\d{1,12})`, "g");
  let found: unknown;
  for (const match of text.matchAll(pattern)) {
    try {
      found = JSON.parse(match[1]!) as unknown;
    } catch {
      // A cut escape: not a value.
    }
  }
  return found;
}

/**
 * A long error body read only in part (its first and last 8 KiB): the fields found in its end,
 * where eventhos-api puts `code` and `errorUUID` after a huge dump (the stored row, in hex).
 * The dump itself is not kept: it says nothing a user can read.
 */
function scanLongBody(response: HttpResponse): Record<string, unknown> | undefined {
  if (response.bodyTail === undefined) return undefined;
  const fields: Record<string, unknown> = {};
  for (const name of ["message", "code", "errorUUID"]) {
    const value = lastField(response.bodyTail, name) ?? lastField(response.body, name);
    if (value !== undefined) fields[name] = value;
  }
  return fields.code === undefined ? undefined : fields;
}

/** Reads `{ message, code, errorUUID }` from a body; anything else leaves them undefined. */
export function readAnswer(response: HttpResponse): EventhosAnswer {
  let body: unknown = response.body;
  let scanned: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(response.body) as unknown;
  } catch {
    // Not JSON (a proxy's page, an empty body): kept as text. A long error body cut: its
    // fields are read from its end, and its text (a dump) is not shown.
    scanned = scanLongBody(response);
    if (scanned) body = "";
  }
  const data = (scanned ?? (typeof body === "object" && body !== null ? body : {})) as Record<
    string,
    unknown
  >;
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
  return text.trim() ? serverText(text, { max: 300, oneLine: true, ellipsis: true }) : "";
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
