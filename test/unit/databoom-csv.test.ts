import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import { emptyStats } from "../../src/bulk/batcher.js";
import { NOT_UTF8 } from "../../src/input/lines.js";
import type { RecordEvent } from "../../src/bulk/records.js";
import {
  csvReason,
  csvRows,
  HEADER_FORMS,
  headerOf,
} from "../../src/services/databoom/csv-rows.js";
import type { Row } from "../../src/services/databoom/rows.js";
import { eventsOf } from "../helpers/records.js";

/** Feeds `text` in chunks of `size` bytes, all through ONE reused buffer, as the file reader does. */
async function* reusedChunks(text: string | Buffer, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  const shared = Buffer.alloc(size);
  for (let at = 0; at < bytes.length; at += size) {
    const n = bytes.copy(shared, 0, at, at + size);
    yield shared.subarray(0, n);
    shared.fill(0x21); // scribble: a parser that kept the previous chunk now reads garbage
  }
}

async function parseCsv(
  text: string | Buffer,
  { size = 7, allowText = false, delimiter = undefined as string | undefined } = {},
) {
  const stats = emptyStats();
  const events: Array<RecordEvent<Row>> = [];
  /** Each event's `end` (the offset past its row, for progress), kept apart from the event. */
  const ends: Array<number | undefined> = [];
  const parser = csvRows({ allowText, ...(delimiter !== undefined ? { delimiter } : {}) });
  for await (const { end, ...event } of eventsOf(
    parser({ source: "p.csv", chunks: reusedChunks(text, size), stats }),
  )) {
    events.push(event);
    ends.push(end);
  }
  return { events, stats, ends };
}

const iso = (text: string): string => new Date(text).toISOString();

describe("databoom CSV rows", () => {
  it("long form: one point per row, each with the line it is on", async () => {
    const { events, stats, ends } = await parseCsv(
      "date,signal,value\n2024-05-01T00:00:00Z,temp,21.5\n2024-05-01T00:01:00Z,hum,40\n",
    );
    // Each row's `end`: the offset just past it and its newline (progress counts up to there).
    assert.deepEqual(ends, [18 + 31, 18 + 31 + 28]);
    assert.deepEqual(events, [
      {
        type: "record",
        line: 2,
        value: [{ signal: "temp", date: iso("2024-05-01T00:00:00Z"), value: 21.5 }],
        weight: 1,
      },
      {
        type: "record",
        line: 3,
        value: [{ signal: "hum", date: iso("2024-05-01T00:01:00Z"), value: 40 }],
        weight: 1,
      },
    ]);
    assert.equal(stats.records, 2);
  });

  it("long form columns in any order, names in any case", async () => {
    const { events } = await parseCsv("Value,DATE,Signal\n3,1714521600,x\n");
    assert.deepEqual(events[0], {
      type: "record",
      line: 2,
      value: [{ signal: "x", date: "2024-05-01T00:00:00.000Z", value: 3 }],
      weight: 1,
    });
  });

  it("wide form: one point per non-empty cell; a row with no values is an empty line", async () => {
    const { events, stats } = await parseCsv(
      "date,temp,hum\n1714521600,21.5,40\n1714521660,,41\n1714521720,,\n",
    );
    assert.deepEqual(
      events.map((e) =>
        e.type === "record" ? [e.line, e.weight, e.value.map((p) => p.signal)] : e,
      ),
      [
        [2, 2, ["temp", "hum"]],
        [3, 1, ["hum"]],
      ],
    );
    assert.equal(stats.records, 2);
    assert.equal(stats.emptyLines, 1);
  });

  it("BOM, CRLF, quoted fields with commas, quotes and newlines; a row's line is where it starts", async () => {
    const text =
      '\uFEFFdate,signal,value\r\n2024-05-01T00:00:00Z,"a,b",1\r\n' +
      '2024-05-01T00:00:00Z,"say ""hi""\nthere",2\r\n\r\n2024-05-01T00:00:00Z,z,3\r\n';
    for (const size of [1, 3, 64 * 1024]) {
      const { events, stats } = await parseCsv(text, { size });
      assert.deepEqual(
        events.map((e) =>
          e.type === "record" ? [e.line, e.value[0]!.signal, e.value[0]!.value] : e,
        ),
        [
          [2, "a,b", 1],
          [3, 'say "hi"\nthere', 2],
          [6, "z", 3],
        ],
        `chunks of ${size}`,
      );
      assert.equal(stats.emptyLines, 1);
    }
  });

  it("rejects wrong column counts, bad dates, non-numbers and empty signals with their lines", async () => {
    const { events, stats } = await parseCsv(
      "date,signal,value\n2024-05-01,a\n2024-13-01,a,1\n2024-05-01,a,warm\n2024-05-01,,1\n2024-05-01,ok,1\n",
    );
    assert.deepEqual(
      events.map((e) => (e.type === "rejected" ? [e.line, e.reason] : [e.line, "ok"])),
      [
        [2, "2 fields, but the header has 3"],
        [3, '"2024-13-01" is not a date (ISO 8601, epoch seconds or milliseconds)'],
        [4, 'a: "warm" is not a number (--allow-text sends text values)'],
        [5, "the signal name is empty"],
        [6, "ok"],
      ],
    );
    assert.equal(stats.records, 5);
  });

  it("--allow-text sends text values as strings, numbers still as numbers", async () => {
    const { events } = await parseCsv("date,state,temp\n1714521600,open,21\n", { allowText: true });
    assert.deepEqual(
      events.map((e) => (e.type === "record" ? e.value.map((p) => p.value) : e)),
      [["open", 21]],
    );
  });

  it("a stray quote rejects that row with csv-parse's reason, and reading goes on", async () => {
    const { events } = await parseCsv('date,signal,value\n2024-05-01,a,1\n2024-05-01,"a"b,1\n');
    assert.equal(events[0]?.type, "record");
    assert.equal(events[1]?.type, "rejected");
    assert.equal(events[1]?.line, 3);
    assert.match((events[1] as { reason: string }).reason, /Invalid Closing Quote/);
  });

  it("an unclosed quote swallowing over 1 MB: that row rejected, the rest of the file not read", async () => {
    const text =
      'date,signal,value\n2024-05-01,a,1\n2024-05-01,"open,1\n' + "x,y,1\n".repeat(200_000);
    const { events } = await parseCsv(text, { size: 64 * 1024 });
    assert.deepEqual(
      events.map((e) => (e.type === "rejected" ? [e.line, e.reason] : [e.line, "ok"])),
      [
        [2, "ok"], // the row before it is still sent
        [3, "a row longer than 1048576 bytes (an unclosed quote?); the rest of p.csv is not read"],
      ],
    );
  });

  it("one line over 1 MiB: that row rejected with its line, the rows around it sent", async () => {
    const long = `2024-05-01,big,${"9".repeat(1_100_000)}`;
    const text = `date,signal,value\n2024-05-01,a,1\n${long}\n2024-05-01,b,2\n"x\n${long}\n",c,3\n2024-05-01,d,4`;
    const { events, stats } = await parseCsv(text, { size: 64 * 1024 });
    assert.deepEqual(
      events.map((e) => (e.type === "rejected" ? [e.line, e.reason] : [e.line, "ok"])),
      [
        [2, "ok"],
        [3, "a line of 1100015 bytes is longer than the 1048576-byte limit of a row"],
        [4, "ok"],
        // A quoted row with such a line in it is rejected whole, on the line it starts on.
        [5, "a line of 1100015 bytes is longer than the 1048576-byte limit of a row"],
        [8, "ok"],
      ],
    );
    assert.equal(stats.records, 5);
  });

  it("a header without date, with duplicates or without signals: why, told once", () => {
    assert.match(
      headerOf(["time", "a"]) as string,
      /^the header has no date column \(the first row names/,
    );
    assert.equal(headerOf(["date", "a", "a"]), 'the header names signal "a" twice');
    assert.match(headerOf(["date"]) as string, /^the header has no signal column/);
    assert.equal(headerOf(["date", "a", ""]), "column 3 of the header has no name");
    assert.equal(headerOf(["date", "a", "Date"]), "the header has two date columns");
    assert.deepEqual(headerOf(["date", "signal", "value"]), {
      form: "long",
      date: 0,
      signal: 1,
      value: 2,
    });
  });

  it("an unusable header is not a row: the first row it stops says why, the others name it", async () => {
    const { events, stats } = await parseCsv("time,a\n1,2\n\n3,4\n");
    assert.deepEqual(
      events.map((e) => (e.type === "rejected" ? [e.line, e.reason] : e)),
      [
        [2, `the header (line 1) is unusable: the header has no date column (${HEADER_FORMS})`],
        [4, "the header (line 1) is unusable"],
      ],
    );
    assert.equal(stats.records, 2);
    assert.equal(stats.emptyLines, 1);
  });

  it("a header alone that is unusable: rejected on its own line, one record", async () => {
    const { events, stats } = await parseCsv("time,a\n");
    assert.deepEqual(
      events.map((e) => (e.type === "rejected" ? [e.line, e.reason.slice(0, 30)] : e)),
      [[1, "the header has no date column "]],
    );
    assert.equal(stats.records, 1);
  });

  it("a semicolon-separated file: the delimiter is noticed; --delimiter ';' reads it", async () => {
    const text = "Date;Temp\n2024-05-01T12:00:00Z;21.5\n";
    const { events, stats } = await parseCsv(text);
    assert.equal(events.length, 1);
    const [rejected] = events;
    assert.equal(rejected?.type, "rejected");
    assert.match(
      rejected?.type === "rejected" ? rejected.reason : "",
      /; its fields seem separated by ";": pass --delimiter ';'$/,
    );
    assert.equal(stats.records, 1);
    const read = await parseCsv(text, { delimiter: ";" });
    assert.deepEqual(
      read.events.map((e) => (e.type === "record" ? e.value : e)),
      [[{ signal: "Temp", date: "2024-05-01T12:00:00.000Z", value: 21.5 }]],
    );
    const tabs = await parseCsv("date\ttemp\n1714564800\t1\n");
    assert.match(
      tabs.events[0]?.type === "rejected" ? tabs.events[0].reason : "",
      /separated by a tab: pass --delimiter tab$/,
    );
  });

  it("bytes that are not UTF-8: that row rejected with a hint, never a mangled name", async () => {
    const latin1 = (text: string): Buffer => Buffer.from(text, "latin1");
    const rows = await parseCsv(
      Buffer.concat([
        Buffer.from("date,signal,value\n2024-05-01,temp,1\n"),
        latin1("2024-05-01,temp\xe9rature,2\n"),
        Buffer.from("2024-05-01,hum,3\n"),
      ]),
    );
    assert.deepEqual(
      rows.events.map((e) => (e.type === "rejected" ? [e.line, e.reason] : [e.line, "ok"])),
      [
        [2, "ok"],
        [3, NOT_UTF8],
        [4, "ok"],
      ],
    );
    // A Latin-1 header: rejected as such, and the rows with it.
    const wide = await parseCsv(latin1("date,temp\xe9rature\n2024-05-01,2\n"));
    assert.deepEqual(
      wide.events.map((e) => (e.type === "rejected" ? [e.line, e.reason.slice(0, 34)] : e)),
      [[2, "the header (line 1) is unusable: t"]],
    );
    // A U+FFFD that is really in a UTF-8 file is data like any other.
    const real = await parseCsv("date,signal,value\n2024-05-01,t\uFFFD,1\n");
    assert.deepEqual(
      real.events.map((e) => e.type),
      ["record"],
    );
  });

  it("a read error of the input surfaces as it is", async () => {
    const failing = async function* (): AsyncGenerator<Buffer> {
      yield Buffer.from("date,signal,value\n2024-05-01,a,1\n");
      throw new InputError("p.csv: read failed: EIO");
    };
    const events: unknown[] = [];
    await assert.rejects(async () => {
      for await (const e of eventsOf(
        csvRows({ allowText: false })({ source: "p.csv", chunks: failing(), stats: emptyStats() }),
      ))
        events.push(e);
    }, /read failed: EIO/);
  });
});

describe("csvReason", () => {
  it("drops what csv-parse quotes of the row and its own line count", () => {
    assert.equal(
      csvReason(
        'Invalid Opening Quote: a quote is found on field 0 at line 3, value is "x\u0000y"',
      ),
      "Invalid Opening Quote: a quote is found on field 0",
    );
    assert.equal(
      csvReason("Quote Not Closed: the parsing is finished with an opening quote at line 7"),
      "Quote Not Closed: the parsing is finished with an opening quote",
    );
  });
});
