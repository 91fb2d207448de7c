import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ExitCode, UsageError } from "../../src/errors.js";
import { emptyStats } from "../../src/bulk/batcher.js";
import type { RecordEvent } from "../../src/bulk/records.js";
import { ndjsonPoint, ndjsonRows } from "../../src/services/databoom/ndjson-rows.js";
import { formatOf, type Row } from "../../src/services/databoom/rows.js";
import { eventsOf } from "../helpers/records.js";

async function parseNdjson(text: string, allowText = false) {
  const stats = emptyStats();
  const events: Array<RecordEvent<Row>> = [];
  const chunks = (async function* () {
    // Split mid-line and mid-character: the parser must not care where chunks end.
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length; at += 5) yield bytes.subarray(at, at + 5);
  })();
  const ends: Array<number | undefined> = [];
  for await (const { end, ...event } of eventsOf(
    ndjsonRows({ allowText })({ source: "p.ndjson", chunks, stats }),
  )) {
    events.push(event); // `end` (the offset past the line) is tested in lines.test.ts
    ends.push(end);
  }
  return { events, stats, ends };
}

describe("databoom NDJSON rows", () => {
  it("one point per line; dates as ISO text or epoch numbers; blank lines skipped", async () => {
    const { events, stats } = await parseNdjson(
      '{"date":"2024-05-01T02:00:00+02:00","signal":"températ","value":21.5,"unit":"C"}\r\n\n' +
        '{"date":1714521600000,"signal":"hum","value":40}',
    );
    assert.deepEqual(events, [
      {
        type: "record",
        line: 1,
        value: [{ signal: "températ", date: "2024-05-01T00:00:00.000Z", value: 21.5 }],
        weight: 1,
      },
      {
        type: "record",
        line: 3,
        value: [{ signal: "hum", date: "2024-05-01T00:00:00.000Z", value: 40 }],
        weight: 1,
      },
    ]);
    assert.equal(stats.records, 2);
    assert.equal(stats.emptyLines, 1);
  });

  it("bad JSON and bad fields are rejected with their lines; the rest goes on", async () => {
    const { events } = await parseNdjson(
      [
        "{not json",
        '["date","signal","value"]',
        '{"signal":"a","value":1}',
        '{"date":"2024-05-01","signal":"","value":1}',
        '{"date":"someday","signal":"a","value":1}',
        '{"date":"2024-05-01","signal":"a","value":"21.5"}',
        '{"date":"2024-05-01","signal":"a","value":null}',
        '{"date":"2024-05-01","signal":"a","value":1e999}',
        '{"date":true,"signal":"a","value":1}',
        '{"date":"2024-05-01","signal":"ok","value":1}',
      ].join("\n"),
    );
    assert.deepEqual(
      events.map((e) =>
        e.type === "rejected" ? [e.line, e.reason.replace(/ \(.*/, "")] : [e.line, "ok"],
      ),
      [
        [1, 'invalid JSON at column 2: unexpected "n"'],
        [2, 'expected an object {"date", "signal", "value"}'],
        [3, "missing date"],
        [4, "signal must be a non-empty string"],
        [5, '"someday" is not a date'],
        [6, 'a: value "21.5" is not a number'],
        [7, "a: value null is not a number"],
        [8, "a: the value is too large for a number"],
        [9, "date must be a string or an epoch number"],
        [10, "ok"],
      ],
    );
  });

  it("a value nested too deep is rejected with a short reason; a shallow object is named", async () => {
    const deep = "[".repeat(50_000) + "]".repeat(50_000);
    const { events } = await parseNdjson(
      [
        `{"date":"2024-05-01","signal":"a","value":${deep}}`,
        '{"date":"2024-05-01","signal":"a","value":{"x":[1,2,3]}}',
        '{"date":"2024-05-01","signal":"a","value":"[[[[{}]]]]"}',
        '{"date":"2024-05-01","signal":"ok","value":1}',
      ].join("\n"),
    );
    assert.deepEqual(
      events.map((e) => (e.type === "rejected" ? [e.line, e.reason] : [e.line, "ok"])),
      [
        [1, "the JSON nests more than 1000 levels deep"],
        [2, "a: value an object is not a number"],
        [3, 'a: value "[[[[{}]]]]" is not a number (--allow-text sends text values)'],
        [4, "ok"],
      ],
    );
  });

  it("--allow-text takes string values as text, never an empty one", () => {
    const point = { date: "2024-05-01T00:00:00Z", signal: "state", value: "open" };
    assert.deepEqual(ndjsonPoint(point, { allowText: true }), [
      { signal: "state", date: "2024-05-01T00:00:00.000Z", value: "open" },
    ]);
    assert.match(
      (ndjsonPoint(point, { allowText: false }) as { error: string }).error,
      /--allow-text sends text values/,
    );
    assert.ok("error" in (ndjsonPoint({ ...point, value: "" }, { allowText: true }) as object));
  });
});

describe("databoom history formats", () => {
  const file = (name: string) => ({ kind: "file" as const, name });
  it("by extension, also under .gz, case-insensitive", () => {
    assert.equal(formatOf(file("a.csv"), undefined), "csv");
    assert.equal(formatOf(file("dir/a.CSV.gz"), undefined), "csv");
    assert.equal(formatOf(file("a.ndjson"), undefined), "ndjson");
    assert.equal(formatOf(file("a.jsonl.gz"), undefined), "ndjson");
  });

  it("--format wins; stdin and unknown names without it are usage errors", () => {
    assert.equal(formatOf(file("a.txt"), "csv"), "csv");
    assert.equal(formatOf({ kind: "stdin", name: "stdin" }, "ndjson"), "ndjson");
    for (const [source, message] of [
      [
        { kind: "stdin" as const, name: "stdin" },
        /reading stdin needs --format csv or --format ndjson/,
      ],
      [file("a.txt"), /a\.txt: cannot tell its format from its name/],
      [file("a.gz"), /cannot tell its format/],
    ] as const) {
      assert.throws(
        () => formatOf(source, undefined),
        (e: unknown) =>
          e instanceof UsageError && e.exitCode === ExitCode.usage && message.test(e.message),
      );
    }
  });
});
