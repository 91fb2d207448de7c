import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  emptyStats,
  type Batch,
  type BatchEvent,
  type BatchStats,
} from "../../src/bulk/batcher.js";
import { LineBatcher } from "../../src/bulk/line-batcher.js";
import { batchInputs } from "../../src/bulk/batch-inputs.js";
import { BufferPool } from "../../src/bulk/pool.js";
import { countLines, listLines, type LineRuns } from "../../src/bulk/runs.js";

/** A batcher reading one input named "f". */
function oneInput(
  maxBatchBytes: number,
  stats: BatchStats,
  pool?: BufferPool,
  hardBytes?: number,
): LineBatcher {
  const batcher = new LineBatcher({
    maxBatchBytes,
    ...(pool ? { pool } : {}),
    ...(hardBytes ? { hardBytes } : {}),
  });
  batcher.begin("f", stats);
  return batcher;
}

/** The end of the one input, and of the batching. */
function finish(batcher: LineBatcher): BatchEvent[] {
  return [...batcher.endInput(), ...batcher.end()];
}

/** The line runs of a batch of the one input. */
function runsOf(batch: Batch): LineRuns {
  assert.equal(batch.segments.length, 1);
  return batch.segments[0]!.lines;
}

/**
 * Feeds the chunks to a batcher through one reused buffer, overwritten after each push (as the
 * file reader does); returns its events as readable tuples, and the stats.
 */
function run(
  chunks: Array<string | Buffer>,
  max: number,
  hardBytes?: number,
): { events: Array<[string, string | number, number[]?]>; stats: BatchStats } {
  const stats = emptyStats();
  const batcher = oneInput(max, stats, undefined, hardBytes);
  const all: BatchEvent[] = [];
  const shared = Buffer.alloc(Math.max(0, ...chunks.map((c) => Buffer.byteLength(c))));
  for (const chunk of chunks) {
    const n = Buffer.from(chunk).copy(shared);
    all.push(...batcher.push(shared.subarray(0, n)));
    shared.fill(0x3f);
  }
  all.push(...finish(batcher));
  const events = all.map((e): [string, string | number, number[]?] =>
    e.type === "batch"
      ? ["batch", e.batch.body.toString("utf8"), listLines(runsOf(e.batch))]
      : ["rejected", e.record.lineNumber],
  );
  return { events, stats };
}

describe("LineBatcher", () => {
  const cases: Array<{
    name: string;
    chunks: string[];
    max: number;
    events: Array<[string, string | number, number[]?]>;
    stats?: Partial<BatchStats>;
  }> = [
    { name: "empty input", chunks: [], max: 10, events: [], stats: { records: 0, bytesRead: 0 } },
    { name: "only newlines", chunks: ["\n\n\r\n"], max: 10, events: [], stats: { emptyLines: 3 } },
    {
      name: "no final newline",
      chunks: ["a\nb"],
      max: 10,
      events: [["batch", "a\nb", [1, 2]]],
      stats: { records: 2, bytesRead: 3 },
    },
    {
      name: "CRLF: one trailing \\r removed, an inner \\r kept",
      chunks: ["a\r\nb\rc\r\n"],
      max: 10,
      events: [["batch", "a\nb\rc", [1, 2]]],
    },
    {
      name: "empty lines skipped and counted, numbering kept",
      chunks: ["a\n\n\nb\n"],
      max: 10,
      events: [["batch", "a\nb", [1, 4]]],
      stats: { records: 2, emptyLines: 2 },
    },
    {
      name: "exactly at the limit: one batch",
      chunks: ["aaaa\nbbbbb\n"],
      max: 10,
      events: [["batch", "aaaa\nbbbbb", [1, 2]]],
    },
    {
      name: "one byte over: two batches",
      chunks: ["aaaa\nbbbbbb\n"],
      max: 10,
      events: [
        ["batch", "aaaa", [1]],
        ["batch", "bbbbbb", [2]],
      ],
    },
    {
      name: "a line exactly the limit fits alone",
      chunks: ["aaaaaaaaaa\nb"],
      max: 10,
      events: [
        ["batch", "aaaaaaaaaa", [1]],
        ["batch", "b", [2]],
      ],
    },
    {
      name: "a line of the limit plus \\r fits (the \\r is not sent)",
      chunks: ["aaaaaaaaaa\r\n"],
      max: 10,
      events: [["batch", "aaaaaaaaaa", [1]]],
    },
    {
      name: "a line longer than the limit is rejected; the rest goes on",
      chunks: ["a\nbbbbbbbbbbb\nc\n"],
      max: 10,
      events: [
        ["batch", "a", [1]],
        ["rejected", 2],
        ["batch", "c", [3]],
      ],
      stats: { records: 3, rejected: 1 },
    },
    {
      name: "a too-long line across many chunks, without a final newline",
      chunks: ["a\nbbbb", "bbbb", "bbbb", "bbbb"],
      max: 10,
      events: [
        ["batch", "a", [1]],
        ["rejected", 2],
      ],
      stats: { records: 2, rejected: 1, bytesRead: 18 },
    },
    {
      name: "a line split across chunks",
      chunks: ["ab", "c\nde", "f\n"],
      max: 100,
      events: [["batch", "abc\ndef", [1, 2]]],
    },
    {
      name: "a chunk that is only the newline",
      chunks: ["abc", "\n", "d"],
      max: 100,
      events: [["batch", "abc\nd", [1, 2]]],
    },
    {
      name: "CR and LF in different chunks",
      chunks: ["abc\r", "\nd\r", "\n"],
      max: 100,
      events: [["batch", "abc\nd", [1, 2]]],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { events, stats } = run(c.chunks, c.max);
      assert.deepEqual(events, c.events);
      for (const [key, value] of Object.entries(c.stats ?? {}))
        assert.equal(stats[key as keyof BatchStats], value, key);
    });
  }

  it("passes bytes through unchanged, a multibyte character split across chunks included", () => {
    const text = Buffer.from("héllo wörld €\n日本語\n\xff\xfe raw\n", "latin1");
    const utf8 = Buffer.concat([
      Buffer.from("héllo wörld €\n日本語\n"),
      Buffer.from([0xff, 0xfe, 0x0a]),
    ]);
    for (const input of [text, utf8]) {
      for (let cut = 1; cut < input.length; cut++) {
        const stats = emptyStats();
        const batcher = oneInput(1000, stats);
        const events = [
          ...batcher.push(input.subarray(0, cut)),
          ...batcher.push(input.subarray(cut)),
          ...finish(batcher),
        ];
        assert.equal(events.length, 1);
        const event = events[0]!;
        assert.equal(event.type, "batch");
        if (event.type === "batch")
          assert.deepEqual(event.batch.body, input.subarray(0, input.length - 1));
      }
    }
  });

  it("keeps nothing of a chunk after push: the reader may reuse its buffer", () => {
    const input = Buffer.from("alpha\nbeta\r\n\ngamma-long-line\ndelta");
    const reused = Buffer.alloc(7);
    const stats = emptyStats();
    const batcher = oneInput(12, stats);
    const bodies: string[] = [];
    const take = (events: BatchEvent[]): void => {
      for (const e of events) if (e.type === "batch") bodies.push(e.batch.body.toString());
    };
    for (let at = 0; at < input.length; at += reused.length) {
      const n = input.copy(reused, 0, at, at + reused.length);
      const events = batcher.push(reused.subarray(0, n));
      reused.fill(0x58); // what a reader's next read would do to the buffer
      take(events);
    }
    take(finish(batcher));
    assert.deepEqual(bodies, ["alpha\nbeta", "delta"]);
    assert.equal(stats.rejected, 1);
  });

  it("recycles bodies through the pool once released", () => {
    const pool = new BufferPool(16);
    const stats = emptyStats();
    const batcher = oneInput(16, stats, pool);
    const [first] = batcher.push(Buffer.from("one\ntwo\n"));
    const [flushed] = batcher.push(Buffer.from("three-three-3\n"));
    assert.ok(first === undefined && flushed?.type === "batch");
    const memory = flushed.batch.body.buffer;
    flushed.batch.release();
    flushed.batch.release(); // twice is harmless: the buffer is in the pool once
    batcher.push(Buffer.from("four-four-four\n")); // flushes "three…", takes a pooled buffer
    const [last] = finish(batcher);
    assert.ok(last?.type === "batch" && last.batch.body.buffer === memory);
    assert.equal(last.batch.body.toString(), "four-four-four");
    assert.notEqual(pool.take().buffer, memory);
  });

  it("never makes a body over the limit, and loses no line (random input)", () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 50; round++) {
      const max = 20 + rnd(50);
      const lines = Array.from({ length: 200 }, () => "x".repeat(rnd(max + 10)));
      const input = Buffer.from(lines.join(rnd(2) ? "\n" : "\r\n"));
      const stats = emptyStats();
      const batcher = oneInput(max, stats);
      const events: BatchEvent[] = [];
      for (let at = 0; at < input.length;) {
        const size = 1 + rnd(40);
        events.push(...batcher.push(input.subarray(at, at + size)));
        at += size;
      }
      events.push(...finish(batcher));
      const sent: number[] = [];
      const rejected: number[] = [];
      for (const e of events) {
        if (e.type === "batch") {
          assert.ok(e.batch.body.length <= max);
          assert.equal(e.batch.body.toString().split("\n").length, countLines(runsOf(e.batch)));
          sent.push(...listLines(runsOf(e.batch)));
        } else rejected.push(e.record.lineNumber);
      }
      const expectSent = lines.flatMap((l, i) => (l.length > 0 && l.length <= max ? [i + 1] : []));
      const expectRejected = lines.flatMap((l, i) => (l.length > max ? [i + 1] : []));
      assert.deepEqual(sent, expectSent);
      assert.deepEqual(rejected, expectRejected);
      // A final empty "line" after the last newline is no line at all.
      const trailing = lines.at(-1) === "" ? 1 : 0;
      assert.equal(stats.emptyLines, lines.filter((l) => l.length === 0).length - trailing);
    }
  });

  it("batchInputs reads lazily: a consumer that stops early stops the reading", async () => {
    let pulled = 0;
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 1000; i++) {
        pulled += 1;
        yield Buffer.from(`line ${i}\n`);
      }
    }
    const stats = emptyStats();
    const inputs = [{ source: "f", stats, chunks: chunks() }];
    for await (const event of batchInputs(inputs, { maxBatchBytes: 10 })) {
      assert.equal(event.type, "batch");
      break;
    }
    assert.ok(pulled < 5, `pulled ${pulled} chunks`);
  });
});

/** Batches several inputs (name → chunks); events as readable tuples, stats per input. */
async function runMany(
  inputs: Array<[string, string[]]>,
  max: number,
): Promise<{ events: unknown[]; stats: Record<string, BatchStats>; ended: string[] }> {
  const stats: Record<string, BatchStats> = {};
  const ended: string[] = [];
  async function* chunks(list: string[]): AsyncGenerator<Buffer> {
    // One reused buffer, overwritten after each chunk, as the file reader does.
    const reused = Buffer.alloc(64);
    for (const text of list) {
      const n = reused.write(text);
      yield reused.subarray(0, n);
      reused.fill(0x58);
    }
  }
  const list = inputs.map(([source, parts]) => ({
    source,
    stats: (stats[source] = emptyStats()),
    chunks: chunks(parts),
    onEnd: () => ended.push(source),
  }));
  const events: unknown[] = [];
  for await (const e of batchInputs(list, { maxBatchBytes: max })) {
    events.push(
      e.type === "batch"
        ? [
            e.batch.body.toString("utf8"),
            e.batch.segments.map((s) => `${s.source}:${listLines(s.lines).join(",")}`),
          ]
        : ["rejected", `${e.record.source}:${e.record.lineNumber}`],
    );
  }
  return { events, stats, ended };
}

describe("LineBatcher with a request limit above the batch size", () => {
  /** Events of one input for batch size 4 and request limit 10. */
  const hard = (chunks: string[]) => run(chunks, 4, 10);

  it("a line over the batch size but within the limit goes alone; batches around it as usual", () => {
    const { events, stats } = hard(["a\nb\ncccccc\nd\n"]);
    assert.deepEqual(events, [
      ["batch", "a\nb", [1, 2]],
      ["batch", "cccccc", [3]],
      ["batch", "d", [4]],
    ]);
    assert.equal(stats.rejected, 0);
  });

  it("the same, the long line split across chunks (its pieces are put together once)", () => {
    const { events } = hard(["a\nccc", "ccc", "c\r\nd"]);
    assert.deepEqual(events, [
      ["batch", "a", [1]],
      ["batch", "ccccccc", [2]],
      ["batch", "d", [3]],
    ]);
  });

  it("a line over the request limit is rejected, naming the limit; the rest goes on", () => {
    const stats = emptyStats();
    const batcher = new LineBatcher({ maxBatchBytes: 4, hardBytes: 10 });
    batcher.begin("f", stats);
    const events = [
      ...batcher.push(Buffer.from("a\n" + "x".repeat(11) + "\nb")),
      ...finish(batcher),
    ];
    const rejected = events.find((e) => e.type === "rejected");
    assert.equal(
      rejected?.type === "rejected" && rejected.record.reason,
      "line of 11 bytes is longer than the 10-byte request limit",
    );
    assert.deepEqual(
      events.map((e) => (e.type === "batch" ? e.batch.body.toString() : e.record.lineNumber)),
      ["a", 2, "b"],
    );
    assert.deepEqual([stats.records, stats.rejected], [3, 1]);
  });
});

describe("batches across inputs", () => {
  it("small inputs share one batch, one segment each, numbered per input", async () => {
    const { events, stats, ended } = await runMany(
      [
        ["a", ["a1\na2\n"]],
        ["b", ["b1\n"]],
        ["c", ["c1\n\nc3\n"]],
      ],
      100,
    );
    assert.deepEqual(events, [["a1\na2\nb1\nc1\nc3", ["a:1,2", "b:1", "c:1,3"]]]);
    assert.deepEqual([stats.a!.records, stats.c!.records, stats.c!.emptyLines], [2, 2, 1]);
    assert.deepEqual(ended, ["a", "b", "c"]);
  });
  it("an input without a final newline: the next input's first line is not glued to it", async () => {
    const { events } = await runMany(
      [
        ["a", ["a1\na", "2"]],
        ["b", ["b1"]],
        ["c", ["\r\nc2\r\n"]],
      ],
      100,
    );
    assert.deepEqual(events, [["a1\na2\nb1\nc2", ["a:1,2", "b:1", "c:2"]]]);
  });
  it("a batch that ends exactly at an input's end; the next input starts a new one", async () => {
    const { events } = await runMany(
      [
        ["a", ["aaaa\nbbbbb\n"]],
        ["b", ["c\n"]],
      ],
      10,
    );
    assert.deepEqual(events, [
      ["aaaa\nbbbbb", ["a:1,2"]],
      ["c", ["b:1"]],
    ]);
  });
  it("a batch that fills up inside the second input is cut there", async () => {
    const { events } = await runMany(
      [
        ["a", ["aaa\n"]],
        ["b", ["bbb\nccc\nddd\n"]],
      ],
      8,
    );
    assert.deepEqual(events, [
      ["aaa\nbbb", ["a:1", "b:1"]],
      ["ccc\nddd", ["b:2,3"]],
    ]);
  });
  it("empty inputs (and inputs of only empty lines) between others add no segment", async () => {
    const { events, stats, ended } = await runMany(
      [
        ["a", ["a1\n"]],
        ["e1", []],
        ["e2", ["\n\n"]],
        ["b", ["b1\n"]],
      ],
      100,
    );
    assert.deepEqual(events, [["a1\nb1", ["a:1", "b:1"]]]);
    assert.equal(stats.e2!.emptyLines, 2);
    assert.deepEqual(ended, ["a", "e1", "e2", "b"]);
  });
  it("a rejected over-long line: the batch so far goes first, the next input goes on", async () => {
    const { events, stats } = await runMany(
      [
        ["a", ["a1\n"]],
        ["b", ["b1\n", "bbbbbbbbbbbbbbbbbbbb", "bbbb\nb3"]],
        ["c", ["c1\n"]],
      ],
      10,
    );
    assert.deepEqual(events, [
      ["a1\nb1", ["a:1", "b:1"]],
      ["rejected", "b:2"],
      ["b3\nc1", ["b:3", "c:1"]],
    ]);
    assert.deepEqual([stats.b!.records, stats.b!.rejected], [3, 1]);
  });
  it("an over-long last line without a newline is rejected, not carried into the next input", async () => {
    const { events } = await runMany(
      [
        ["a", ["a1\n", "aaaaaaaaaaaaaaaaaaaa"]],
        ["b", ["b1\n"]],
      ],
      10,
    );
    assert.deepEqual(events, [
      ["a1", ["a:1"]],
      ["rejected", "a:2"],
      ["b1", ["b:1"]],
    ]);
  });
});

describe("LineBatcher: segment byte ranges (--rejects copies a refused batch by them)", () => {
  it("each segment spans its lines as read: empty lines between and \\r\\n included", () => {
    const input = "a1\r\n\nb22\nc333\n\nd\n" + "x".repeat(40) + "\ne5\n";
    const check = (events: BatchEvent[]): void => {
      const copied = events.map((e) =>
        e.type === "batch"
          ? e.batch.segments.map((s) => input.slice(s.bytes!.start, s.bytes!.end)).join("|")
          : `rejected ${input.slice(e.record.range!.start, e.record.range!.end).length}`,
      );
      assert.deepEqual(copied, ["a1\r\n\nb22\n", "c333\n\nd\n", "rejected 41", "e5\n"]);
    };
    // Pushed in small chunks, and read straight into the batch.
    let batcher = oneInput(10, emptyStats(), undefined, 20);
    const pushed: BatchEvent[] = [];
    for (let i = 0; i < input.length; i += 3)
      pushed.push(...batcher.push(Buffer.from(input.slice(i, i + 3))));
    check([...pushed, ...finish(batcher)]);
    batcher = oneInput(10, emptyStats(), undefined, 20);
    const direct: BatchEvent[] = [];
    const bytes = Buffer.from(input);
    for (let at = 0; at < bytes.length;) {
      const space = batcher.space();
      if (!space) {
        direct.push(...batcher.push(bytes.subarray(at, at + 4)));
        at += 4;
        continue;
      }
      const n = bytes.copy(space.buffer, space.offset, at, at + Math.min(space.length, 7));
      at += n;
      direct.push(...batcher.filled(n));
    }
    check([...direct, ...finish(batcher)]);
  });
});
