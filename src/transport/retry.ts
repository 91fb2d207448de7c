/** Retry policy: which failures are transient, and how long to wait before the next attempt. */

import type { HttpResponse, SendOptions } from "./http.js";

/** Largest wait between two attempts, whatever the server asks for. */
export const MAX_DELAY_MS = 60_000;

/** First backoff step; attempt n waits up to BASE * 2^(n-1). */
export const BASE_DELAY_MS = 500;

/** Statuses worth another attempt: timeouts, rate limits and server errors other than 501. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501);
}

/**
 * Full-jitter exponential backoff: a random wait in [0, min(cap, base·2^(attempt-1))).
 * `attempt` is 1 for the first retry.
 */
export function backoffDelay(
  attempt: number,
  random: () => number = Math.random,
  base = BASE_DELAY_MS,
  cap = MAX_DELAY_MS,
): number {
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Milliseconds a `Retry-After` header asks for (delta-seconds or an HTTP-date), or undefined when
 * absent or unreadable. Never negative.
 */
export function parseRetryAfter(
  value: string | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The wait before retry number `attempt`: the server's Retry-After when it gave one (capped),
 * else full-jitter backoff.
 */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  random?: () => number,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, MAX_DELAY_MS);
  return backoffDelay(attempt, random);
}

/**
 * Whether an attempt may be retried: never after a certificate problem (`refused`); after a
 * network failure always; after an answer when its status (or the caller) calls it transient and
 * the caller does not call it permanent.
 */
export function isRetryable(
  response: HttpResponse | undefined,
  refused: unknown,
  sendOptions: SendOptions,
): boolean {
  if (refused) return false;
  if (!response) return true;
  return (
    (isRetryableStatus(response.status) || sendOptions.transient?.(response) === true) &&
    sendOptions.permanent?.(response) !== true
  );
}

/**
 * The wait before attempt `n + 1` (Retry-After or backoff), or undefined when that attempt would
 * start later than `budget` after the first one (`started`).
 */
export function retryWithinBudget(
  n: number,
  response: HttpResponse | undefined,
  started: number,
  budget: number,
  random: (() => number) | undefined,
): number | undefined {
  const wanted = retryDelay(n, parseRetryAfter(response?.headers["retry-after"]), random);
  return Date.now() + wanted - started <= budget ? wanted : undefined;
}
