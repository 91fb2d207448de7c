/**
 * Failures on purpose (`evsend emulate --fail-rate …`): a layer in front of every emulated API,
 * for testing retries, resumes and pipelines. Seeded, so a run can be reproduced.
 */

/** How often and how the emulator misbehaves. Rates are fractions in [0, 1]. */
export interface ChaosOptions {
  /** Share of API requests answered with one of `failStatuses` instead of being handled. */
  failRate: number;
  /** Statuses a failed request gets, picked in turn at random (e.g. 429, 503). */
  failStatuses: readonly number[];
  /** Share of API requests whose connection is destroyed without an answer. */
  dropRate: number;
  /** Wait before handling (or failing) each API request. */
  latencyMs: number;
  /** `Retry-After` value (seconds) sent with each failure, if any. */
  retryAfterSeconds?: number;
  /** Seed of the random choices; the same seed gives the same sequence of verdicts. */
  seed: number;
}

/** What happens to one request. */
export type ChaosVerdict =
  | { kind: "pass" }
  | { kind: "fail"; status: number; retryAfterSeconds?: number }
  | { kind: "drop" };

/** Decides, request by request, whether to pass, fail or drop; counts what it did. */
export interface Chaos {
  readonly options: ChaosOptions;
  next(): ChaosVerdict;
  readonly counts: { failed: number; dropped: number };
}

/** mulberry32: a small, fast, seedable generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whether any option asks for misbehaviour (otherwise the layer is not installed at all). */
export function chaosWanted(options: ChaosOptions): boolean {
  return options.failRate > 0 || options.dropRate > 0 || options.latencyMs > 0;
}

/** A chaos layer over `options`: drops first, then failures, from one seeded sequence. */
export function createChaos(options: ChaosOptions): Chaos {
  const random = seededRandom(options.seed);
  const counts = { failed: 0, dropped: 0 };
  return {
    options,
    counts,
    next(): ChaosVerdict {
      const roll = random();
      if (roll < options.dropRate) {
        counts.dropped += 1;
        return { kind: "drop" };
      }
      if (roll < options.dropRate + options.failRate) {
        counts.failed += 1;
        const pick = Math.floor(random() * options.failStatuses.length);
        const status = options.failStatuses[pick] ?? 503;
        return options.retryAfterSeconds === undefined
          ? { kind: "fail", status }
          : { kind: "fail", status, retryAfterSeconds: options.retryAfterSeconds };
      }
      return { kind: "pass" };
    },
  };
}

/** `0.3` or `30%` → 0.3. */
export function parseFraction(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  const value = match ? Number(match[1]) / (match[2] ? 100 : 1) : NaN;
  if (!(value >= 0 && value <= 1)) {
    throw new Error(
      `"${text}" is not a rate; use a fraction from 0 to 1 (0.3) or a percentage (30%)`,
    );
  }
  return value;
}

/** `503` or `429,500,503` → statuses an API could answer with (400–599). */
export function parseStatuses(text: string): number[] {
  const statuses = text.split(",").map((part) => part.trim());
  const parsed = statuses.map(Number);
  if (statuses.some((s, i) => !/^\d{3}$/.test(s) || parsed[i]! < 400 || parsed[i]! > 599)) {
    throw new Error(`"${text}" is not a list of HTTP error statuses; use e.g. 503 or 429,500,503`);
  }
  return parsed;
}
