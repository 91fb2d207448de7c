import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEFAULT_PAGE_SIZE, parseListQuery } from "../../src/emulator/listing.js";
import { emulatorRoute } from "../../src/emulator/types.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/server.js";
import { devoEmulator } from "../../src/services/devo/emulator.js";
import { httpCall as call } from "../helpers/emulator.js";

interface Listing {
  total: number;
  kept: number;
  dropped: number;
  next: number | null;
  events: Array<{ seq: number; event: string }>;
}

describe("parseListQuery", () => {
  const cases: Array<[string, ReturnType<typeof parseListQuery>]> = [
    ["", { after: 0, limit: DEFAULT_PAGE_SIZE }],
    ["after=12&limit=5", { after: 12, limit: 5 }],
    ["limit=10000", { after: 0, limit: 10_000 }],
    ["limit=0", "limit must be within 1–10000"],
    ["limit=10001", "limit must be within 1–10000"],
    ["after=-1", "after must be a whole number"],
    ["after=abc", "after must be a whole number"],
    ["limit=2.5", "limit must be a whole number"],
  ];
  for (const [query, expected] of cases) {
    it(`?${query} → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(parseListQuery(new URLSearchParams(query)), expected);
    });
  }
});

describe("GET /_emulator/events over a byte cap", () => {
  let emulator: RunningEmulator;
  let droppedReported = 0;
  const line = (i: number): string => `event ${String(i).padStart(6, "0")} ${"p".repeat(200)}`;

  before(async () => {
    emulator = await startEmulator({
      port: 0,
      host: "127.0.0.1",
      routes: [emulatorRoute(devoEmulator, {})],
      maxStoredBytes: 256 * 1024,
      onDropped: (count) => (droppedReported += count),
    });
    // 5,000 events of ~300 JSON bytes each: ~1.5 MiB, six times the cap.
    for (let batch = 0; batch < 10; batch++) {
      const body = Array.from({ length: 500 }, (_, i) => line(batch * 500 + i + 1)).join("\n");
      const r = await call(`${emulator.url}/stream/d/token!t/h/a.b`, "POST", body);
      assert.equal(r.status, 200);
    }
  });
  after(() => emulator.close());

  it("forgets the oldest, reports how many, and pages over every kept event exactly once", async () => {
    const seen: number[] = [];
    let first: Listing | undefined;
    for (let cursor: number | null = 0; cursor !== null;) {
      const r = await call(`${emulator.url}/_emulator/events?after=${cursor}&limit=97`, "GET");
      assert.equal(r.status, 200);
      const page = JSON.parse(r.body) as Listing;
      first ??= page;
      assert.ok(page.events.length <= 97);
      for (const e of page.events) {
        seen.push(e.seq);
        assert.equal(e.event, line(e.seq));
      }
      cursor = page.next;
    }
    assert.ok(first);
    assert.equal(first.total, 5000);
    assert.ok(first.dropped > 4000 && first.dropped < 5000, `${first.dropped} dropped`);
    assert.equal(first.kept + first.dropped, 5000);
    assert.equal(droppedReported, first.dropped);
    // The newest events, each once, in order.
    assert.deepEqual(
      seen,
      Array.from({ length: first.kept }, (_, i) => first.dropped + 1 + i),
    );
  });

  it("without a query: the oldest kept page of the default size", async () => {
    const page = JSON.parse(
      (await call(`${emulator.url}/_emulator/events`, "GET")).body,
    ) as Listing;
    assert.equal(page.events.length, Math.min(page.kept, DEFAULT_PAGE_SIZE));
    assert.equal(page.events[0]!.seq, page.dropped + 1);
  });

  it("a bad query → 400 with the reason", async () => {
    const r = await call(`${emulator.url}/_emulator/events?limit=0`, "GET");
    assert.deepEqual(r, { status: 400, body: "limit must be within 1–10000" });
  });

  it("DELETE clears; later events keep counting up", async () => {
    assert.equal((await call(`${emulator.url}/_emulator/events`, "DELETE")).status, 204);
    await call(`${emulator.url}/event/d/token!t/h/a.b?after%20clear`, "GET");
    const page = JSON.parse(
      (await call(`${emulator.url}/_emulator/events`, "GET")).body,
    ) as Listing;
    assert.deepEqual(
      { ...page, events: page.events.map((e) => [e.seq, e.event]) },
      { total: 1, kept: 1, dropped: 0, next: null, events: [[5001, "after clear"]] },
    );
  });
});
