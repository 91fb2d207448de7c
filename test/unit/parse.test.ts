import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  formatBytes,
  formatDuration,
  parseDuration,
  parseInteger,
  parseSize,
  parseSizeWithin,
  parseTimeout,
} from "../../src/units.js";

describe("parseDuration", () => {
  const cases: Array<[string, number]> = [
    ["500ms", 500],
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["2", 2000],
    ["1.5s", 1500],
    [" 10S ", 10_000],
  ];
  for (const [text, ms] of cases)
    it(`${JSON.stringify(text)} → ${ms}`, () => assert.equal(parseDuration(text), ms));
  for (const bad of ["", "s", "-1s", "5 minutes", "1d", "abc"]) {
    it(`rejects ${JSON.stringify(bad)}`, () =>
      assert.throws(() => parseDuration(bad), /not a duration/));
  }
});

describe("parseTimeout", () => {
  it("accepts 1ms and more", () => assert.equal(parseTimeout("1ms"), 1));
  for (const text of ["0", "0s", "0.0001s"]) {
    it(`rejects ${text}, quoting it`, () =>
      assert.throws(() => parseTimeout(text), new RegExp(`"${text}" is not a usable timeout`)));
  }
});

describe("parseSize", () => {
  const cases: Array<[string, number]> = [
    ["100", 100],
    ["512k", 512 * 1024],
    ["4m", 4 * 1024 * 1024],
    ["32MB", 32 * 1024 * 1024],
    ["1GiB", 1024 ** 3],
    ["1.5k", 1536],
  ];
  for (const [text, bytes] of cases)
    it(`${text} → ${bytes}`, () => assert.equal(parseSize(text), bytes));
  for (const bad of ["", "k", "4x", "-4m", "4 m b"]) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => parseSize(bad), /not a size/));
  }
});

describe("parseSizeWithin", () => {
  it("accepts the bounds", () => {
    assert.equal(parseSizeWithin("1k", 1024, 32 * 1024 ** 2), 1024);
    assert.equal(parseSizeWithin("32MB", 1024, 32 * 1024 ** 2), 32 * 1024 ** 2);
  });
  it("quotes the text as typed when over or under", () => {
    assert.throws(
      () => parseSizeWithin("33m", 1024, 32 * 1024 ** 2),
      /^Error: "33m" is over 32\.0 MiB, the most allowed$/,
    );
    assert.throws(() => parseSizeWithin("512", 1024, 2048), /^Error: "512" is under 1\.0 KiB/);
  });
});

describe("parseInteger", () => {
  it("accepts a number in range", () => assert.equal(parseInteger("5", 0, 10), 5));
  it("rejects out of range, quoting the text", () =>
    assert.throws(() => parseInteger(" 11", 0, 10), /^Error: "11" is outside 0–10$/));
  it("rejects fractions and words", () => {
    assert.throws(() => parseInteger("1.5", 0), /whole number/);
    assert.throws(() => parseInteger("five", 0), /whole number/);
  });
});

describe("formatting", () => {
  const bytes: Array<[number, string]> = [
    [0, "0 B"],
    [1023, "1023 B"],
    [559.337, "559 B"],
    [1024, "1.0 KiB"],
    [32 * 1024 * 1024, "32.0 MiB"],
  ];
  for (const [n, text] of bytes) it(`formatBytes(${n})`, () => assert.equal(formatBytes(n), text));
  const durations: Array<[number, string]> = [
    [850, "850ms"],
    [2400, "2.4s"],
    [185_000, "3m05s"],
  ];
  for (const [n, text] of durations)
    it(`formatDuration(${n})`, () => assert.equal(formatDuration(n), text));
});
