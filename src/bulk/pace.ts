import { setTimeout as sleep } from "node:timers/promises";
import { now } from "../clock.js";

/** Time, injectable so tests need no real waiting. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now,
  sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : {}),
};

/**
 * At most `perMinute` request starts per minute, evenly spaced (one every 60 s / n), for APIs
 * that limit the request rate (Guance). Requests wait in the order they asked; the first goes at
 * once. A pacer with no rate (undefined or 0) never waits.
 */
export class Pacer {
  readonly #interval: number;
  readonly #clock: Clock;
  #next = -Infinity;

  constructor(perMinute: number | undefined, clock: Clock = systemClock) {
    this.#interval = perMinute && perMinute > 0 ? 60_000 / perMinute : 0;
    this.#clock = clock;
  }

  /** Waits for this request's turn; rejects (AbortError) when `signal` aborts meanwhile. */
  async wait(signal?: AbortSignal): Promise<void> {
    if (this.#interval === 0) return;
    const now = this.#clock.now();
    // Claim the slot before waiting, so requests that ask together get slots in turn.
    const at = Math.max(now, this.#next);
    this.#next = at + this.#interval;
    if (at > now) await this.#clock.sleep(at - now, signal);
  }
}
