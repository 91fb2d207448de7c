import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatRss, measure } from "./measure.js";

describe("bench peak memory", () => {
  it("a process that lives a while is sampled: its peak RSS is more than 0", async () => {
    const { rssMb } = await measure(process.execPath, ["-e", "setTimeout(() => {}, 200)"], {
      PATH: process.env.PATH,
    });
    assert.ok(rssMb > 0, String(rssMb));
  });

  it("an unmeasured run says so instead of 0 MB", () => {
    assert.equal(formatRss(Number.NaN), "not measured (ended before the first sample)");
    assert.equal(formatRss(112.4), "112 MiB");
  });
});
