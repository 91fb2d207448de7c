import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BASE_DELAY_MS,
  MAX_DELAY_MS,
  backoffDelay,
  isRetryableStatus,
  parseRetryAfter,
  retryDelay,
} from "../../src/transport/retry.js";

describe("isRetryableStatus", () => {
  const cases: Array<[number, boolean]> = [
    [200, false],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [408, true],
    [413, false],
    [429, true],
    [500, true],
    [501, false],
    [502, true],
    [503, true],
    [599, true],
  ];
  for (const [status, retry] of cases)
    it(`${status} → ${retry}`, () => assert.equal(isRetryableStatus(status), retry));
});

describe("backoffDelay (full jitter)", () => {
  for (let attempt = 1; attempt <= 12; attempt++) {
    it(`attempt ${attempt} stays within [0, min(cap, base·2^(n-1)))`, () => {
      const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
      assert.equal(
        backoffDelay(attempt, () => 0),
        0,
      );
      const top = backoffDelay(attempt, () => 0.999999);
      assert.ok(top < ceiling && top >= ceiling - 1, `${top} vs ${ceiling}`);
    });
  }
  it("grows exponentially with the same random draw", () => {
    const half = (): number => 0.5;
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => backoffDelay(n, half)),
      [250, 500, 1000, 2000],
    );
  });
  it("is random, not fixed", () => {
    const seen = new Set(Array.from({ length: 20 }, () => backoffDelay(5)));
    assert.ok(seen.size > 1);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-22T12:00:00Z");
  const cases: Array<[string | undefined, number | undefined]> = [
    [undefined, undefined],
    ["", undefined],
    ["0", 0],
    ["3", 3000],
    [" 120 ", 120_000],
    ["-1", undefined],
    ["1.5", undefined],
    ["Sun, 22 Nov 2026 12:00:10 GMT", 10_000],
    ["Sun, 22 Nov 2026 11:59:00 GMT", 0],
    ["soon", undefined],
  ];
  for (const [value, ms] of cases) {
    it(`${JSON.stringify(value)} → ${ms}`, () => assert.equal(parseRetryAfter(value, now), ms));
  }
});

describe("retryDelay", () => {
  it("uses Retry-After when given", () => assert.equal(retryDelay(1, 2000), 2000));
  it("caps Retry-After", () => assert.equal(retryDelay(1, 3_600_000), MAX_DELAY_MS));
  it("falls back to backoff", () =>
    assert.equal(
      retryDelay(3, undefined, () => 0.5),
      1000,
    ));
});
