import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deliverBatches } from "../../src/bulk/deliver.js";
import type { EngineEvent } from "../../src/bulk/engine.js";
import { Pacer, type Clock } from "../../src/bulk/pace.js";
import { RecordLedger } from "../../src/bulk/ledger.js";
import { recordKind } from "../../src/bulk/record-batcher.js";
import type { RecordBatch } from "../../src/bulk/records.js";
import { parseRate } from "../../src/bulk/options.js";

/** A clock that only moves when something sleeps on it: no real waiting, no timing thresholds. */
function fakeClock(): Clock & { slept: number[] } {
  let now = 1000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    async sleep(ms, signal) {
      if (signal?.aborted) throw Object.assign(new Error("aborted"), { name: "AbortError" });
      slept.push(ms);
      now += ms;
    },
  };
}

describe("Pacer", () => {
  it("no rate: never waits", async () => {
    const clock = fakeClock();
    const pacer = new Pacer(undefined, clock);
    for (let i = 0; i < 5; i++) await pacer.wait();
    assert.deepEqual(clock.slept, []);
  });

  it("n per minute: the first at once, then one every 60 s / n, in the order asked", async () => {
    const clock = fakeClock();
    const pacer = new Pacer(4, clock); // one every 15 s
    await Promise.all([pacer.wait(), pacer.wait(), pacer.wait()]);
    // Asked together: the second waits for 16 s, the third for 31 s (each sleep moves the clock).
    assert.deepEqual(clock.slept, [15_000, 15_000]);
    assert.equal(clock.now(), 31_000);
  });

  it("time that passed on its own counts: no wait when the last request was long ago", async () => {
    let now = 0;
    const slept: number[] = [];
    const clock: Clock = { now: () => now, sleep: async (ms) => void slept.push(ms) };
    const pacer = new Pacer(60, clock); // one a second
    await pacer.wait();
    now = 5_000;
    await pacer.wait();
    now = 5_400;
    await pacer.wait();
    assert.deepEqual(slept, [600]);
  });
});

describe("deliverBatches with ratePerMinute", () => {
  function rows(n: number): RecordBatch<number> {
    return { values: [n], segments: [{ source: "f", lines: [n, n] }], weight: 1, weights: [1] };
  }
  async function* five(): AsyncGenerator<EngineEvent<RecordBatch<number>>> {
    for (let n = 1; n <= 5; n++) yield { type: "batch", batch: rows(n) };
  }
  const kind = recordKind<number>({
    parse: async function* () {},
    limits: { maxWeight: Infinity, maxRecords: 1, hardWeight: Infinity },
    send: async () => ({ ok: true }),
    words: { record: "event", records: "events" },
  });

  it("spaces the requests evenly and still delivers every record", async () => {
    const clock = fakeClock();
    const starts: number[] = [];
    const ledger = new RecordLedger();
    const result = await deliverBatches(five(), {
      kind,
      concurrency: 2,
      ledger,
      signal: new AbortController().signal,
      onRejected: () => {},
      ratePerMinute: 30, // one every 2 s
      clock,
      send: async () => {
        starts.push(clock.now());
        return { ok: true };
      },
    });
    assert.equal(result.requests, 5);
    assert.deepEqual(
      starts.map((t) => t - 1000),
      [0, 2000, 4000, 6000, 8000],
    );
    assert.equal(ledger.entry("f").counts.delivered, 5);
  });

  it("guance push --ndjson --rate 120/min: one at a time, in order, starts 500 ms apart", async () => {
    // What test/e2e/guance-ndjson.test.ts paced in real time (2.5 s), on the fake clock.
    const clock = fakeClock();
    const sent: Array<[number, number]> = [];
    const result = await deliverBatches(five(), {
      kind,
      concurrency: 1, // as runGuanceBulk
      ledger: new RecordLedger(),
      signal: new AbortController().signal,
      onRejected: () => {},
      ratePerMinute: parseRate("120/min"),
      clock,
      send: async (batch) => {
        sent.push([batch.values[0]!, clock.now() - 1000]);
        return { ok: true };
      },
    });
    assert.equal(result.requests, 5);
    assert.deepEqual(sent, [
      [1, 0],
      [2, 500],
      [3, 1000],
      [4, 1500],
      [5, 2000],
    ]);
    assert.deepEqual(clock.slept, [500, 500, 500, 500]);
  });

  it("Ctrl-C while a request waits for its turn: it is accounted as not sent", async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    const ledger = new RecordLedger();
    await deliverBatches(five(), {
      kind,
      concurrency: 1,
      ledger,
      signal: controller.signal,
      onRejected: () => {},
      ratePerMinute: 30,
      clock: {
        now: clock.now,
        sleep: async (ms, signal) => {
          controller.abort();
          return clock.sleep(ms, signal);
        },
      },
      send: async () => ({ ok: true }),
    });
    const { counts } = ledger.entry("f");
    assert.deepEqual([counts.delivered, counts.unsent], [1, 1]);
  });
});
