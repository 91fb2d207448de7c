import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { emptyStats } from "../../src/bulk/batcher.js";
import { NOT_UTF8, splitLines, type TextLine } from "../../src/input/lines.js";

/** Chunks as a reader gives them: one reused buffer, overwritten after each is taken. */
async function* reused(chunks: Array<string | Buffer>): AsyncGenerator<Buffer> {
  const buffer = Buffer.alloc(256);
  for (const chunk of chunks) {
    const bytes = Buffer.from(chunk);
    bytes.copy(buffer);
    yield buffer.subarray(0, bytes.length);
    buffer.fill(0x21);
  }
}

async function split(chunks: Array<string | Buffer>, maxLineBytes?: number) {
  const stats = emptyStats();
  const lines: TextLine[] = [];
  const options = maxLineBytes === undefined ? {} : { maxLineBytes };
  for await (const line of splitLines(reused(chunks), stats, options)) lines.push(line);
  return { lines, stats };
}

describe("splitLines", () => {
  it("\\n and \\r\\n endings, the last line without a newline, numbered from 1", async () => {
    const { lines, stats } = await split(["a\r\nb\nc"]);
    // `end`: the offset just past the line and its newline.
    assert.deepEqual(lines, [
      { line: 1, end: 3, text: "a" },
      { line: 2, end: 5, text: "b" },
      { line: 3, end: 6, text: "c" },
    ]);
    assert.deepEqual([stats.records, stats.emptyLines], [3, 0]);
  });

  it("blank lines (spaces, tabs, \\r) are counted and skipped; numbers still count them", async () => {
    const { lines, stats } = await split(["\n  \n\t\r\nx\n\n"]);
    assert.deepEqual(lines, [{ line: 4, end: 9, text: "x" }]);
    assert.deepEqual([stats.records, stats.emptyLines], [1, 4]);
  });

  it("lines across chunks of a reused buffer, a UTF-8 character split between chunks", async () => {
    const euro = Buffer.from("€"); // 3 bytes
    const { lines } = await split([
      Buffer.concat([Buffer.from("ab"), euro.subarray(0, 1)]),
      Buffer.concat([euro.subarray(1), Buffer.from("c\nd")]),
      "e\r",
      "\nf",
    ]);
    assert.deepEqual(lines, [
      { line: 1, end: 7, text: "ab€c" },
      { line: 2, end: 11, text: "de" },
      { line: 3, end: 12, text: "f" },
    ]);
  });

  it("drops a UTF-8 byte order mark at the start of the input only", async () => {
    const { lines } = await split(["\uFEFF{}\n\uFEFFx"]);
    assert.deepEqual(
      lines.map((l) => l.text),
      ["{}", "\uFEFFx"],
    );
  });

  it("a line over the bound is not kept: it comes with an error, counted; the rest goes on", async () => {
    const { lines, stats } = await split(["ok\nxxxx", "xxxx", "xxxx\nfine\n", "y".repeat(20)], 10);
    assert.deepEqual(lines, [
      { line: 1, end: 3, text: "ok" },
      {
        line: 2,
        end: 16,
        text: "",
        error: "line of 12 bytes is longer than the 10-byte limit",
        tooLong: true,
      },
      { line: 3, end: 21, text: "fine" },
      {
        line: 4,
        end: 41,
        text: "",
        error: "line of 20 bytes is longer than the 10-byte limit",
        tooLong: true,
      },
    ]);
    assert.equal(stats.records, 4);
  });

  it("a line of exactly the bound, plus a \\r, fits", async () => {
    const { lines } = await split(["0123456789\r\n"], 10);
    assert.deepEqual(lines, [{ line: 1, end: 12, text: "0123456789" }]);
  });

  it("a line whose bytes are not UTF-8 comes with an error, never with U+FFFD; the rest goes on", async () => {
    const latin1 = Buffer.from("caf\xe9\n", "latin1");
    const { lines, stats } = await split([
      "ok\n",
      latin1,
      Buffer.from([0xc3]), // "é" cut between two chunks is still UTF-8
      Buffer.from([0xa9, 0x0a, 0xff]),
    ]);
    assert.deepEqual(lines, [
      { line: 1, end: 3, text: "ok" },
      { line: 2, end: 8, text: "", error: NOT_UTF8 },
      { line: 3, end: 11, text: "é" },
      { line: 4, end: 12, text: "", error: NOT_UTF8 },
    ]);
    assert.equal(stats.records, 4);
  });

  it("empty input: nothing", async () => {
    assert.deepEqual((await split([])).lines, []);
  });
});
