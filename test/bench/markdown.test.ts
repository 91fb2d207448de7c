import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cell, table } from "./markdown.js";

describe("benchmark Markdown table", () => {
  it("escapes | so a shell pipeline stays in its cell", () => {
    assert.equal(cell("gzip -6 | curl"), "gzip -6 \\| curl");
    assert.equal(cell("a\\|b"), "a\\\\\\|b");
    assert.equal(cell("two\nlines"), "two lines");
  });

  it("every row has as many cells as the header", () => {
    const lines = table(
      ["evsend", "baseline"],
      [["devo file --gzip", "gzip -6 -c f | curl --data-binary @-"]],
    );
    assert.deepEqual(lines, [
      "| evsend | baseline |",
      "| --- | --- |",
      "| devo file --gzip | gzip -6 -c f \\| curl --data-binary @- |",
    ]);
    // Unescaped pipes split cells: count the separators that are not escaped.
    for (const line of lines) assert.equal(line.split(/(?<!\\)\|/).length - 2, 2, line);
  });
});
