import { RejectedError, type EvsendError } from "../../errors.js";
import { formatBytes } from "../../units.js";
import type { HttpResponse } from "../../transport/send.js";
import {
  answerError,
  NO_CONTRACT_CODE,
  readAnswer,
  serverWords,
  type EventhosAnswer,
  type SendResult,
} from "./answers.js";
import { WARN_BODY_BYTES } from "./protocol.js";

/** How the key of a send was obtained: it changes what a 401202 means. */
export type KeyKind = "key" | "token";

const KEY_SETTINGS =
  "--access-key-file, EVSEND_EVENTHOS_ACCESS_KEY or eventhos.accessKey in a profile";
const ASK_ADMIN = "ask your Eventhos administrator";
const EVENT_SETTINGS = "--event, EVSEND_EVENTHOS_EVENT or eventhos.event";
/** 401003 "Subject is locked": four wrong secrets lock a client, even for the right one. */
const LOCKED = {
  what: "Eventhos has locked this client",
  hint:
    "after four wrong client secrets Eventhos locks the client for about 3 minutes, and refuses even the right secret " +
    "until then: wait that long, check the secret (--client-secret-file, EVSEND_EVENTHOS_CLIENT_SECRET or eventhos.clientSecret), " +
    "then run once; evsend never retries this, as each try could extend the lock",
};

/** Send error codes of apis/eventhos.md → what happened and how to fix it. */
const SEND_ERRORS: Record<
  number,
  { what: string; hint: (key: KeyKind, renewed: boolean) => string }
> = {
  400201: {
    what: "the event-identifier or the access key is missing",
    hint: () => "evsend sends both: check that the event identifier and the key are not empty",
  },
  400202: {
    what: "the event does not exist",
    hint: () =>
      `check the identifier (${EVENT_SETTINGS}; it looks like order-created-9O_CE0Lcrz), or ${ASK_ADMIN} for it`,
  },
  404201: {
    what: "the event's producer system has no client",
    hint: () => `${ASK_ADMIN} to bind a client to the event's producer system`,
  },
  403201: {
    what: "this client's access is revoked",
    hint: () => ASK_ADMIN,
  },
  401201: {
    what: "the access key is not this client's long-lived key",
    hint: () =>
      `check the key (${KEY_SETTINGS}); a client can send only the events of its own producer system`,
  },
  401202: {
    what: "the token is bad, expired or belongs to another client",
    hint: (key, renewed) =>
      key === "key"
        ? "most likely the event belongs to another client's producer system: a client can send only " +
          `the events of its own system, so check the event (${EVENT_SETTINGS}) or ${ASK_ADMIN}; ` +
          `if this access key is a token (expired, or another client's), use client credentials (--client-id) instead`
        : renewed
          ? "evsend fetched a new token and it was refused too: a client can send only the events of " +
            `its own producer system, so check the event (${EVENT_SETTINGS}) or ${ASK_ADMIN}`
          : `the token was refused and no new one could be used: run again, or ${ASK_ADMIN}`,
  },
  401003: { what: LOCKED.what, hint: () => LOCKED.hint },
  400001: {
    what: "Eventhos saw an Authorization header",
    hint: () =>
      "evsend never sends one: something between evsend and Eventhos (a proxy, a gateway) adds it",
  },
  400002: {
    what: "Eventhos saw an expired bearer Authorization header",
    hint: () =>
      "evsend never sends one: something between evsend and Eventhos (a proxy, a gateway) adds it",
  },
};

/** True when a send was refused because of the token (401/401202): worth one new token. */
export function isTokenRefused(response: HttpResponse): boolean {
  return response.status === 401 && readAnswer(response).code === 401202;
}

function sendErrorHint(answer: EventhosAnswer, key: KeyKind, renewed: boolean): string | undefined {
  const known = answer.code === undefined ? undefined : SEND_ERRORS[answer.code];
  if (known) return known.hint(key, renewed);
  if (answer.status === 413) return "send a smaller event; --max-body sets evsend's own limit";
  if (answer.status === 400 && answer.code === 500000)
    return "evsend checks the JSON before sending: something between evsend and Eventhos may change the body";
  if (answer.status === 404) return "check the URL (--url, EVSEND_EVENTHOS_URL or eventhos.url)";
  return undefined;
}

/**
 * True for the failure apis/eventhos.md describes for large events: a 500 with a huge error body
 * (longer than the excerpt) to an event over 1 MiB, which did not fit the server's database row.
 * Sending it again cannot succeed, so it is neither retried nor "try again later".
 */
export function tooLargeToStore(response: HttpResponse, sentBytes: number): boolean {
  return response.status === 500 && sentBytes > WARN_BODY_BYTES && response.bodyTruncated === true;
}

/** A success code: 20000 (what the server sends), the wiki's 200000, 200310, any 2xxxx(x). */
export function isSuccessCode(code: number): boolean {
  return /^2\d{4,5}$/.test(String(code));
}

/** A code apis/eventhos.md names as an error: the table's codes and the 500xxx server family. */
function isKnownErrorCode(code: number): boolean {
  return SEND_ERRORS[code] !== undefined || (code >= 500000 && code <= 500999);
}

/**
 * The HTTP status an error code stands for when it came inside a 2xx (500000 → 500,
 * 400202 → 400): its exit code and hint are then those of the real refusal.
 */
function statusOfCode(code: number): number {
  return Math.floor(code / 1000);
}

/** The refusal of one send; `status` classifies it (exit code, hint) when the HTTP one is a 2xx. */
function refusedError(
  response: HttpResponse,
  answer: EventhosAnswer,
  event: string,
  key: KeyKind,
  renewed: boolean,
  status = answer.status,
): EvsendError {
  const known = answer.code === undefined ? undefined : SEND_ERRORS[answer.code];
  const what = known
    ? `Eventhos refused event "${event}": ${known.what}`
    : `Eventhos refused event "${event}"`;
  const hint = sendErrorHint({ ...answer, status }, key, renewed);
  return answerError(answer, what, hint, response.attempts, false, status);
}

/**
 * A send's answer: a 2xx means the event was stored (200/20000, or 200000 as the wiki says);
 * code 200310 (HTTP 203) means stored, but no contract is bound to the event — a success with a
 * warning. A 2xx whose body carries a known error code (200 with 500000 "database error, nothing
 * stored") is that error, not a success; a 2xx with an unknown non-2xxxx code is accepted with a
 * warning. Anything else throws the error for its exit code, with the server's message, code and
 * errorUUID. `renewed`: a new token was fetched for this event and sent (a 401202 is then final).
 */
export function interpretSendResponse(
  response: HttpResponse,
  event: string,
  key: KeyKind,
  renewed = false,
  sentBytes = 0,
): SendResult {
  const answer = readAnswer(response);
  if (tooLargeToStore(response, sentBytes)) {
    throw answerError(
      answer,
      `Eventhos could not store event "${event}" (${formatBytes(sentBytes)}): it is too large for the server's database row`,
      "Eventhos stores each event encrypted in one database row, and events over a few MiB do not fit: " +
        `send it in smaller events (--max-body, default 5 MiB, refuses larger ones before sending); it was not retried${answer.errorUUID ? ", and the errorUUID is what your Eventhos administrator can look up" : ""}`,
      response.attempts,
      false,
      400, // a refusal no retry changes: exit 1, not "unavailable"
    );
  }
  if (response.status >= 200 && response.status < 300) {
    const { code } = answer;
    if (code === NO_CONTRACT_CODE) {
      const warning = `event "${event}" was stored, but no contract is bound to it: nothing will run until the administrator adds one`;
      return { ...answer, outcome: "warned", warning };
    }
    if (code === undefined || isSuccessCode(code)) return { ...answer, outcome: "delivered" };
    if (isKnownErrorCode(code))
      throw refusedError(response, answer, event, key, renewed, statusOfCode(code));
    const warning = `Eventhos answered event "${event}" with HTTP ${response.status} but code ${code}, which is not a success code${answer.message ? ` ("${serverWords(answer)}")` : ""}: it was probably stored; check the Eventhos events log`;
    return { ...answer, outcome: "warned", warning };
  }
  throw refusedError(response, answer, event, key, renewed);
}

/** What the token endpoint's errors mean (apis/eventhos.md, Getting an access key). */
function tokenErrorHint(answer: EventhosAnswer): string | undefined {
  if (answer.code === 401003) return LOCKED.hint;
  if (answer.code === 401100 && answer.status === 404)
    return "unknown client id: check --client-id, EVSEND_EVENTHOS_CLIENT_ID or eventhos.clientId";
  if (answer.code === 401100)
    return (
      "check the client secret (--client-secret-file, EVSEND_EVENTHOS_CLIENT_SECRET or eventhos.clientSecret). " +
      "evsend does not retry this: Eventhos locks the client for about 3 minutes after four wrong secrets, even for the right one"
    );
  if (answer.code === 403100)
    return `this client has a long-lived key instead of client credentials: use it (${KEY_SETTINGS})`;
  if (answer.status === 404) return "check the URL (--url, EVSEND_EVENTHOS_URL or eventhos.url)";
  return undefined;
}

/**
 * The token endpoint's answer (HTTP 201 on success) → the token from `content.jwt_token`.
 * 401100 is never retried (four wrong secrets lock the client); 403100 means this client must
 * use its long-lived key.
 */
export function interpretTokenResponse(response: HttpResponse): string {
  const answer = readAnswer(response);
  if (response.status >= 200 && response.status < 300) {
    const content = (answer.body as { content?: { jwt_token?: unknown } } | null)?.content;
    const token = content?.jwt_token;
    if (typeof token === "string" && token !== "") return token;
    throw new RejectedError(
      `Eventhos answered the token request without content.jwt_token (HTTP ${response.status})`,
      { hint: "check the URL: it must be the Eventhos API's base URL" },
    );
  }
  const what =
    answer.code === 401003
      ? `Eventhos refused the token request: ${LOCKED.what}`
      : answer.code === 403100
        ? "Eventhos will not give this client a token"
        : answer.code === 401100
          ? "Eventhos refused the client credentials"
          : "Eventhos refused the token request";
  throw answerError(
    answer,
    what,
    tokenErrorHint(answer),
    response.attempts,
    answer.code === 401100 || answer.code === 401003,
  );
}
