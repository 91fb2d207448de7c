import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AuthError,
  ConfigError,
  InputError,
  InterruptedError,
  PartialDeliveryError,
  RejectedError,
  UnavailableError,
  UsageError,
  exitCodeOf,
} from "../../src/errors.js";

describe("exitCodeOf", () => {
  const cases: Array<[unknown, number]> = [
    [new RejectedError("x"), 1],
    [new UsageError("x"), 2],
    [new ConfigError("x"), 3],
    [new AuthError("x"), 4],
    [new InputError("x"), 5],
    [new PartialDeliveryError("x"), 6],
    [new UnavailableError("x"), 7],
    [new InterruptedError(), 130],
    [new TypeError("a bug"), 1],
    ["a thrown string", 1],
  ];
  for (const [error, code] of cases) {
    const name = error instanceof Error ? error.constructor.name : typeof error;
    it(`${name} → ${code}`, () => assert.equal(exitCodeOf(error), code));
  }
});
