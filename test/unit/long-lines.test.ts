import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dropLongLines } from "../../src/services/databoom/long-lines.js";

async function run(chunks: string[], max: number) {
  const dropped: Array<[number, number]> = [];
  const out: Buffer[] = [];
  const source = (async function* () {
    for (const chunk of chunks) yield Buffer.from(chunk);
  })();
  for await (const chunk of dropLongLines(source, max, (line, bytes) =>
    dropped.push([line, bytes]),
  ))
    out.push(chunk);
  return { text: Buffer.concat(out).toString(), dropped };
}

describe("dropLongLines", () => {
  it("drops the bytes of lines over the limit, keeps their newline, tells their numbers", async () => {
    const r = await run(["ab\nabcdef\nxy", "z\nabc", "defgh\n", "q"], 4);
    assert.equal(r.text, "ab\n\nxyz\n\nq");
    assert.deepEqual(r.dropped, [
      [2, 6],
      [4, 8],
    ]);
  });

  it("a last line without a newline, over the limit: dropped and told", async () => {
    const r = await run(["ok\n", "toolong"], 4);
    assert.deepEqual([r.text, r.dropped], ["ok\n", [[2, 7]]]);
  });

  it("a line of exactly the limit passes, across chunks", async () => {
    const r = await run(["ab", "cd", "\nx"], 4);
    assert.deepEqual([r.text, r.dropped], ["abcd\nx", []]);
  });
});
