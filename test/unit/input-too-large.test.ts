import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RejectedError } from "../../src/errors.js";
import type { Batch, BatchEvent, RejectedRecord } from "../../src/bulk/batcher.js";
import { bulkExitCode } from "../../src/bulk/bulk.js";
import { deliverBatches, type SendOutcome } from "../../src/bulk/deliver.js";
import { lineKind } from "../../src/bulk/line-engine.js";
import { RecordLedger } from "../../src/bulk/ledger.js";
import { countSegmentRecords } from "../../src/bulk/segments.js";
import { TooLargeTracker } from "../../src/bulk/too-large.js";

/** `count` lines `line<N>` of input `source`, from line `first`. */
function batch(first: number, count: number, source = "f"): Batch {
  const numbers = Array.from({ length: count }, (_, i) => first + i);
  const body = Buffer.from(numbers.map((n) => `line${n}`).join("\n"));
  return { body, segments: [{ source, lines: [first, first + count - 1] }], release: () => {} };
}

async function* events(list: Batch[]): AsyncGenerator<BatchEvent> {
  for (const b of list) yield { type: "batch", batch: b };
}

/** Delivers the batches to a fake server; returns what it saw and what came of it. */
async function deliver(
  list: Batch[],
  maxBatchBytes: number,
  answer: (body: Buffer) => SendOutcome,
) {
  const ledger = new RecordLedger();
  const sizes: number[] = [];
  const rejected: RejectedRecord[] = [];
  const result = await deliverBatches(events(list), {
    kind: lineKind(maxBatchBytes),
    concurrency: 1,
    ledger,
    signal: new AbortController().signal,
    onRejected: (line) => rejected.push(line),
    send: async (b) => {
      sizes.push(b.body.length);
      return answer(b.body);
    },
  });
  return { result, ledger, sizes, rejected };
}

const TOO_LARGE: SendOutcome = { ok: false, tooLarge: true };

describe("413 answers", () => {
  it("a server that refuses everything: a handful of requests, not one per line; exit 1", async () => {
    // 5,000 lines (~44 KB) in one batch; halving stops under 1/8 of the 64 KiB batch size.
    const { result, ledger, sizes } = await deliver([batch(1, 5000)], 64 * 1024, () => TOO_LARGE);
    assert.ok(sizes.length <= 5, `${sizes.length} requests`);
    assert.ok(result.firstError instanceof RejectedError);
    assert.match(
      result.firstError.message,
      /^the server refused a 5\.\d KiB \(\d+ bytes\) request body as too large \(HTTP 413\), far under the batch size of 64\.0 KiB: largest body accepted none, smallest refused 5\.\d KiB \(\d+ bytes\)$/,
    );
    assert.match(result.firstError.hint ?? "", /lower --batch-size under 5\.\d KiB/);
    const { counts } = ledger.entry("f");
    assert.equal(counts.delivered, 0);
    assert.equal(counts.failed + counts.unsent, 5000);
    assert.equal(bulkExitCode(result.firstError, 0, true), 1);
  });

  it("some delivered, then only 413s: the error says the largest accepted; exit 6", async () => {
    let calls = 0;
    const { result, ledger } = await deliver([batch(1, 100), batch(101, 100)], 8192, () =>
      calls++ === 0 ? { ok: true } : TOO_LARGE,
    );
    assert.ok(result.firstError instanceof RejectedError);
    assert.match(result.firstError.message, /largest body accepted 691 B, smallest refused 799 B$/);
    assert.deepEqual(ledger.entry("f").ranges.delivered, [[1, 100]]);
    assert.equal(bulkExitCode(result.firstError, 100, true), 6);
  });

  it("a proxy limit under the batch size: halves get through; later batches are halved first", async () => {
    // Batches of ~900 bytes, the server takes at most 300: 413 at ~900 and ~450, then ~225.
    const list = [batch(1, 100), batch(101, 100), batch(201, 100)];
    const { result, ledger, sizes } = await deliver(list, 1024, (body) =>
      body.length > 300 ? TOO_LARGE : { ok: true },
    );
    assert.equal(result.firstError, undefined);
    assert.deepEqual(ledger.entry("f").ranges.delivered, [[1, 300]]);
    const refused = sizes.filter((n) => n > 300);
    // Only the first batch finds the limit; the others are not sent whole again.
    assert.ok(refused.length <= 4, `${refused.length} refused requests: ${sizes.join(" ")}`);
    assert.equal(result.requests, sizes.length);
  });

  it("one line over the server's limit, but not far under the batch size: rejected, the rest goes", async () => {
    const big: Batch = {
      body: Buffer.from(`ok1\n${"x".repeat(500)}\nok3`),
      segments: [{ source: "f", lines: [1, 3] }],
      release: () => {},
    };
    const { result, ledger, rejected } = await deliver([big], 1024, (body) =>
      body.length > 200 ? TOO_LARGE : { ok: true },
    );
    assert.equal(result.firstError, undefined);
    assert.deepEqual(
      rejected.map((r) => [r.lineNumber, r.reason]),
      [[2, "the server refused the line as too large (HTTP 413)"]],
    );
    assert.deepEqual(ledger.entry("f").ranges.delivered, [
      [1, 1],
      [3, 3],
    ]);
  });

  it("a 413 split keeps every line accounted to its own file", async () => {
    const shared: Batch = {
      body: Buffer.from("a1\na2\nb1\nc1\nc2\nc3"),
      segments: [
        { source: "a", lines: [1, 2] },
        { source: "b", lines: [1, 1] },
        { source: "c", lines: [1, 1, 3, 4] },
      ],
      release: () => {},
    };
    const seen: string[] = [];
    const { ledger } = await deliver([shared], 16, (body) => {
      seen.push(body.toString().replaceAll("\n", ","));
      return body.length > 8 ? TOO_LARGE : { ok: true };
    });
    assert.deepEqual(seen, ["a1,a2,b1,c1,c2,c3", "a1,a2,b1", "c1,c2,c3"]);
    assert.deepEqual(ledger.entry("a").ranges.delivered, [[1, 2]]);
    assert.deepEqual(ledger.entry("b").ranges.delivered, [[1, 1]]);
    assert.deepEqual(ledger.entry("c").ranges.delivered, [[1, 4]]);
    assert.equal(ledger.entry("c").counts.delivered, 3);
    assert.equal(countSegmentRecords(shared.segments), 6);
  });
});

describe("TooLargeTracker", () => {
  it("the floor is 1/8 of the batch size, at most 1 MiB", () => {
    assert.equal(new TooLargeTracker(4 * 1024 * 1024).floor, 512 * 1024);
    assert.equal(new TooLargeTracker(32 * 1024 * 1024).floor, 1024 * 1024);
    assert.equal(new TooLargeTracker(1024).floor, 128);
  });
  it("splits at and over the floor, stops under it; remembers the smallest refused", () => {
    const tracker = new TooLargeTracker(8000);
    assert.equal(tracker.refused(1000), undefined);
    assert.ok(tracker.known(1000) && tracker.known(5000) && !tracker.known(999));
    assert.ok(tracker.refused(999) instanceof RejectedError);
  });
});
