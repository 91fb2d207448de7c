import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { escapeControl, escapeJsonControl } from "../../src/output/escape.js";

const OSC52 = "\u001b]52;c;ZWNobyBwd25lZA==\u0007";

describe("escapeControl", () => {
  const cases: Array<[string, string, boolean?]> = [
    [OSC52, "\\x1b]52;c;ZWNobyBwd25lZA==\\x07"],
    ["a\tb\nc", "a\tb\nc"],
    ["a\r\nb", "a\nb"],
    ["over\rwrite", "over\\x0dwrite"],
    ["del\u007f c1\u009b[31m", "del\\x7f c1\\u009b[31m"],
    ["nul\u0000", "nul\\x00"],
    ["one\nline", "one\\x0aline", true],
    ["ünï©ødé 😀", "ünï©ødé 😀"],
  ];
  for (const [input, expected, oneLine] of cases) {
    it(`${JSON.stringify(input)}${oneLine ? " (one line)" : ""}`, () =>
      assert.equal(escapeControl(input, oneLine), expected));
  }

  it("escapeJsonControl escapes DEL and C1, and the JSON still parses to the same value", () => {
    const value = { s: "a\u007fb\u0080c\u009bd\u001be" };
    const json = escapeJsonControl(JSON.stringify(value));
    assert.equal(json, '{"s":"a\\u007fb\\u0080c\\u009bd\\u001be"}');
    assert.deepEqual(JSON.parse(json), value);
  });
});
