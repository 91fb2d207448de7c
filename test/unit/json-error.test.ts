import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkJson, jsonKind, locateJsonError } from "../../src/input/json-error.js";

describe("JSON check (line, column, reason)", () => {
  it("valid JSON parses; no problem located", () => {
    for (const text of ['{"a":[1,-2.5e3,true,false,null,"\\u00e9\\n"]}', "[]", " {} "]) {
      assert.deepEqual(checkJson(text).ok, true, text);
      assert.equal(locateJsonError(text), undefined, text);
    }
  });

  const cases: Array<[string, number, number, RegExp]> = [
    ['{"a":}', 1, 6, /unexpected "}": expected a value/],
    ['{"a":1,}', 1, 8, /expected a "property name"/],
    ["[1,2", 1, 5, /unexpected end of input: expected ',' or ']'/],
    ['{"a" 1}', 1, 6, /expected ':' after the property name/],
    // A broken literal or escape: at its first wrong character, as JSON.parse says.
    ['{"a":tru}', 1, 9, /unexpected "}": expected true/],
    ["not json", 1, 2, /unexpected "o": expected null/],
    ['{"a":1}x', 1, 8, /after the JSON value/],
    ["", 1, 1, /end of input/],
    ['{"a":"\u0001"}', 1, 7, /control character/],
    ['{"a":"\\q"}', 1, 8, /invalid escape \\q/],
    ['["\\u00e"]', 1, 8, /without 4 hex digits/],
    ['{"a":"open', 1, 11, /never closed/],
    ["[01]", 1, 3, /expected ',' or ']'/],
    ['{\n  "a": 1,\n  "b": ]\n}', 3, 8, /unexpected "]"/],
    ['{"é✓😀": x}', 1, 9, /unexpected "x"/],
  ];
  for (const [text, line, column, reason] of cases) {
    it(`${JSON.stringify(text)} → line ${line}, column ${column}`, () => {
      const result = checkJson(text);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.problem.line, line);
      assert.equal(result.problem.column, column);
      assert.match(result.problem.reason, reason);
    });
  }

  it("deep nesting does not overflow the stack", () => {
    const deep = "[".repeat(200_000) + "x";
    const problem = locateJsonError(deep);
    assert.equal(problem?.column, 200_001);
  });

  it("jsonKind names a value as messages do", () => {
    assert.deepEqual([null, [], {}, "s", 1, true].map(jsonKind), [
      "null",
      "an array",
      "an object",
      "a string",
      "a number",
      "a boolean",
    ]);
  });
});

describe("locateJsonError offsets (0-based, the text's length when it ends too early)", () => {
  const cases: Array<[string, number | undefined]> = [
    ['{"a":1}', undefined],
    ['  [1, "x", null, true, false, -1.5e3] ', undefined],
    ['{"a":}', 5],
    ['{"a":1', 6],
    ["[1,2,,]", 5],
    ['{"a":1} x', 8],
    ["tru", 3],
    ['"ab\\x"', 4],
    ['"\\u12G4"', 5],
    ['"ab\\', 4],
    ["01", 1],
    ["-", 0],
    ["{'a':1}", 1],
    ["", 0],
  ];
  for (const [text, offset] of cases) {
    it(`${JSON.stringify(text)} → ${offset}`, () =>
      assert.equal(locateJsonError(text)?.offset, offset));
  }
});
