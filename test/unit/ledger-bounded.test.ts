import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RejectedRecord } from "../../src/bulk/batcher.js";
import { deliverBatches } from "../../src/bulk/deliver.js";
import type { EngineEvent } from "../../src/bulk/engine.js";
import { RecordLedger, MAX_RANGES, formatRanges } from "../../src/bulk/ledger.js";
import { recordKind } from "../../src/bulk/record-batcher.js";
import type { RecordBatch } from "../../src/bulk/records.js";

const MILLION = 1_000_000;

describe("RecordLedger memory stays flat whatever the input", () => {
  it("a million rejected lines, a blank line between each: one range kept", () => {
    const ledger = new RecordLedger();
    for (let i = 0; i < MILLION; i++) ledger.record("bad", [2 * i + 1, 2 * i + 1], "rejected");
    const entry = ledger.entry("bad");
    assert.deepEqual(entry.ranges.rejected, [[1, 2 * MILLION - 1]]);
    assert.deepEqual(
      [entry.counts.rejected, entry.last, ledger.retained],
      [MILLION, 2 * MILLION - 1, 1],
    );
  });

  it("a million lines alternating good and bad: the first ranges kept, the rest counted", () => {
    const ledger = new RecordLedger();
    for (let n = 1; n <= MILLION; n++) ledger.record("f", [n, n], n % 2 ? "delivered" : "rejected");
    const entry = ledger.entry("f");
    assert.equal(ledger.retained, 2 * MAX_RANGES);
    assert.deepEqual(entry.ranges.rejected.slice(0, 2), [
      [2, 2],
      [4, 4],
    ]);
    assert.equal(entry.moreRanges.rejected, MILLION / 2 - MAX_RANGES);
    assert.deepEqual(
      [entry.counts.delivered, entry.counts.rejected, entry.last],
      [MILLION / 2, MILLION / 2, MILLION],
    );
    assert.equal(
      formatRanges(entry.ranges.rejected, 2, entry.moreRanges.rejected),
      `2, 4 and ${MILLION / 2 - 2} more ranges`,
    );
  });

  it("through the delivery: rejects behind a slow request merge as they wait", async () => {
    const REJECTS = 100_000;
    const ledger = new RecordLedger();
    let release: () => void = () => {};
    const slow = new Promise<void>((r) => (release = r));
    async function* events(): AsyncGenerator<EngineEvent<RecordBatch<number>>> {
      yield {
        type: "batch",
        batch: { values: [1], segments: [{ source: "f", lines: [1, 1] }], weight: 1 },
      };
      for (let n = 2; n <= REJECTS + 1; n++) {
        const record: RejectedRecord = { source: "f", lineNumber: n, reason: "bad" };
        yield { type: "rejected", record };
      }
      release(); // every reject was pulled while the first request waited
    }
    await deliverBatches(events(), {
      kind: recordKind<number>({
        parse: async function* () {},
        limits: { maxWeight: Infinity, maxRecords: 1, hardWeight: Infinity },
        send: async () => ({ ok: true }),
        words: { record: "event", records: "events" },
      }),
      concurrency: 2,
      ledger,
      signal: new AbortController().signal,
      onRejected: () => {},
      send: async () => {
        await slow;
        return { ok: true };
      },
    });
    const entry = ledger.entry("f");
    assert.deepEqual(
      [entry.ranges.delivered, entry.ranges.rejected],
      [[[1, 1]], [[2, REJECTS + 1]]],
    );
    assert.equal(ledger.retained, 2);
  });
});
