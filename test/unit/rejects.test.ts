import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { batchBufferBytes, emptyStats, type RejectedRecord } from "../../src/bulk/batcher.js";
import { LineBatcher } from "../../src/bulk/line-batcher.js";
import { BufferPool } from "../../src/bulk/pool.js";
import { RejectsFile } from "../../src/bulk/rejects.js";

/** The rejected records of `text`, pushed in chunks of `chunk` bytes, lines over 4 bytes too long. */
function rejectedOf(text: string, chunk: number): RejectedRecord[] {
  const batcher = new LineBatcher({
    maxBatchBytes: 4,
    hardBytes: 4,
    pool: new BufferPool(batchBufferBytes(4)),
  });
  batcher.begin("f", emptyStats());
  const events = [];
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += chunk) {
    events.push(...batcher.push(Buffer.from(bytes.subarray(at, at + chunk))));
  }
  events.push(...batcher.endInput(), ...batcher.end());
  return events.flatMap((e) => (e.type === "rejected" ? [e.record] : []));
}

describe("rejected lines know their bytes", () => {
  for (const chunk of [1, 3, 100]) {
    it(`a too-long line's range is the line and its ending (chunks of ${chunk})`, () => {
      const text = "ok\nTOOLONG\r\nok\n\nLONGER!!";
      const ranges = rejectedOf(text, chunk).map((r) => r.range);
      assert.deepEqual(
        ranges.map((r) => text.slice(r!.start, r!.end)),
        ["TOOLONG\r\n", "LONGER!!"],
      );
    });
  }
});

describe("RejectsFile", () => {
  it("appends each record's bytes from its file, with a newline, and counts what it could not copy", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "evsend-rejects-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const input = join(dir, "in.log");
    await writeFile(input, "keep\nbad one\nlast bad");
    const gz = join(dir, "in.log.gz");
    await writeFile(gz, gzipSync("bad\n"));
    const path = join(dir, "rejects.log");
    await writeFile(path, "earlier\n");
    const rejects = RejectsFile.open(path);
    const record = (start: number, end: number): RejectedRecord => ({
      source: "in.log",
      lineNumber: 0,
      reason: "",
      range: { start, end },
    });
    assert.equal(rejects.copy(record(5, 13), { path: input, base: 0 }), true);
    // Resumed at offset 13: ranges count from there.
    assert.equal(rejects.copy(record(0, 9), { path: input, base: 13 }), true);
    assert.equal(rejects.copy(record(0, 4), { path: gz, base: 0 }), false);
    assert.equal(
      rejects.copy({ source: "-", lineNumber: 1, reason: "" }, { path: input, base: 0 }),
      false,
    );
    rejects.close();
    assert.equal(await readFile(path, "utf8"), "earlier\nbad one\nlast bad\n");
    assert.deepEqual([rejects.appended, rejects.notCopied], [2, 2]);
  });
});
