import type { HttpRequest, HttpResponse, SendOptions } from "../../transport/send.js";
import type { SendResult } from "./answers.js";
import { interpretSendResponse, isTokenRefused, tooLargeToStore } from "./interpret.js";
import type { KeySource } from "./keys.js";
import { buildSendRequest } from "./protocol.js";

/** Where one event goes. */
export interface EventTarget {
  base: string;
  event: string;
}

/** What one send took: the result and how many HTTP attempts the final send needed. */
export interface Delivered {
  result: SendResult;
  attempts: number;
  durationMs: number;
}

/** Sends one request through the shared transport (or the bulk runner, which counts bytes). */
export type Sender = (request: HttpRequest, options: SendOptions) => Promise<HttpResponse>;

/**
 * An error body is read up to this much to find its `code` and `errorUUID`, which eventhos-api
 * puts at the very end of a body that can be 16.7 MiB (an 8 MiB event that did not fit its row).
 */
export const ERROR_BODY_BYTES = 64 * 1024 * 1024;

/**
 * Sends one event with the source's key. A token answered 401/401202 (cached, or fetched by this
 * run and expired or revoked since) is dropped, one new token is fetched and the event sent once
 * more (the refused request stored nothing). Throws the typed error of any refusal.
 */
export async function deliverEvent(
  sender: Sender,
  target: EventTarget,
  keys: KeySource,
  body: Buffer | string,
): Promise<Delivered> {
  const sentBytes = Buffer.byteLength(body);
  const send = (key: string): Promise<HttpResponse> =>
    sender(buildSendRequest(target.base, target.event, key, body), {
      errorBodyBytes: ERROR_BODY_BYTES,
      permanent: (response) => tooLargeToStore(response, sentBytes),
    });
  const key = await keys.current();
  let response = await send(key.value);
  let renewed = false;
  if (keys.kind === "token" && isTokenRefused(response)) {
    const fresh = await keys.renew(key);
    // Once per event, and only with a different token (a renewed token refused is final).
    if (fresh && fresh.value !== key.value) {
      response = await send(fresh.value);
      renewed = true;
    }
  }
  return {
    result: interpretSendResponse(response, target.event, keys.kind, renewed, sentBytes),
    attempts: response.attempts,
    durationMs: Math.round(response.durationMs ?? 0),
  };
}
