import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LongLineFilter } from "../../src/services/databoom/long-lines.js";

/** Every chunk through ONE reused buffer, scribbled over after each push (as the reader does). */
function run(chunks: string[], max: number) {
  const dropped: Array<[number, number]> = [];
  const out: Buffer[] = [];
  const filter = new LongLineFilter(max, (line, bytes) => dropped.push([line, bytes]));
  const shared = Buffer.alloc(64);
  for (const chunk of chunks) {
    const n = shared.write(chunk);
    // Read before the next push, as the caller does: a copy, then the buffer is scribbled over.
    out.push(Buffer.concat(filter.push(shared.subarray(0, n))));
    shared.fill(0x21);
  }
  const last = filter.end();
  if (last) out.push(last);
  return { text: Buffer.concat(out).toString(), dropped };
}

describe("LongLineFilter", () => {
  it("drops the bytes of lines over the limit, keeps their newline, tells their numbers", () => {
    const r = run(["ab\nabcdef\nxy", "z\nabc", "defgh\n", "q"], 4);
    assert.equal(r.text, "ab\n\nxyz\n\nq");
    assert.deepEqual(r.dropped, [
      [2, 6],
      [4, 8],
    ]);
  });

  it("a last line without a newline, over the limit: dropped and told", () => {
    const r = run(["ok\n", "toolong"], 4);
    assert.deepEqual([r.text, r.dropped], ["ok\n", [[2, 7]]]);
  });

  it("a line of exactly the limit passes, across chunks", () => {
    const r = run(["ab", "cd", "\nx"], 4);
    assert.deepEqual([r.text, r.dropped], ["abcd\nx", []]);
  });

  it("in one chunk: a held start, a long line between lines that fit, a held start too long", () => {
    const r = run(["ab", "c\ntoolongline\nd\ne\n", "xyz", "zy\nok\n"], 4);
    assert.equal(r.text, "abc\n\nd\ne\n\nok\n");
    assert.deepEqual(r.dropped, [
      [2, 11],
      [5, 5],
    ]);
  });
});
