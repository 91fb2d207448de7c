import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nestsDeeperThan } from "../../src/input/json-depth.js";

describe("nestsDeeperThan", () => {
  const cases: Array<[string, number, boolean]> = [
    ["[[[]]]", 3, false],
    ["[[[[]]]]", 3, true],
    ['{"a":{"b":[1]}}', 2, true],
    ['{"a":{"b":[1]}}', 3, false],
    // Brackets in strings, escaped quotes included, do not count.
    ['["[[[[[[", "\\"[[[[[["]', 1, false],
    // Siblings are not nesting.
    ["[[],[],[],[],[]]", 2, false],
    ["x".repeat(10), 2, false],
  ];
  for (const [text, max, deep] of cases) {
    it(`${text.slice(0, 30)} with max ${max}: ${deep}`, () =>
      assert.equal(nestsDeeperThan(text, max), deep));
  }
  it("unclosed brackets count too; a text too short to nest that deep is not scanned", () => {
    assert.equal(nestsDeeperThan("[[[[", 3), true);
    assert.equal(nestsDeeperThan("[[[", 3), false);
    assert.equal(nestsDeeperThan("[".repeat(5000)), true);
  });
});
