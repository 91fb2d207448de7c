import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { emptyStats } from "../../src/bulk/batcher.js";
import type { BulkReport, InputReport } from "../../src/bulk/bulk.js";
import { InterruptedError } from "../../src/errors.js";
import { reportBulk } from "../../src/output/bulk-report.js";
import { createOutput } from "../../src/output/output.js";
import { Redactor } from "../../src/transport/redact.js";

function capture(): Writable & { text(): string } {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return Object.assign(stream, { text: () => text });
}

const none = { delivered: 0, warned: 0, failed: 0, rejected: 0, unsent: 0 };
const noRanges = { delivered: [], warned: [], failed: [], rejected: [], unsent: [] };

/** big.log: 1000 lines read, 900 delivered, 100 cut off by Ctrl-C; other.log never opened. */
function interrupted(): BulkReport {
  const big: InputReport = {
    source: { kind: "file", name: "big.log" },
    stats: { ...emptyStats(), records: 1000, bytesRead: 20_000 },
    finished: false,
    ledger: {
      source: "big.log",
      ranges: { ...noRanges, delivered: [[1, 900]], unsent: [[901, 1000]] },
      moreRanges: { ...none },
      counts: { ...none, delivered: 900, unsent: 100 },
      last: 1000,
    },
    notSentFrom: 901,
    startOffset: 0,
    deliveredOffset: 18_000,
  };
  const other: InputReport = {
    source: { kind: "file", name: "other log.gz" },
    stats: undefined,
    finished: false,
    ledger: { source: "other log.gz", ranges: noRanges, moreRanges: none, counts: none, last: 0 },
    notSentFrom: undefined,
    startOffset: 0,
    deliveredOffset: 0,
  };
  return {
    inputs: [big, other],
    totals: {
      ...emptyStats(),
      records: 1000,
      bytesRead: 20_000,
      delivered: 900,
      warned: 0,
      failed: 0,
      undelivered: 100,
    },
    requests: 9,
    deliveredSize: 900,
    failure: new InterruptedError(),
    exitCode: 130,
  };
}

function run(json: boolean): { stdout: string; stderr: string } {
  const stdout = capture();
  const stderr = capture();
  const output = createOutput({
    stdout,
    stderr,
    env: {},
    json,
    quiet: false,
    verbose: false,
    color: false,
    redactor: new Redactor(),
  });
  reportBulk(output, interrupted(), {
    dryRun: false,
    gzip: false,
    bytesSent: 18_000,
    retries: 0,
    durationMs: 2000,
  });
  return { stdout: stdout.text(), stderr: stderr.text() };
}

describe("the bulk report of a run that stopped", () => {
  it("says read, delivered and not sent, and how to resume", () => {
    const lines = run(false).stdout.split("\n");
    assert.equal(
      lines[2],
      "delivered 900 of 1000 lines read before the run stopped, from 2 files in 9 requests (0 empty skipped, 0 rejected, 0 retries)",
    );
    assert.equal(
      lines[3],
      "not sent: 100 lines read and the rest not read; to resume, send again: big.log from line 901 on, other log.gz (not read) (e.g. `tail -n +901 big.log | evsend … -` with the same options)",
    );
  });

  it("--json: one word, notSent, in results and the summary", () => {
    const [big, , summary] = run(true)
      .stdout.trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(big?.notSent, 100);
    assert.equal(big?.unsent, undefined);
    assert.deepEqual((big?.ranges as Record<string, unknown>).notSent, [[901, 1000]]);
    assert.equal(summary?.notSent, 100);
    assert.equal(summary?.failed, 0);
  });
});
