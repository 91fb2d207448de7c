import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  formatBulkProgress,
  formatEta,
  type BulkProgressFacts,
} from "../../src/output/progress.js";

const MB = 1024 * 1024;

function facts(overrides: Partial<BulkProgressFacts>): BulkProgressFacts {
  return {
    files: 3,
    finishedFiles: 1,
    records: 12000,
    recordsWord: "lines",
    bytesDone: 10 * MB,
    storedDone: 10 * MB,
    totalBytes: 40 * MB,
    elapsedMs: 5000,
    inFlight: 2,
    ...overrides,
  };
}

describe("formatBulkProgress", () => {
  it("known total: files, records, bytes, rate, percentage of the total and ETA", () => {
    assert.equal(
      formatBulkProgress(facts({})),
      "1/3 files · 12000 lines · 10.0 MiB · 2.0 MiB/s · 25% of 40.0 MiB · ETA 15s · 2 in flight",
    );
  });

  it("gzip inputs: the percentage counts bytes as stored, the rate bytes decompressed", () => {
    const text = formatBulkProgress(facts({ bytesDone: 50 * MB, storedDone: 20 * MB }));
    assert.match(text, / 50\.0 MiB · 10\.0 MiB\/s · 50% of 40\.0 MiB · ETA 5s · /);
  });

  it("stdin or a pipe (no total): no percentage, no ETA; the service's word", () => {
    assert.equal(
      formatBulkProgress(
        facts({ totalBytes: undefined, files: 1, finishedFiles: 0, recordsWord: "rows" }),
      ),
      "0/1 file · 12000 rows · 10.0 MiB · 2.0 MiB/s · 2 in flight",
    );
  });

  it("no ETA before a second has passed or before anything was settled; never past 100%", () => {
    assert.doesNotMatch(formatBulkProgress(facts({ elapsedMs: 400 })), /ETA/);
    assert.match(
      formatBulkProgress(facts({ storedDone: 0, bytesDone: 0 })),
      / 0% of 40\.0 MiB · 2 in/,
    );
    assert.match(formatBulkProgress(facts({ storedDone: 50 * MB })), / 100% of 40\.0 MiB · ETA 0s/);
  });

  it("paced (20 events a minute): the ETA extrapolates the delivery rate, not reading", () => {
    // A minute in: 20 events of 61 bytes settled out of 3,000 (183,000 bytes).
    const text = formatBulkProgress(
      facts({ files: 1, finishedFiles: 0, records: 20, recordsWord: "events", bytesDone: 1220 }),
    );
    assert.equal(text.split(" · ")[1], "20 events");
    const paced = formatBulkProgress(
      facts({ storedDone: 1220, totalBytes: 183_000, elapsedMs: 60_000 }),
    );
    assert.match(paced, / 0% of 178\.7 KiB · ETA 2h29m · /);
  });

  it("while anything remains: under 100% and an ETA, however little is left", () => {
    const text = formatBulkProgress(facts({ storedDone: 40 * MB - 1 }));
    assert.match(text, / 99% of 40\.0 MiB · ETA 1s · /);
  });
});

describe("formatEta", () => {
  const cases: Array<[number, string]> = [
    [0, "0s"],
    [1, "1s"],
    [59_000, "59s"],
    [60_000, "1m00s"],
    [185_000, "3m05s"],
    [3_600_000, "1h00m"],
    [3_725_000, "1h02m"],
  ];
  for (const [ms, text] of cases) it(`${ms} ms → ${text}`, () => assert.equal(formatEta(ms), text));
});
