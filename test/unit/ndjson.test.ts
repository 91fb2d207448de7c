import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { emptyStats } from "../../src/bulk/batcher.js";
import { ndjsonParser } from "../../src/input/ndjson.js";
import type { RecordEvent, RecordParser } from "../../src/bulk/records.js";
import { eventsOf } from "../helpers/records.js";

interface Event {
  name: string;
  n: number;
}

/** Accepts `{ name: string, n?: number }`. */
function validate(value: unknown): Event | { error: string } {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { error: "each line must be a JSON object" };
  const { name, n } = value as Record<string, unknown>;
  if (typeof name !== "string") return { error: '"name" is missing or not a string' };
  return { name, n: typeof n === "number" ? n : 0 };
}

async function parse<V>(parser: RecordParser<V>, text: string) {
  const stats = emptyStats();
  async function* chunks(): AsyncGenerator<Buffer> {
    yield Buffer.from(text);
  }
  const events: RecordEvent<V>[] = [];
  const ends: Array<number | undefined> = [];
  for await (const { end, ...e } of eventsOf(
    parser({ source: "e.ndjson", chunks: chunks(), stats }),
  )) {
    events.push(e);
    ends.push(end);
  }
  return { events, stats, ends };
}

describe("ndjsonParser", () => {
  it("valid lines become records of weight 1 (or weigh's), with their line numbers", async () => {
    const { events, stats, ends } = await parse(
      ndjsonParser(validate, (e) => e.n),
      '{"name":"a","n":3}\n\n{"name":"b","n":5}\n',
    );
    assert.deepEqual(ends, [19, 39]); // past each line and its newline
    assert.deepEqual(events, [
      { type: "record", line: 1, value: { name: "a", n: 3 }, weight: 3 },
      { type: "record", line: 3, value: { name: "b", n: 5 }, weight: 5 },
    ]);
    assert.deepEqual([stats.records, stats.emptyLines], [2, 1]);
    const plain = await parse(ndjsonParser(validate), '{"name":"a","n":3}');
    assert.equal(plain.events[0]?.type === "record" && plain.events[0].weight, 1);
  });

  it("bad JSON is rejected with the column where it stops being valid; the rest goes on", async () => {
    const { events } = await parse(
      ndjsonParser(validate),
      '{"name":"a"}\n{"name":}\n{"name":"c"\n[1,2,,]\n{"name":"e"}',
    );
    const rejected = events.flatMap((e) => (e.type === "rejected" ? [[e.line, e.reason]] : []));
    assert.equal(rejected.length, 3);
    assert.deepEqual(
      rejected.map(([line, reason]) => `${line} ${String(reason).split(" (")[0]}`),
      [
        `2 invalid JSON at column 9: unexpected "}"`,
        "3 invalid JSON at column 12: the JSON ends too early",
        `4 invalid JSON at column 6: unexpected ","`,
      ],
    );
    assert.deepEqual(
      events.filter((e) => e.type === "record").map((e) => e.line),
      [1, 5],
    );
  });

  it("a 200,000-deep nesting is rejected with its column, not a stack overflow", async () => {
    const deep = "[".repeat(200_000) + "x";
    const { events } = await parse(ndjsonParser(validate), `${deep}\n{"name":"b"}\n`);
    const first = events[0];
    assert.equal(first?.type, "rejected");
    assert.equal(
      first?.type === "rejected" && String(first.reason).split(" (")[0],
      `invalid JSON at column 200001: unexpected "x"`,
    );
    assert.equal(events[1]?.type, "record");
  });

  it("validation errors are rejected with the validator's message", async () => {
    const { events } = await parse(ndjsonParser(validate), '[1]\n{"n":1}\n"text"\n');
    assert.deepEqual(events, [
      { type: "rejected", line: 1, reason: "each line must be a JSON object" },
      { type: "rejected", line: 2, reason: '"name" is missing or not a string' },
      { type: "rejected", line: 3, reason: "each line must be a JSON object" },
    ]);
  });

  it("a value that merely has an error field besides others is a value, not a refusal", async () => {
    const { events } = await parse(
      ndjsonParser((v) => v as object),
      '{"error":"disk full","host":"a"}\n',
    );
    assert.equal(events[0]?.type, "record");
  });

  it("a line over the bound is rejected without being parsed", async () => {
    const { events } = await parse(
      ndjsonParser(validate, undefined, { maxLineBytes: 16 }),
      `{"name":"${"x".repeat(20)}"}\n{"name":"ok"}`,
    );
    assert.deepEqual(events[0], {
      type: "rejected",
      line: 1,
      reason: "line of 31 bytes is longer than the 16-byte limit",
    });
    assert.equal(events[1]?.type, "record");
  });
});
