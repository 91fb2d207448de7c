import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { batchInputs, type BatchInput, type DirectRead } from "../../src/bulk/batch-inputs.js";
import {
  batchBufferBytes,
  emptyStats,
  type BatchEvent,
  type BatchStats,
} from "../../src/bulk/batcher.js";
import { LineBatcher } from "../../src/bulk/line-batcher.js";
import { BufferPool } from "../../src/bulk/pool.js";
import { listLines } from "../../src/bulk/runs.js";
import { openSourceReader } from "../../src/input/sources.js";

/** Events as comparable tuples: body and `source:lines`, or the rejected line and why. */
function readable(events: BatchEvent[]): unknown[] {
  return events.map((e) =>
    e.type === "batch"
      ? [
          e.batch.body.toString("latin1"),
          e.batch.segments.map((s) => `${s.source}:${listLines(s.lines)}`),
        ]
      : ["rejected", `${e.record.source}:${e.record.lineNumber}`, e.record.bytes, e.record.reason],
  );
}

interface Outcome {
  events: unknown[];
  stats: BatchStats;
}

/** The reference: every byte pushed as chunks of `chunk` bytes through one reused buffer. */
function byChunks(text: Buffer, max: number, chunk: number, hard?: number): Outcome {
  const stats = emptyStats();
  const batcher = new LineBatcher({ maxBatchBytes: max, ...(hard ? { hardBytes: hard } : {}) });
  batcher.begin("f", stats);
  const events: BatchEvent[] = [];
  const reused = Buffer.alloc(chunk);
  for (let at = 0; at < text.length; at += chunk) {
    const n = text.copy(reused, 0, at, at + chunk);
    events.push(...batcher.push(reused.subarray(0, n)));
    reused.fill(0x3f);
  }
  events.push(...batcher.endInput(), ...batcher.end());
  return { events: readable(events), stats };
}

/**
 * The fast path, as `batchInputs` drives it: a first chunk of `head` bytes pushed, then reads of
 * at most `read` bytes straight into the batch (`space`/`filled`), pushed chunks while a long
 * line is carried.
 */
function direct(text: Buffer, max: number, head: number, read: number, hard?: number): Outcome {
  const stats = emptyStats();
  const pool = new BufferPool(batchBufferBytes(max));
  const batcher = new LineBatcher({
    maxBatchBytes: max,
    pool,
    ...(hard ? { hardBytes: hard } : {}),
  });
  batcher.begin("f", stats);
  const events: BatchEvent[] = [];
  let at = Math.min(head, text.length);
  events.push(...batcher.push(Buffer.from(text.subarray(0, at))));
  while (at < text.length) {
    const space = batcher.space();
    if (space) {
      // Scribble on the free space first: nothing may depend on what was there.
      space.buffer.fill(0x0a, space.offset, space.offset + space.length);
      const n = text.copy(space.buffer, space.offset, at, at + Math.min(read, space.length));
      assert.ok(n > 0, "space offers room");
      at += n;
      events.push(...batcher.filled(n));
    } else {
      const n = Math.min(read, text.length - at);
      events.push(...batcher.push(Buffer.from(text.subarray(at, at + n))));
      at += n;
    }
  }
  events.push(...batcher.endInput(), ...batcher.end());
  return { events: readable(events), stats };
}

/** A pseudo-random text over a small alphabet: every mix of empty lines, `\r` and long lines. */
function randomText(seed: number, length: number): Buffer {
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state;
  };
  const alphabet = "aaab\n\n\r";
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = alphabet.charCodeAt(next() % alphabet.length);
  return bytes;
}

describe("LineBatcher read straight into the batch (space/filled)", () => {
  it("gives the same batches, rejects and counts as pushed chunks, for every read boundary", () => {
    let cases = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const text = randomText(seed, 20 + (seed % 40));
      for (const max of [1, 2, 3, 5, 8, 13]) {
        for (const hard of [undefined, max + 4]) {
          const expected = byChunks(text, max, 7, hard);
          for (const head of [1, 2, 5]) {
            for (const read of [1, 2, 3, 4, 6, 9, 64]) {
              const got = direct(text, max, head, read, hard);
              const label = `seed ${seed} max ${max} hard ${hard} head ${head} read ${read}`;
              assert.deepEqual(got.events, expected.events, label);
              assert.deepEqual(got.stats, expected.stats, label);
              cases += 1;
            }
          }
        }
      }
    }
    assert.equal(cases, 60 * 6 * 2 * 3 * 7);
  });

  it("a CRLF split across reads, empty lines and a last line without newline", () => {
    const text = Buffer.from("ab\r\n\r\n\ncd\r\nef");
    for (let read = 1; read <= text.length; read++) {
      const { events, stats } = direct(text, 5, 1, read);
      assert.deepEqual(
        events,
        [
          ["ab\ncd", ["f:1,4"]],
          ["ef", ["f:5"]],
        ],
        `read ${read}`,
      );
      assert.equal(stats.records, 3);
      assert.equal(stats.emptyLines, 2);
      assert.equal(stats.bytesRead, text.length);
    }
  });

  it("a file exactly filling a batch is one batch, with or without its final newline", () => {
    for (const text of ["abc\nde\n", "abc\nde"]) {
      const { events } = direct(Buffer.from(text), 6, 1, 3);
      assert.deepEqual(events, [["abc\nde", ["f:1,2"]]], JSON.stringify(text));
    }
    // One byte more and the second line starts the next batch.
    const { events } = direct(Buffer.from("abc\ndef\n"), 6, 1, 3);
    assert.deepEqual(events, [
      ["abc", ["f:1"]],
      ["def", ["f:2"]],
    ]);
  });

  it("a line longer than the batch goes alone (within the request limit) or is rejected", () => {
    const text = Buffer.from("a\nbbbbbbb\nc\nddddddddddddddd\ne\n");
    const { events, stats } = direct(text, 4, 1, 2, 10);
    assert.deepEqual(events, [
      ["a", ["f:1"]],
      ["bbbbbbb", ["f:2"]],
      ["c", ["f:3"]],
      ["rejected", "f:4", 15, "line of 15 bytes is longer than the 10-byte request limit"],
      ["e", ["f:5"]],
    ]);
    assert.equal(stats.rejected, 1);
  });
});

describe("batchInputs with direct reads", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "evsend-fast-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Batches the inputs, each read by chunks only or with direct reads; counts direct reads. */
  async function batchFiles(
    paths: string[],
    max: number,
    useDirect: boolean,
  ): Promise<{ events: unknown[]; stats: BatchStats[]; directReads: number }> {
    let directReads = 0;
    const stats: BatchStats[] = [];
    const inputs = paths.map((path): BatchInput => {
      const s = emptyStats();
      stats.push(s);
      const reader = openSourceReader(
        { kind: "file", name: path, path },
        () => process.stdin,
        undefined,
        (n) => {
          s.sourceBytes += n;
        },
      );
      const counting =
        (read: DirectRead): DirectRead =>
        async (buffer, offset, length) => {
          directReads += 1;
          return read(buffer, offset, length);
        };
      return {
        source: path,
        stats: s,
        chunks: reader.chunks,
        ...(useDirect
          ? {
              direct: () => {
                const read = reader.direct();
                return read && counting(read);
              },
            }
          : {}),
      };
    });
    const events: unknown[] = [];
    for await (const e of batchInputs(inputs, { maxBatchBytes: max, hardBytes: 3 * max })) {
      // Read before release: the body's buffer is then reused.
      events.push(...readable([e]));
      if (e.type === "batch") e.batch.release();
    }
    return { events, stats, directReads };
  }

  it("reads files over one chunk straight into batches, with the same result as by chunks", async () => {
    // Over 1 MiB (the first chunk), with empty lines, CRLF, a long line and no final newline.
    const lines: string[] = [];
    for (let i = 0, size = 0; size < 3 * 1024 * 1024; i++) {
      lines.push(
        i % 97 === 0 ? "" : i % 89 === 0 ? `crlf ${i}\r` : `line ${i} ${"x".repeat(i % 150)}`,
      );
      if (i === 20_000) lines.push("L".repeat(70_000));
      size += lines.at(-1)!.length + 1;
    }
    const big = join(dir, "big.log");
    await writeFile(big, lines.join("\n"));
    const small = join(dir, "small.log");
    await writeFile(small, "one\r\ntwo\n");
    const paths = [small, big, small];
    const fast = await batchFiles(paths, 64 * 1024, true);
    const slow = await batchFiles(paths, 64 * 1024, false);
    assert.ok(fast.directReads > 10, `${fast.directReads} direct reads`);
    assert.equal(slow.directReads, 0);
    assert.deepEqual(fast.events, slow.events);
    assert.deepEqual(fast.stats, slow.stats);
    assert.equal(fast.stats[1]!.records, lines.filter((l) => l.length > 0).length);
    assert.equal(fast.stats[1]!.sourceBytes, Buffer.byteLength(lines.join("\n")));
  });

  it("a consumer that stops early closes the file", async () => {
    const path = join(dir, "stop.log");
    await writeFile(path, "x\n".repeat(2 * 1024 * 1024));
    const reader = openSourceReader({ kind: "file", name: path, path }, () => process.stdin);
    const input: BatchInput = {
      source: path,
      stats: emptyStats(),
      chunks: reader.chunks,
      direct: reader.direct,
    };
    let batches = 0;
    for await (const e of batchInputs([input], { maxBatchBytes: 1024 })) {
      if (e.type === "batch") batches += 1;
      if (batches === 2000) break;
    }
    const read = reader.direct();
    assert.ok(read, "the direct reader was offered");
    await assert.rejects(read(Buffer.alloc(8), 0, 8), /closed/);
  });
});
