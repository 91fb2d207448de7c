import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EventStore, type StoredEvent } from "../../src/emulator/store.js";
import type { RecordedEvent } from "../../src/emulator/types.js";

function event(text: string): RecordedEvent {
  return {
    service: "devo",
    mode: "stream",
    receivedAt: "2026-11-25T00:00:00.000Z",
    target: { domain: "d", host: "h", tag: "a.b" },
    event: text,
  };
}

/** Every kept event, page by page, following `next` as a client would. */
function pageAll(store: EventStore, limit: number, after = 0): StoredEvent[] {
  const all: StoredEvent[] = [];
  for (let cursor: number | null = after; cursor !== null;) {
    const page = store.page(cursor, limit);
    all.push(...page.events.map((text) => JSON.parse(text) as StoredEvent));
    assert.ok(page.events.length <= limit);
    cursor = page.next;
  }
  return all;
}

describe("EventStore", () => {
  it("numbers events from 1 and pages through them with a cursor", () => {
    const store = new EventStore();
    for (let i = 1; i <= 10; i++) assert.equal(store.add(event(`e${i}`)).stored.seq, i);
    assert.deepEqual(store.page(0, 4).next, 4);
    assert.deepEqual(store.page(8, 4).next, null);
    assert.deepEqual(
      pageAll(store, 3).map((e) => [e.seq, e.event]),
      Array.from({ length: 10 }, (_, i) => [i + 1, `e${i + 1}`]),
    );
    assert.deepEqual(store.page(10, 5), { events: [], next: null });
  });

  it("over the byte cap forgets the oldest first and counts them", () => {
    const one = Buffer.byteLength(JSON.stringify({ seq: 1, ...event("x".repeat(1000)) }));
    const store = new EventStore(one * 50);
    let dropped = 0;
    for (let i = 1; i <= 500; i++) {
      dropped += store.add(event(`${"x".repeat(1000 - String(i).length)}${i}`)).dropped;
    }
    const stats = store.stats();
    assert.equal(stats.total, 500);
    assert.ok(stats.keptBytes <= one * 50 + 100, `${stats.keptBytes} bytes kept`);
    assert.ok(stats.kept >= 45 && stats.kept <= 50, `${stats.kept} kept`);
    assert.equal(stats.dropped, 500 - stats.kept);
    assert.equal(dropped, stats.dropped);
    // Paging covers every kept event exactly once: the newest, in order, no gap, no repeat.
    const seqs = pageAll(store, 7).map((e) => e.seq);
    assert.deepEqual(
      seqs,
      Array.from({ length: stats.kept }, (_, i) => 500 - stats.kept + 1 + i),
    );
  });

  it("a cursor older than the oldest kept event starts at the oldest kept", () => {
    const store = new EventStore(Number.MAX_SAFE_INTEGER, 5);
    for (let i = 1; i <= 20; i++) store.add(event(`e${i}`));
    assert.deepEqual(
      pageAll(store, 2, 3).map((e) => e.seq),
      [16, 17, 18, 19, 20],
    );
    assert.equal(store.stats().dropped, 15);
  });

  it("an event larger than the whole cap is counted as dropped, not kept", () => {
    const store = new EventStore(100);
    assert.equal(store.add(event("y".repeat(500))).dropped, 1);
    assert.deepEqual(store.stats(), { total: 1, kept: 0, keptBytes: 0, dropped: 1 });
  });

  it("stays exact across compaction of a long-running store", () => {
    const store = new EventStore(Number.MAX_SAFE_INTEGER, 100);
    for (let i = 1; i <= 10_000; i++) store.add(event(`e${i}`));
    assert.deepEqual(
      pageAll(store, 33).map((e) => e.event),
      Array.from({ length: 100 }, (_, i) => `e${9901 + i}`),
    );
  });

  it("clear forgets and resets counts; seq numbers carry on", () => {
    const store = new EventStore();
    store.add(event("a"));
    store.add(event("b"));
    store.clear();
    assert.deepEqual(store.stats(), { total: 0, kept: 0, keptBytes: 0, dropped: 0 });
    assert.equal(store.add(event("c")).stored.seq, 3);
    assert.deepEqual(
      pageAll(store, 10, 2).map((e) => e.event),
      ["c"],
    );
  });
});
