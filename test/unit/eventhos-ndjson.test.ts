import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { emptyStats } from "../../src/bulk/batcher.js";
import { NOT_UTF8 } from "../../src/input/lines.js";
import type { RecordEvent } from "../../src/bulk/records.js";
import { eventhosLines } from "../../src/services/eventhos/bulk.js";
import { eventsOf } from "../helpers/records.js";

async function parse(
  text: string | Buffer,
  maxBody = 1024,
): Promise<{
  events: RecordEvent<string>[];
  warnings: string[];
  lines: number;
  ends: Array<number | undefined>;
}> {
  const warnings: string[] = [];
  const stats = emptyStats();
  const events: RecordEvent<string>[] = [];
  const parser = eventhosLines(maxBody, (m) => warnings.push(m));
  const chunks = (async function* () {
    yield Buffer.from(text);
  })();
  const ends: Array<number | undefined> = [];
  for await (const { end, ...event } of eventsOf(parser({ source: "in.ndjson", chunks, stats }))) {
    events.push(event);
    ends.push(end);
  }
  return { events, warnings, lines: stats.records, ends };
}

describe("eventhos --ndjson lines", () => {
  it("each object or array line is one event, sent as its own text; blank lines skipped", async () => {
    const { events, lines, ends } = await parse(
      '{"a": 1.0}\n\n  \n[1,2]\r\n{"n":12345678901234567890}',
    );
    assert.deepEqual(ends, [11, 22, 48]); // past each line and its newline
    assert.deepEqual(events, [
      { type: "record", line: 1, value: '{"a": 1.0}', weight: 1 },
      { type: "record", line: 4, value: "[1,2]", weight: 1 },
      { type: "record", line: 5, value: '{"n":12345678901234567890}', weight: 1 },
    ]);
    assert.equal(lines, 3);
  });

  it("bad JSON (with its column), scalars and lines over --max-body are rejected", async () => {
    const long = JSON.stringify({ text: "x".repeat(100) });
    const { events } = await parse(`{"a":tru}\n42\nnull\n${long}\n{}`, 64);
    assert.deepEqual(events, [
      {
        type: "rejected",
        line: 1,
        reason: 'invalid JSON at column 9: unexpected "}": expected true',
      },
      {
        type: "rejected",
        line: 2,
        reason: "the event must be a JSON object or array, not a number",
      },
      { type: "rejected", line: 3, reason: "the event must be a JSON object or array, not null" },
      {
        type: "rejected",
        line: 4,
        reason: `line of ${long.length} bytes is longer than the 64-byte limit (--max-body)`,
      },
      { type: "record", line: 5, value: "{}", weight: 1 },
    ]);
  });

  it("a line that is not UTF-8 is rejected as such (not as too long), never sent with U+FFFD", async () => {
    const { events } = await parse(Buffer.from('{"a":"caf\xe9"}\n{"a":1}', "latin1"));
    assert.deepEqual(
      events.map((e) => (e.type === "rejected" ? [e.line, e.reason] : [e.line, e.value])),
      [
        [1, NOT_UTF8],
        [2, '{"a":1}'],
      ],
    );
  });

  it("warns about an event above 1 MiB, naming its file and line", async () => {
    const big = JSON.stringify({ text: "x".repeat(1024 * 1024) });
    const { events, warnings } = await parse(`{}\n${big}\n`, 2 * 1024 * 1024);
    assert.equal(events.length, 2);
    assert.deepEqual(warnings, ["in.ndjson:2: the event is 1.0 MiB; bodies over a few MiB fail"]);
  });
});
