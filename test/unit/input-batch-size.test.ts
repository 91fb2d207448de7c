import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseBatchSize } from "../../src/services/devo/commands.js";
import { STREAM_REQUEST_LIMIT } from "../../src/services/devo/protocol.js";

describe("devo file --batch-size", () => {
  it("Devo's limit is counted as 32,000,000 bytes", () => {
    assert.equal(STREAM_REQUEST_LIMIT, 32_000_000);
  });
  const cases: Array<[string, number]> = [
    ["1k", 1024],
    ["4m", 4 * 1024 * 1024],
    ["30m", 30 * 1024 * 1024],
    ["32000000", 32_000_000],
    // 32 MiB is over Devo's limit under the stricter reading: it means the limit itself.
    ["32m", 32_000_000],
    ["32MB", 32_000_000],
  ];
  for (const [text, bytes] of cases) {
    it(`${text} → ${bytes}`, () => assert.equal(parseBatchSize(text), bytes));
  }
  it("over 32m or under 1k is refused, quoting the value", () => {
    assert.throws(
      () => parseBatchSize("33m"),
      /^Error: "33m" is over 32\.0 MiB, the most allowed$/,
    );
    assert.throws(() => parseBatchSize("100"), /"100" is under 1\.0 KiB/);
  });
});
