import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Utf8Check } from "../../src/input/utf8-check.js";

/** What TextDecoder (fatal) says of the whole bytes. */
function decodes(bytes: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Utf8Check's verdict on `bytes` cut at `cuts`, each chunk through one reused buffer. */
function check(bytes: Buffer, cuts: number[]): boolean {
  const utf8 = new Utf8Check();
  const shared = Buffer.alloc(bytes.length);
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    const n = bytes.copy(shared, 0, from, to);
    utf8.push(shared.subarray(0, n));
    shared.fill(0xff); // scribbled over, as a reused read buffer is
    from = to;
  }
  utf8.end();
  return utf8.ok;
}

const samples: Array<[string, Buffer]> = [
  ["ASCII", Buffer.from("date,signal,value\n")],
  ["2, 3 and 4-byte characters", Buffer.from("é€😀,x\n€😀é")],
  ["a stray continuation byte", Buffer.from([0x61, 0x80, 0x62])],
  ["a bad continuation after a lead", Buffer.from([0x61, 0xe2, 0x82, 0x41, 0x62])],
  ["a character cut short at the end", Buffer.from([0x61, 0x62, 0xf0, 0x9f, 0x98])],
  ["an overlong form", Buffer.from([0xc0, 0xaf, 0x61])],
  ["a surrogate", Buffer.from([0xed, 0xa0, 0x80])],
  ["a byte that starts nothing", Buffer.from([0x61, 0xff])],
];

describe("Utf8Check", () => {
  for (const [name, bytes] of samples) {
    it(`${name}: as TextDecoder says, however the chunks are cut`, () => {
      const expected = decodes(bytes);
      for (let a = 0; a <= bytes.length; a++) {
        assert.equal(check(bytes, [a]), expected, `cut at ${a}`);
        for (let b = a; b <= bytes.length; b++)
          assert.equal(check(bytes, [a, b]), expected, `cut at ${a} and ${b}`);
      }
    });
  }
});
