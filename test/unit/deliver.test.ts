import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import {
  AuthError,
  InputError,
  InterruptedError,
  RejectedError,
  UnavailableError,
} from "../../src/errors.js";
import { AckedProgress } from "../../src/bulk/acked.js";
import type { Batch, BatchEvent, RejectedRecord } from "../../src/bulk/batcher.js";
import { bulkExitCode } from "../../src/bulk/bulk.js";
import { deliverBatches, type SendOutcome } from "../../src/bulk/deliver.js";
import { lineKind, splitBatch } from "../../src/bulk/line-engine.js";
import { RecordLedger, formatRanges } from "../../src/bulk/ledger.js";
import { countLines, listLines, splitRuns } from "../../src/bulk/runs.js";

function batch(first: number, count: number, source = "f"): Batch {
  const numbers = Array.from({ length: count }, (_, i) => first + i);
  const body = Buffer.from(numbers.map((n) => `line${n}`).join("\n"));
  return { body, segments: [{ source, lines: [first, first + count - 1] }], release: () => {} };
}

/** Every line number of a batch of one input. */
function linesOf(b: Batch): number[] {
  return b.segments.flatMap((s) => listLines(s.lines));
}

async function* events(list: BatchEvent[], pulled?: { n: number }): AsyncGenerator<BatchEvent> {
  for (const event of list) {
    if (pulled) pulled.n += 1;
    yield event;
  }
}

const noSignal = new AbortController().signal;

describe("splitBatch", () => {
  it("cuts at the line boundary nearest the middle byte", () => {
    const [a, b] = splitBatch(batch(1, 4));
    assert.equal(a.body.toString(), "line1\nline2");
    assert.deepEqual(linesOf(a), [1, 2]);
    assert.equal(b.body.toString(), "line3\nline4");
    assert.deepEqual(linesOf(b), [3, 4]);
  });
  it("two lines of very different sizes still split into one each", () => {
    const big: Batch = {
      body: Buffer.from("x".repeat(100) + "\ny"),
      segments: [{ source: "f", lines: [3, 3, 7, 7] }],
      release: () => {},
    };
    const [a, b] = splitBatch(big);
    assert.deepEqual([linesOf(a), linesOf(b), b.body.toString()], [[3], [7], "y"]);
  });
});

describe("line runs", () => {
  it("split and count", () => {
    const runs = [1, 3, 5, 5, 8, 9];
    assert.equal(countLines(runs), 6);
    assert.deepEqual(splitRuns(runs, 0), [[], runs]);
    assert.deepEqual(splitRuns(runs, 2), [
      [1, 2],
      [3, 3, 5, 5, 8, 9],
    ]);
    assert.deepEqual(splitRuns(runs, 4), [
      [1, 3, 5, 5],
      [8, 9],
    ]);
    assert.deepEqual(splitRuns(runs, 5), [
      [1, 3, 5, 5, 8, 8],
      [9, 9],
    ]);
    assert.deepEqual(listLines(runs), [1, 2, 3, 5, 8, 9]);
  });
});

describe("deliverBatches", () => {
  it("keeps at most `concurrency` in flight and reads ahead no further", async () => {
    let inFlight = 0;
    let peak = 0;
    const pulled = { n: 0 };
    let peakAhead = 0;
    let done = 0;
    const list = Array.from({ length: 20 }, (_, i): BatchEvent => ({
      type: "batch",
      batch: batch(i * 10 + 1, 10),
    }));
    const ledger = new RecordLedger();
    const result = await deliverBatches(events(list, pulled), {
      kind: lineKind(1024),
      concurrency: 3,
      ledger,
      signal: noSignal,
      onRejected: () => {},
      send: async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        peakAhead = Math.max(peakAhead, pulled.n - done);
        await sleep(2);
        inFlight -= 1;
        done += 1;
        return { ok: true };
      },
    });
    assert.equal(peak, 3);
    assert.ok(peakAhead <= 3, `read ${peakAhead} batches ahead`);
    assert.equal(result.requests, 20);
    assert.deepEqual(ledger.entry("f").ranges.delivered, [[1, 200]]);
  });

  it("a kind that reads ahead builds the next batch while every slot is busy, one batch ahead", async () => {
    const pulled = { n: 0 };
    const aheadWhileSending: number[] = [];
    let done = 0;
    const list = Array.from({ length: 6 }, (_, i): BatchEvent => ({
      type: "batch",
      batch: batch(i * 10 + 1, 10),
    }));
    const ledger = new RecordLedger();
    const result = await deliverBatches(events(list, pulled), {
      kind: { ...lineKind(1024), readAhead: true },
      concurrency: 1,
      ledger,
      signal: noSignal,
      onRejected: () => {},
      send: async () => {
        await sleep(5);
        aheadWhileSending.push(pulled.n - done);
        done += 1;
        return { ok: true };
      },
    });
    // While a request waits, the batch after it is already read (the last one has none after it).
    assert.deepEqual(aheadWhileSending, [2, 2, 2, 2, 2, 1]);
    assert.equal(result.requests, 6);
    assert.deepEqual(ledger.entry("f").ranges.delivered, [[1, 60]]);
  });

  it("a batch read ahead is not sent after a failure: its lines are where sending stopped", async () => {
    const list = Array.from({ length: 5 }, (_, i): BatchEvent => ({
      type: "batch",
      batch: batch(i * 5 + 1, 5),
    }));
    const ledger = new RecordLedger();
    const sent: number[] = [];
    const error = new AuthError("no");
    const result = await deliverBatches(events(list), {
      kind: { ...lineKind(1024), readAhead: true },
      concurrency: 1,
      ledger,
      signal: noSignal,
      onRejected: () => {},
      send: async (b) => {
        sent.push(linesOf(b)[0]!);
        return linesOf(b)[0] === 6 ? { ok: false, error } : { ok: true };
      },
    });
    assert.equal(result.firstError, error);
    assert.deepEqual(sent, [1, 6]);
    const entry = ledger.entry("f");
    assert.deepEqual([entry.ranges.delivered, entry.ranges.failed], [[[1, 5]], [[6, 10]]]);
    assert.equal(entry.last, 10);
  });

  it("413 splits the batch in halves down to one line, which is rejected", async () => {
    const ledger = new RecordLedger();
    const rejected: RejectedRecord[] = [];
    const sent: number[][] = [];
    const result = await deliverBatches(events([{ type: "batch", batch: batch(1, 4) }]), {
      kind: lineKind(8), // a 413 stops the run under 1 byte: never, here
      concurrency: 2,
      ledger,
      signal: noSignal,
      onRejected: (line) => rejected.push(line),
      send: async (b): Promise<SendOutcome> => {
        sent.push(linesOf(b));
        // The server takes at most 2 lines, and never line 4.
        return linesOf(b).length > 2 || linesOf(b).includes(4)
          ? { ok: false, tooLarge: true }
          : { ok: true };
      },
    });
    assert.deepEqual(sent, [[1, 2, 3, 4], [1, 2], [3, 4], [3], [4]]);
    assert.equal(result.requests, 5);
    assert.equal(result.firstError, undefined);
    assert.deepEqual(
      rejected.map((r) => r.lineNumber),
      [4],
    );
    const entry = ledger.entry("f");
    assert.deepEqual(entry.ranges.delivered, [[1, 3]]);
    assert.deepEqual(entry.ranges.rejected, [[4, 4]]);
  });

  it("a failure stops reading; lines are accounted as delivered and failed", async () => {
    const pulled = { n: 0 };
    const list = Array.from({ length: 10 }, (_, i): BatchEvent => ({
      type: "batch",
      batch: batch(i * 5 + 1, 5),
    }));
    const ledger = new RecordLedger();
    const error = new AuthError("no");
    const result = await deliverBatches(events(list, pulled), {
      kind: lineKind(1024),
      concurrency: 1,
      ledger,
      signal: noSignal,
      onRejected: () => {},
      send: async (b) => (linesOf(b)[0] === 11 ? { ok: false, error } : { ok: true }),
    });
    assert.equal(result.firstError, error);
    assert.equal(pulled.n, 3);
    const entry = ledger.entry("f");
    assert.deepEqual(entry.ranges.delivered, [[1, 10]]);
    assert.deepEqual(entry.ranges.failed, [[11, 15]]);
  });

  it("a batch refused for good is rejected when onRefused keeps it, and the run goes on", async () => {
    const list = Array.from({ length: 4 }, (_, i): BatchEvent => ({
      type: "batch",
      batch: batch(i * 5 + 1, 5),
    }));
    const refusal = new RejectedError("bad request (HTTP 400)");
    const send = async (b: Batch): Promise<SendOutcome> =>
      linesOf(b)[0] === 6 ? { ok: false, error: refusal } : { ok: true };
    const kept: Array<[number[], Error]> = [];
    const acked = new AckedProgress();
    let ledger = new RecordLedger();
    let result = await deliverBatches(events(list), {
      kind: lineKind(1024),
      concurrency: 1,
      ledger,
      acked,
      signal: noSignal,
      onRejected: () => {},
      onRefused: (b, error) => (kept.push([linesOf(b), error]), true),
      send,
    });
    assert.equal(result.firstError, undefined);
    assert.deepEqual(kept, [[[6, 7, 8, 9, 10], refusal]]);
    let entry = ledger.entry("f");
    assert.deepEqual(entry.ranges.delivered, [
      [1, 5],
      [11, 20],
    ]);
    assert.deepEqual(entry.ranges.rejected, [[6, 10]]);
    assert.equal(acked.records, 20, "the rejected batch is settled: progress goes past it");

    // Any other failure (here: unavailable) still stops the run; so does onRefused saying no.
    for (const [error, keep] of [
      [new UnavailableError("down"), true],
      [refusal, false],
    ] as const) {
      ledger = new RecordLedger();
      result = await deliverBatches(events(list), {
        kind: lineKind(1024),
        concurrency: 1,
        ledger,
        signal: noSignal,
        onRejected: () => {},
        onRefused: () => keep,
        send: async (b) => (linesOf(b)[0] === 6 ? { ok: false, error } : { ok: true }),
      });
      assert.equal(result.firstError, error);
      entry = ledger.entry("f");
      assert.deepEqual(entry.ranges.failed, [[6, 10]]);
      assert.deepEqual(entry.ranges.rejected, []);
    }
  });

  it("gives a body back for reuse only when every answer accepted it", async () => {
    const released: number[] = [];
    const list = [1, 2, 3].map((n): BatchEvent => {
      const b = batch(n * 10, 2);
      return { type: "batch", batch: { ...b, release: () => released.push(n * 10) } };
    });
    await deliverBatches(events(list), {
      kind: lineKind(8),
      concurrency: 1,
      ledger: new RecordLedger(),
      signal: noSignal,
      onRejected: () => {},
      send: async (b): Promise<SendOutcome> =>
        b.segments[0]?.lines[0] === 20 ? { ok: false, tooLarge: true } : { ok: true },
    });
    // 20: its answer was a 413 (then its halves were accepted); the server may not have read it.
    assert.deepEqual(released, [10, 30]);
  });

  it("a read error stops the run and is reported as the failure", async () => {
    async function* broken(): AsyncGenerator<BatchEvent> {
      yield { type: "batch", batch: batch(1, 2) };
      throw new InputError("f: not valid gzip data");
    }
    const ledger = new RecordLedger();
    const result = await deliverBatches(broken(), {
      kind: lineKind(1024),
      concurrency: 2,
      ledger,
      signal: noSignal,
      onRejected: () => {},
      send: async () => ({ ok: true }),
    });
    assert.ok(result.firstError instanceof InputError);
    assert.deepEqual(ledger.entry("f").ranges.delivered, [[1, 2]]);
  });

  it("an aborted signal stops reading", async () => {
    const controller = new AbortController();
    const pulled = { n: 0 };
    const list = Array.from({ length: 10 }, (_, i): BatchEvent => ({
      type: "batch",
      batch: batch(i + 1, 1),
    }));
    await deliverBatches(events(list, pulled), {
      kind: lineKind(1024),
      concurrency: 1,
      ledger: new RecordLedger(),
      signal: controller.signal,
      onRejected: () => {},
      send: async () => {
        controller.abort();
        return { ok: true };
      },
    });
    assert.equal(pulled.n, 1);
  });
});

describe("RecordLedger and formatRanges", () => {
  it("merges adjacent spans of one status across empty lines, recorded in line order", () => {
    const ledger = new RecordLedger();
    ledger.record("f", [1, 3, 5, 5], "delivered");
    ledger.record("f", [7, 7, 9, 9], "delivered");
    ledger.record("f", [10, 11], "failed");
    ledger.record("f", [12, 12], "delivered");
    const entry = ledger.entry("f");
    assert.deepEqual(entry.ranges.delivered, [
      [1, 9],
      [12, 12],
    ]);
    assert.deepEqual(entry.ranges.failed, [[10, 11]]);
    assert.deepEqual(entry.counts, {
      delivered: 7,
      warned: 0,
      failed: 2,
      rejected: 0,
      unsent: 0,
    });
    assert.deepEqual(ledger.entry("other").counts, {
      delivered: 0,
      warned: 0,
      failed: 0,
      rejected: 0,
      unsent: 0,
    });
  });
  const cases: Array<[Array<[number, number]>, number, string]> = [
    [[], 10, ""],
    [[[4, 4]], 10, "4"],
    [
      [
        [1, 5],
        [7, 7],
        [9, 12],
      ],
      10,
      "1-5, 7, 9-12",
    ],
    [
      [
        [1, 1],
        [3, 3],
        [5, 5],
      ],
      2,
      "1, 3 and 1 more range",
    ],
  ];
  for (const [ranges, max, text] of cases) {
    it(`formatRanges → "${text}"`, () => assert.equal(formatRanges(ranges, max), text));
  }
});

describe("bulkExitCode", () => {
  const cases: Array<[string, Error | undefined, number, boolean, number]> = [
    ["all delivered", undefined, 10, false, 0],
    ["empty input", undefined, 0, false, 0],
    ["some rejected as too long", undefined, 9, true, 6],
    ["every line rejected", undefined, 0, true, 5],
    ["auth failure, nothing delivered", new AuthError("x"), 0, true, 4],
    ["unavailable, nothing delivered", new UnavailableError("x"), 0, true, 7],
    ["failure after some delivered", new UnavailableError("x"), 3, true, 6],
    ["read error, nothing delivered", new InputError("x"), 0, true, 5],
    ["interrupted", new InterruptedError(), 3, true, 130],
  ];
  for (const [name, failure, delivered, undelivered, code] of cases) {
    it(`${name} → ${code}`, () =>
      assert.equal(bulkExitCode(failure, delivered, undelivered), code));
  }
});
