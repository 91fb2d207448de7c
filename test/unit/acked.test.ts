import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AckedProgress, markOf, type InputMark } from "../../src/bulk/acked.js";
import { batchBufferBytes, emptyStats, type BatchEvent } from "../../src/bulk/batcher.js";
import { LineBatcher } from "../../src/bulk/line-batcher.js";
import { deliverBatches, type SendOutcome } from "../../src/bulk/deliver.js";
import type { EngineEvent } from "../../src/bulk/engine.js";
import { BufferPool } from "../../src/bulk/pool.js";
import { RecordLedger } from "../../src/bulk/ledger.js";
import { RecordBatcher, recordKind } from "../../src/bulk/record-batcher.js";
import type { RecordBatch } from "../../src/bulk/records.js";
import { listLines } from "../../src/bulk/runs.js";

function mark(source: string, bytes: number, ended = false, lines?: number): InputMark {
  return { source, bytes, stored: bytes, ended, ...(lines === undefined ? {} : { lines }) };
}

describe("markOf", () => {
  it("uncompressed: the stored offset is the offset read", () => {
    const stats = { ...emptyStats(), bytesRead: 1000, sourceBytes: 1000 };
    assert.deepEqual(markOf("f", stats, 400), mark("f", 400));
  });

  it("gzip: scaled by the ratio read so far; the whole stored size once the input ended", () => {
    const stats = { ...emptyStats(), bytesRead: 1000, sourceBytes: 250 };
    assert.deepEqual(markOf("f", stats, 400), {
      source: "f",
      bytes: 400,
      stored: 100,
      ended: false,
    });
    // Past what was read (a last line's missing newline): clamped.
    assert.equal(markOf("f", stats, 1001).bytes, 1000);
    assert.deepEqual(markOf("f", stats, 0, true), {
      source: "f",
      bytes: 1000,
      stored: 250,
      ended: true,
    });
  });
});

describe("AckedProgress", () => {
  it("a mark counts once its event and every event before it settled", () => {
    const acked = new AckedProgress();
    const first = acked.issue([mark("f", 10)]);
    const second = acked.issue([mark("f", 20)]);
    acked.settle(second);
    assert.equal(acked.inputs.get("f"), undefined, "the first is still in flight");
    acked.settled([mark("f", 25)]); // a rejected line behind them
    acked.settle(first);
    assert.deepEqual(acked.inputs.get("f"), { bytes: 25, stored: 25, ended: false });
  });

  it("an event never settled (a failure) holds everything after it", () => {
    const acked = new AckedProgress();
    acked.settle(acked.issue([mark("a", 5, true), mark("b", 3)]));
    acked.issue([mark("b", 9)]); // failed: never settled
    acked.settle(acked.issue([mark("b", 12)]));
    assert.deepEqual(
      [...acked.inputs],
      [
        ["a", { bytes: 5, stored: 5, ended: true }],
        ["b", { bytes: 3, stored: 3, ended: false }],
      ],
    );
  });
});

/** Where each line of `text` starts and ends (past its `\n`), by line number from 1. */
function lineOffsets(text: Buffer): Array<[number, number]> {
  const offsets: Array<[number, number]> = [[0, 0]];
  let start = 0;
  for (let nl = text.indexOf(10); nl !== -1; nl = text.indexOf(10, start)) {
    offsets.push([start, nl + 1]);
    start = nl + 1;
  }
  if (start < text.length) offsets.push([start, text.length]);
  return offsets;
}

/** Each event's lines and its mark of "f". */
function marked(events: BatchEvent[]): Array<{ lines: number[]; mark: InputMark | undefined }> {
  return events.map((e) => ({
    lines:
      e.type === "batch"
        ? e.batch.segments.flatMap((s) => listLines(s.lines))
        : [e.record.lineNumber],
    mark: e.marks?.find((m) => m.source === "f"),
  }));
}

/** A batcher of one input "f" over `text`: pushed in chunks of `chunk`, or read in place. */
function batchText(text: Buffer, max: number, chunk: number, inPlace: boolean): BatchEvent[] {
  const stats = emptyStats();
  const batcher = new LineBatcher({
    maxBatchBytes: max,
    hardBytes: max * 2,
    pool: new BufferPool(batchBufferBytes(max)),
  });
  batcher.begin("f", stats);
  const events: BatchEvent[] = [];
  for (let at = 0; at < text.length;) {
    const space = inPlace && at > 0 ? batcher.space() : undefined;
    if (space) {
      const n = text.copy(space.buffer, space.offset, at, at + Math.min(chunk, space.length));
      stats.sourceBytes += n;
      events.push(...batcher.filled(n));
      at += n;
    } else {
      const piece = text.subarray(at, at + chunk);
      stats.sourceBytes += piece.length;
      events.push(...batcher.push(Buffer.from(piece)));
      at += piece.length;
    }
  }
  events.push(...batcher.endInput(), ...batcher.end());
  return events;
}

describe("LineBatcher marks", () => {
  it("each event's mark: past its last line, before the next event's first", () => {
    const text = Buffer.from("a\nbb\n\nccc\r\ndddd");
    const events = marked(batchText(text, 4, 3, false));
    assert.deepEqual(events, [
      { lines: [1, 2], mark: mark("f", 6, false, 3) }, // empty line 3 taken too
      { lines: [4], mark: mark("f", 11, false, 4) },
      { lines: [5], mark: mark("f", 15, true, 5) },
    ]);
  });

  for (const inPlace of [false, true]) {
    it(`random text, ${inPlace ? "read in place" : "pushed in chunks"}: every mark in bounds`, () => {
      let state = 7;
      const next = (): number => (state = (state * 1103515245 + 12345) & 0x7fffffff);
      const alphabet = "aaaab\n\n\r";
      for (let round = 0; round < 40; round++) {
        const text = Buffer.alloc(300 + (next() % 300));
        for (let i = 0; i < text.length; i++)
          text[i] = alphabet.charCodeAt(next() % alphabet.length);
        const offsets = lineOffsets(text);
        const events = marked(batchText(text, 8 + (next() % 24), 1 + (next() % 40), inPlace));
        for (let i = 0; i < events.length; i++) {
          const { lines, mark: m } = events[i]!;
          assert.ok(m, `event ${i} has a mark`);
          assert.ok(m.bytes >= offsets[lines.at(-1)!]![1], `mark ${m.bytes} covers its lines`);
          const later = events[i + 1]?.lines[0];
          if (later !== undefined)
            assert.ok(m.bytes <= offsets[later]![0], "never past a later line");
          // The lines a checkpoint stores with the offset: exactly those that end before it.
          const ended = offsets.filter(([, end], n) => n > 0 && end <= m.bytes).length;
          if (!m.ended) assert.equal(m.lines, ended, `lines before offset ${m.bytes}`);
        }
      }
    });
  }
});

describe("RecordBatcher marks", () => {
  it("each event is marked past its last record; a batch past what it holds (not the next)", () => {
    const batcher = new RecordBatcher<number>(
      { maxWeight: 10, maxRecords: 2, hardWeight: 10 },
      { record: "row", records: "rows" },
    );
    batcher.begin("f", { ...emptyStats(), bytesRead: 40, sourceBytes: 40 });
    const out = [
      ...batcher.add({ type: "record", line: 1, value: 1, weight: 1, end: 10 }),
      ...batcher.add({ type: "rejected", line: 2, reason: "bad", end: 20 }),
      ...batcher.add({ type: "record", line: 3, value: 3, weight: 1, end: 30 }),
      ...batcher.add({ type: "record", line: 4, value: 4, weight: 1, end: 35 }),
      ...batcher.add({ type: "record", line: 5, value: 5, weight: 1, end: 40 }),
    ];
    batcher.endInput();
    out.push(...batcher.end());
    assert.deepEqual(
      out.map((e) => [e.type, e.marks]),
      [
        ["batch", [mark("f", 10, false, 1)]],
        ["rejected", [mark("f", 20, false, 2)]],
        ["batch", [mark("f", 35, false, 4)]], // closed at its maxRecords, before line 5 was read
        ["batch", [{ source: "f", bytes: 40, stored: 40, ended: true }]],
      ],
    );
  });
});

describe("deliverBatches tells AckedProgress in input order", () => {
  it("a later batch settled first waits for the earlier one before it counts", async () => {
    const batch = (n: number): RecordBatch<number> => ({
      values: [n],
      segments: [{ source: "f", lines: [n, n] }],
      weight: 1,
    });
    async function* events(): AsyncGenerator<EngineEvent<RecordBatch<number>>> {
      for (let n = 1; n <= 3; n++)
        yield { type: "batch", batch: batch(n), marks: [mark("f", n * 10)] };
    }
    const acked = new AckedProgress();
    let releaseFirst: () => void = () => {};
    const seen: Array<number | undefined> = [];
    const result = deliverBatches(events(), {
      kind: recordKind<number>({
        parse: async function* () {},
        limits: { maxWeight: Infinity, maxRecords: 1, hardWeight: Infinity },
        send: async () => ({ ok: true }),
        words: { record: "event", records: "events" },
      }),
      concurrency: 3,
      ledger: new RecordLedger(),
      signal: new AbortController().signal,
      onRejected: () => {},
      acked,
      async send(b): Promise<SendOutcome> {
        const n = b.values[0];
        if (n === 1) await new Promise<void>((r) => (releaseFirst = r));
        if (n === 2) queueMicrotask(() => seen.push(acked.inputs.get("f")?.bytes));
        return { ok: true };
      },
    });
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual([seen, acked.records], [[undefined], 2], "2 and 3 accepted, 1 in flight");
    releaseFirst();
    await result;
    assert.deepEqual([acked.inputs.get("f")?.bytes, acked.records], [30, 3]);
  });
});
