import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RejectedError } from "../../src/errors.js";
import { emptyStats, type BatchStats } from "../../src/bulk/batcher.js";
import { deliverBatches, type SendOutcome } from "../../src/bulk/deliver.js";
import type { EngineEvent } from "../../src/bulk/engine.js";
import { RecordLedger } from "../../src/bulk/ledger.js";
import { RecordBatcher, recordKind, splitRecordBatch } from "../../src/bulk/record-batcher.js";
import type { BulkSpec, RecordBatch, RecordEvent, RecordLimits } from "../../src/bulk/records.js";

const POINTS = { record: "row", records: "rows", weight: "points" };

/** A record at `line` of weight `weight` whose value is its line. */
function rec(line: number, weight = 1): RecordEvent<number> {
  return { type: "record", line, value: line, weight };
}

type Seen = Array<["batch", number[], number] | ["rejected", number, string]>;

/** Runs events of one input "f" through a batcher: batches as [values, weight], rejects. */
function batch(limits: RecordLimits, events: RecordEvent<number>[], stats?: BatchStats): Seen {
  const batcher = new RecordBatcher<number>(limits, POINTS);
  batcher.begin("f", stats ?? emptyStats());
  const out: EngineEvent<RecordBatch<number>>[] = [];
  for (const event of events) out.push(...batcher.add(event));
  out.push(...batcher.end());
  return out.map((e) =>
    e.type === "batch"
      ? ["batch", e.batch.values, e.batch.weight]
      : ["rejected", e.record.lineNumber, e.record.reason],
  );
}

describe("RecordBatcher", () => {
  it("closes a batch before its weight would pass maxWeight (the points limit)", () => {
    const limits = { maxWeight: 10, maxRecords: 100, hardWeight: 10 };
    assert.deepEqual(batch(limits, [rec(1, 4), rec(2, 6), rec(3, 1), rec(4, 9), rec(5, 1)]), [
      ["batch", [1, 2], 10],
      ["batch", [3, 4], 10],
      ["batch", [5], 1],
    ]);
  });

  it("closes a batch at maxRecords; maxRecords 1 is one record per request", () => {
    const limits = { maxWeight: Infinity, maxRecords: 1, hardWeight: Infinity };
    assert.deepEqual(batch(limits, [rec(1), rec(2), rec(4)]), [
      ["batch", [1], 1],
      ["batch", [2], 1],
      ["batch", [4], 1],
    ]);
    assert.deepEqual(batch({ ...limits, maxRecords: 2 }, [rec(1), rec(2), rec(3)]), [
      ["batch", [1, 2], 2],
      ["batch", [3], 1],
    ]);
  });

  it("a record heavier than maxWeight but within hardWeight goes alone in its own request", () => {
    const limits = { maxWeight: 10, maxRecords: 100, hardWeight: 50 };
    assert.deepEqual(batch(limits, [rec(1, 3), rec(2, 30), rec(3, 3)]), [
      ["batch", [1], 3],
      ["batch", [2], 30],
      ["batch", [3], 3],
    ]);
  });

  it("a record over hardWeight is rejected with its line, counted, and the rest goes on", () => {
    const limits = { maxWeight: 10, maxRecords: 100, hardWeight: 50 };
    const stats = emptyStats();
    assert.deepEqual(batch(limits, [rec(1, 3), rec(2, 51), rec(3, 3)], stats), [
      ["batch", [1], 3],
      ["rejected", 2, "row of 51 points is over the limit of 50 points per request"],
      ["batch", [3], 3],
    ]);
    assert.equal(stats.rejected, 1);
  });

  it("a parser's reject is passed on and counted, after the batch before it (line order)", () => {
    const stats = emptyStats();
    const events: RecordEvent<number>[] = [
      rec(2),
      { type: "rejected", line: 3, reason: "bad date" },
      rec(4),
    ];
    const limits = { maxWeight: 10, maxRecords: 100, hardWeight: 10 };
    assert.deepEqual(batch(limits, events, stats), [
      ["batch", [2], 1],
      ["rejected", 3, "bad date"],
      ["batch", [4], 1],
    ]);
    assert.equal(stats.rejected, 1);
  });

  it("segments: one per input; a reject ends the batch, so the ledger gets lines in order", () => {
    const batcher = new RecordBatcher<number>(
      { maxWeight: 100, maxRecords: 100, hardWeight: 100 },
      POINTS,
    );
    const out: EngineEvent<RecordBatch<number>>[] = [];
    batcher.begin("a", emptyStats());
    for (const e of [rec(2), rec(3), { type: "rejected", line: 4, reason: "x" } as const, rec(6)])
      out.push(...batcher.add(e));
    batcher.begin("b", emptyStats());
    out.push(...batcher.add(rec(1)), ...batcher.end());
    assert.deepEqual(
      out.map((e) => (e.type === "batch" ? e.batch.segments : e.record.lineNumber)),
      [
        [{ source: "a", lines: [2, 3] }],
        4,
        [
          { source: "a", lines: [6, 6] },
          { source: "b", lines: [1, 1] },
        ],
      ],
    );
    const ledger = new RecordLedger();
    for (const e of out) {
      if (e.type === "rejected") ledger.record(e.record.source, [4, 4], "rejected");
      else for (const s of e.batch.segments) ledger.record(s.source, s.lines, "delivered");
    }
    assert.deepEqual(ledger.entry("a").ranges.delivered, [
      [2, 3],
      [6, 6],
    ]);
    assert.deepEqual(ledger.entry("a").ranges.rejected, [[4, 4]]);
  });
});

describe("splitRecordBatch", () => {
  it("halves where the weight passes the middle; each half keeps its lines and weights", () => {
    const whole: RecordBatch<string> = {
      values: ["a", "b", "c", "d"],
      segments: [{ source: "f", lines: [1, 2, 5, 6] }],
      weight: 10,
      weights: [1, 4, 4, 1],
    };
    const [head, tail] = splitRecordBatch(whole);
    assert.deepEqual(head, {
      values: ["a", "b"],
      segments: [{ source: "f", lines: [1, 2] }],
      weight: 5,
      weights: [1, 4],
    });
    assert.deepEqual(tail, {
      values: ["c", "d"],
      segments: [{ source: "f", lines: [5, 6] }],
      weight: 5,
      weights: [4, 1],
    });
  });

  it("a packed batch is unpacked to be halved; the halves hold their values", () => {
    const batcher = new RecordBatcher<string>(
      { maxWeight: 10, maxRecords: 100, hardWeight: 10 },
      POINTS,
      (values) => ({
        unpack: () => ({ values: values.map((v) => v.toUpperCase()), weights: [1, 4, 4, 1] }),
      }),
    );
    batcher.begin("f", emptyStats());
    const take = (line: number, value: string, weight: number): RecordEvent<string> => ({
      type: "record",
      line,
      value,
      weight,
    });
    batcher.add(take(1, "a", 1));
    batcher.add(take(2, "b", 4));
    batcher.add(take(3, "c", 4));
    batcher.add(take(4, "d", 1));
    const [event] = batcher.end();
    assert.equal(event?.type, "batch");
    const whole = (event as { batch: RecordBatch<string> }).batch;
    assert.deepEqual(whole.values, [], "packed: the records' objects are not held");
    assert.equal(whole.weights, undefined, "nor their weights: the packed form gives them back");
    assert.ok(whole.packed);
    const [head, tail] = splitRecordBatch(whole);
    assert.deepEqual(
      [head.values, tail.values],
      [
        ["A", "B"],
        ["C", "D"],
      ],
    );
    assert.deepEqual(
      [head.weights, tail.weights],
      [
        [1, 4],
        [4, 1],
      ],
    );
    assert.equal(head.packed, undefined);
  });

  it("a delivered packed batch is released (its memory reused); one without packing, nothing", () => {
    let released = 0;
    const packed = { unpack: () => ({ values: [], weights: [] }), release: () => (released += 1) };
    const kind = recordKind(spec({ maxWeight: 10, maxRecords: 100, hardWeight: 10 }));
    kind.release({ values: [], packed, segments: [], weight: 1 });
    kind.release({ values: [1], segments: [], weight: 1 });
    assert.equal(released, 1);
  });

  it("a heavy first record still leaves the second half non-empty", () => {
    const [head, tail] = splitRecordBatch({
      values: [1, 2],
      segments: [{ source: "f", lines: [1, 2] }],
      weight: 10,
      weights: [9, 1],
    });
    assert.deepEqual([head.values, tail.values], [[1], [2]]);
  });
});

/** A spec for delivery tests; only limits and words matter there. */
function spec(limits: RecordLimits): BulkSpec<number> {
  return {
    parse: async function* () {},
    limits,
    send: async () => ({ ok: true }),
    words: POINTS,
    batchOption: "--batch-points",
  };
}

async function* one(b: RecordBatch<number>): AsyncGenerator<EngineEvent<RecordBatch<number>>> {
  yield { type: "batch", batch: b };
}

function rows(first: number, count: number, weight = 1): RecordBatch<number> {
  const values = Array.from({ length: count }, (_, i) => first + i);
  return {
    values,
    segments: [{ source: "f", lines: [first, first + count - 1] }],
    weight: count * weight,
    weights: values.map(() => weight),
  };
}

describe("delivering record batches", () => {
  it("batches of records are read ahead; one event per request is not", () => {
    const batching = spec({ maxWeight: 5000, maxRecords: Infinity, hardWeight: Infinity });
    assert.equal(recordKind(batching).readAhead, true);
    const single = spec({ maxWeight: Infinity, maxRecords: 1, hardWeight: Infinity });
    assert.equal(recordKind(single).readAhead, false);
  });

  it("413 halves a batch of records down to one, which is rejected; the rest delivered", async () => {
    const ledger = new RecordLedger();
    const sent: number[][] = [];
    const rejected: string[] = [];
    const result = await deliverBatches(one(rows(1, 4, 100)), {
      kind: recordKind(spec({ maxWeight: 400, maxRecords: 100, hardWeight: 400 })),
      concurrency: 1,
      ledger,
      signal: new AbortController().signal,
      onRejected: (line) => rejected.push(`${line.lineNumber}: ${line.reason}`),
      send: async (b): Promise<SendOutcome> => {
        sent.push(b.values);
        return b.values.length > 2 || b.values.includes(4)
          ? { ok: false, tooLarge: true }
          : { ok: true };
      },
    });
    assert.deepEqual(sent, [[1, 2, 3, 4], [1, 2], [3, 4], [3], [4]]);
    assert.equal(result.firstError, undefined);
    assert.equal(result.deliveredSize, 300);
    assert.deepEqual(rejected, ["4: the server refused the row as too large (HTTP 413)"]);
    assert.deepEqual(ledger.entry("f").ranges.delivered, [[1, 3]]);
  });

  it("a 413 under 1/8 of the points limit stops the run, naming --batch-points", async () => {
    const result = await deliverBatches(one(rows(1, 4, 10)), {
      kind: recordKind(spec({ maxWeight: 5000, maxRecords: 100000, hardWeight: 5000 })),
      concurrency: 1,
      ledger: new RecordLedger(),
      signal: new AbortController().signal,
      onRejected: () => {},
      send: async () => ({ ok: false, tooLarge: true }),
    });
    assert.match(
      result.firstError?.message ?? "",
      /^the server refused a 40 points request body as too large \(HTTP 413\), far under the batch size of 5000 points/,
    );
    assert.ok(result.firstError instanceof RejectedError);
    assert.match(result.firstError.hint ?? "", /lower --batch-points under 40 points$/);
  });

  it("one record per request: a 413 rejects that record and the run goes on", async () => {
    async function* three(): AsyncGenerator<EngineEvent<RecordBatch<number>>> {
      for (const n of [1, 2, 3]) yield { type: "batch", batch: rows(n, 1) };
    }
    const ledger = new RecordLedger();
    const result = await deliverBatches(three(), {
      kind: recordKind(spec({ maxWeight: Infinity, maxRecords: 1, hardWeight: Infinity })),
      concurrency: 1,
      ledger,
      signal: new AbortController().signal,
      onRejected: () => {},
      send: async (b) => (b.values[0] === 2 ? { ok: false, tooLarge: true } : { ok: true }),
    });
    assert.equal(result.firstError, undefined);
    assert.deepEqual(ledger.entry("f").ranges.rejected, [[2, 2]]);
    assert.deepEqual(ledger.entry("f").counts.delivered, 2);
  });

  it("warned: delivered with a warning, counted as warned in the ledger and told once each", async () => {
    async function* two(): AsyncGenerator<EngineEvent<RecordBatch<number>>> {
      yield { type: "batch", batch: rows(1, 1) };
      yield { type: "batch", batch: rows(2, 1) };
    }
    const ledger = new RecordLedger();
    const warnings: string[] = [];
    const result = await deliverBatches(two(), {
      kind: recordKind(spec({ maxWeight: Infinity, maxRecords: 1, hardWeight: Infinity })),
      concurrency: 2,
      ledger,
      signal: new AbortController().signal,
      onRejected: () => {},
      onWarned: (b, warning) => warnings.push(`${b.values[0]}: ${warning}`),
      send: async (b) => (b.values[0] === 2 ? { ok: true, warned: "no contract" } : { ok: true }),
    });
    assert.equal(result.firstError, undefined);
    assert.deepEqual(warnings, ["2: no contract"]);
    const { counts, ranges } = ledger.entry("f");
    assert.deepEqual([counts.delivered, counts.warned], [1, 1]);
    assert.deepEqual(ranges.warned, [[2, 2]]);
  });
});

describe("RecordBatcher: segment byte ranges (--rejects copies a refused batch by them)", () => {
  it("a segment spans its records' bytes, from where the last event ended; unknown without ends", () => {
    const limits = { maxWeight: Infinity, maxRecords: 2, hardWeight: Infinity };
    const batcher = new RecordBatcher<number>(limits, POINTS);
    batcher.begin("f", emptyStats(), 5);
    const at = (line: number, end?: number): RecordEvent<number> => ({
      type: "record",
      line,
      value: line,
      weight: 1,
      ...(end !== undefined ? { end } : {}),
    });
    const out = [
      ...batcher.add(at(2, 10)),
      ...batcher.add(at(3, 18)),
      ...batcher.add({ type: "rejected", line: 4, reason: "bad", end: 25 }),
      ...batcher.add(at(6, 40)),
      ...batcher.add(at(7)),
      ...batcher.end(),
    ];
    const ranges = out.map((e) =>
      e.type === "batch" ? e.batch.segments.map((s) => s.bytes) : e.record.range,
    );
    assert.deepEqual(ranges, [[{ start: 5, end: 18 }], { start: 18, end: 25 }, [undefined]]);
  });
});
