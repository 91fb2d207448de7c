import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AuthError,
  EvsendError,
  ExitCode,
  RejectedError,
  UnavailableError,
} from "../../src/errors.js";
import { parseDate } from "../../src/services/databoom/dates.js";
import {
  buildHistoryRequest,
  buildPushRequest,
  historyBody,
  historyRows,
  interpretResponse,
  type DataboomTarget,
  type HistoryPoint,
} from "../../src/services/databoom/protocol.js";
import { parseSignalArguments, parseValue } from "../../src/services/databoom/signals.js";
import { shortenServerText } from "../../src/transport/server-text.js";

const target: DataboomTarget = {
  url: "https://api.databoom.com/v1",
  device: "dev-42",
  token: "made-up-oauth",
};

describe("databoom dates", () => {
  const now = new Date("2024-05-01T12:34:56.789Z");
  const cases: Array<[string, string]> = [
    ["2024-05-01T12:00:00Z", "2024-05-01T12:00:00.000Z"],
    ["2024-05-01t12:00:00z", "2024-05-01T12:00:00.000Z"],
    ["2024-05-01T14:00:00+02:00", "2024-05-01T12:00:00.000Z"],
    ["2020-02-05T02:59:33.000+0000", "2020-02-05T02:59:33.000Z"],
    ["2024-05-01 12:00:00.123456-0130", "2024-05-01T13:30:00.123Z"],
    ["2024-05-01T12:00Z", "2024-05-01T12:00:00.000Z"],
    ["2024-05-01T12:00:00+05", "2024-05-01T07:00:00.000Z"],
    ["1714564800", "2024-05-01T12:00:00.000Z"],
    ["1714564800.5", "2024-05-01T12:00:00.500Z"],
    ["1714564800123", "2024-05-01T12:00:00.123Z"],
    ["0", "1970-01-01T00:00:00.000Z"],
    ["now", "2024-05-01T12:34:56.789Z"],
    [" NOW ", "2024-05-01T12:34:56.789Z"],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} → ${expected}`, () => assert.equal(parseDate(text, now), expected));
  }

  it("without an offset, ISO 8601 is local time (a date alone is local midnight)", () => {
    assert.equal(parseDate("2024-05-01T12:00:00"), new Date(2024, 4, 1, 12).toISOString());
    assert.equal(parseDate("2024-05-01"), new Date(2024, 4, 1).toISOString());
  });

  it("dates in toISOString's form (the fast path) come out as the general parser reads them", () => {
    // Every day of a leap and a common year, at times near the limits of each field.
    for (const year of [2023, 2024, 1900, 2000]) {
      for (let day = 0; day < 366; day++) {
        const time = Date.UTC(year, 0, 1 + day, day % 24, (day * 7) % 60, (day * 13) % 60, day);
        const iso = new Date(time).toISOString();
        assert.equal(parseDate(iso), iso);
        assert.equal(parseDate(`${iso.slice(0, 19)}Z`), `${iso.slice(0, 19)}.000Z`);
      }
    }
  });

  for (const bad of [
    "",
    "yesterday",
    "2024-02-30",
    "2023-02-29T00:00:00.000Z",
    "1900-02-29T00:00:00Z",
    "2024-04-31T00:00:00.000Z",
    "2024-00-10T00:00:00.000Z",
    "2024-05-01T23:59:60.000Z",
    "2024-05-01T12:00:00.0a0Z",
    "2024-05-01T12:00:00-000Z",
    "2024-13-01",
    "2024-05-01T24:00:00Z",
    "2024-05-01T12:60Z",
    "2024-05-01T12:00:61Z",
    "2024-05-01T12:00:00+25:00",
    "1e12",
    "0x10",
    "05/01/2024",
    "9".repeat(20),
  ]) {
    it(`refuses ${JSON.stringify(bad)}, saying what is accepted`, () =>
      assert.throws(
        () => parseDate(bad, now),
        /is not a date: use ISO 8601.*epoch seconds or milliseconds, or now/,
      ));
  }
});

describe("databoom values and signal=value arguments", () => {
  it("numbers as people write them; nothing else without allowText", () => {
    assert.equal(parseValue("21.5", false), 21.5);
    assert.equal(parseValue(" -3 ", false), -3);
    assert.equal(parseValue(".5", false), 0.5);
    assert.equal(parseValue("1e3", false), 1000);
    for (const text of ["abc", "0x10", "Infinity", "NaN", "1,5", "true"])
      assert.throws(() => parseValue(text, false), /is not a number/, text);
    assert.throws(() => parseValue("1e999", false), /too large/);
    assert.throws(() => parseValue("  ", true), /empty/);
    assert.equal(parseValue("open", true), "open");
    assert.equal(parseValue("42", true), 42);
  });

  it("keeps argument order, splits at the first =", () => {
    assert.deepEqual(parseSignalArguments(["b=2", "a=1", "eq=3"], false), [
      { name: "b", value: 2 },
      { name: "a", value: 1 },
      { name: "eq", value: 3 },
    ]);
    assert.deepEqual(parseSignalArguments(["expr=a=b"], true), [{ name: "expr", value: "a=b" }]);
  });

  it("an empty value: the hint does not offer --allow-text, which would not help", () => {
    for (const allowText of [false, true]) {
      assert.throws(
        () => parseSignalArguments(["temp="], allowText),
        (e: unknown) =>
          e instanceof EvsendError &&
          /give temp a value \(temp=21\.5\); an empty value is refused even with --allow-text/.test(
            e.hint ?? "",
          ),
      );
    }
    assert.throws(
      () => parseSignalArguments(["temp=warm"], false),
      (e: unknown) => e instanceof EvsendError && /text needs --allow-text/.test(e.hint ?? ""),
    );
  });

  const refusals: Array<[string[], number, RegExp]> = [
    [[], ExitCode.usage, /no signals/],
    [["temperature"], ExitCode.usage, /"temperature" is not signal=value/],
    [["a=1", "=2"], ExitCode.input, /argument 2 \("=2"\) has no signal name/],
    [["a=1", "b=2", "a=3"], ExitCode.input, /argument 3 \("a=3"\): signal "a" is given twice/],
    [["a=warm"], ExitCode.input, /argument 1 \("a=warm"\): "warm" is not a number/],
    [["a="], ExitCode.input, /argument 1 \("a="\): the value is empty/],
  ];
  for (const [args, code, message] of refusals) {
    it(`${JSON.stringify(args)} → exit ${code}`, () =>
      assert.throws(
        () => parseSignalArguments(args, false),
        (error: { exitCode: number; message: string }) =>
          error.exitCode === code && message.test(error.message),
      ));
  }
});

describe("databoom requests", () => {
  it("push: POST <base>/signals/push, Bearer token, JSON numbers in argument order", () => {
    const request = buildPushRequest(target, [
      { name: "temp", value: 21.5 },
      { name: "state", value: "open" },
    ]);
    assert.equal(request.method, "POST");
    assert.equal(request.url, "https://api.databoom.com/v1/signals/push");
    assert.deepEqual(request.headers, {
      authorization: "Bearer made-up-oauth",
      "content-type": "application/json",
    });
    assert.equal(
      request.body,
      '{"device":"dev-42","signals":[{"name":"temp","value":21.5},{"name":"state","value":"open"}]}',
    );
  });

  it("push with a date puts it before the signals; without one there is no date field", () => {
    const body = buildPushRequest(
      target,
      [{ name: "a", value: 1 }],
      "2024-05-01T12:00:00.000Z",
    ).body;
    assert.equal(
      body,
      '{"device":"dev-42","date":"2024-05-01T12:00:00.000Z","signals":[{"name":"a","value":1}]}',
    );
  });

  it("history: points grouped by signal in first-seen order, each in input order", () => {
    const request = buildHistoryRequest(target, [
      [
        { signal: "b", date: "2024-05-01T00:00:00.000Z", value: 1 },
        { signal: "__proto__", date: "2024-05-01T00:00:00.000Z", value: 2 },
      ],
      [{ signal: "b", date: "2024-05-01T00:01:00.000Z", value: 3 }],
    ]);
    assert.equal(request.url, "https://api.databoom.com/v1/signals/push");
    assert.deepEqual(JSON.parse(request.body as string), {
      device: "dev-42",
      signals: {
        b: {
          history: [
            { date: "2024-05-01T00:00:00.000Z", value: 1 },
            { date: "2024-05-01T00:01:00.000Z", value: 3 },
          ],
        },
        ["__proto__"]: { history: [{ date: "2024-05-01T00:00:00.000Z", value: 2 }] },
      },
    });
    assert.match(request.body as string, /^\{"device":"dev-42","signals":\{"b":/);
  });

  it("history: the rows are read back from a body as they were, in input order", () => {
    const date = "2024-05-01T00:00:00.000Z";
    const later = "2024-05-01T00:01:00.000Z";
    const rows = [
      [
        { signal: "b", date, value: 1.5 },
        { signal: "__proto__", date, value: 'text "q"' },
        { signal: "7", date, value: -2e-7 },
      ],
      [],
      [{ signal: "7", date: later, value: 1e21 }],
      [
        { signal: "b", date: later, value: 0 },
        { signal: "__proto__", date: later, value: 5e-324 },
      ],
    ];
    const packed = historyBody("dev", rows);
    assert.deepEqual(packed.signals, ["b", "__proto__", "7"]);
    assert.deepEqual(packed.order, [0, 1, 2, 2, 0, 1]);
    assert.deepEqual(packed.sizes, [3, 0, 1, 2]);
    const back = historyRows({ ...packed, body: packed.parts.join("") });
    assert.deepEqual(back, rows);
    // Rebuilt, the same body: a half after a 413 is what it would have been.
    assert.deepEqual(historyBody("dev", back).parts, packed.parts);
  });

  it("history: a long batch's text comes in parts of at most about 64 KiB, joined the JSON.stringify of the same object", () => {
    const rows: HistoryPoint[][] = [];
    const signals: Record<string, { history: Array<{ date: string; value: number }> }> = {};
    for (let i = 0; i < 5000; i++) {
      const signal = i % 3 === 0 ? "odd" : "even";
      const date = new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString();
      rows.push([{ signal, date, value: i / 7 }]);
      (signals[signal] ??= { history: [] }).history.push({ date, value: i / 7 });
    }
    const { parts, order } = historyBody("dev", rows);
    assert.equal(parts.join(""), JSON.stringify({ device: "dev", signals }));
    assert.ok(parts.length >= 6, `${parts.length} parts`);
    for (const part of parts) assert.ok(part.length <= 64 * 1024, `a part of ${part.length}`);
    assert.equal(order.length, 5000);
  });

  it("history: the body is the JSON.stringify of the same object, text and names escaped", () => {
    const date = "2024-05-01T00:00:00.000Z";
    const values = [0, -0, 1.5, -2e-7, 1e21, 123456789.123, 5e-324, 'say "hi"\n', "\u2028"];
    const rows = values.map((value, i) => [{ signal: i % 2 ? 'q"uote\\' : "123", date, value }]);
    const request = buildHistoryRequest({ ...target, device: 'd"ev' }, rows);
    const signals: Record<string, { history: object[] }> = {};
    for (const { signal, value } of rows.flat())
      (signals[signal] ??= { history: [] }).history.push({ date, value });
    assert.equal(request.body, JSON.stringify({ device: 'd"ev', signals }));
  });
});

describe("databoom responses", () => {
  const response = (status: number, body: string, attempts = 1) => ({
    status,
    body,
    headers: {},
    attempts,
  });

  it("ALL_INFO_PROCESSED is success without a warning", () =>
    assert.deepEqual(interpretResponse(response(200, '{"message":"ALL_INFO_PROCESSED"}')), {}));

  it("any other 2xx is success with a warning that quotes it", () => {
    assert.match(
      interpretResponse(response(200, '{"message":"SOME_SIGNALS_IGNORED"}')).warning ?? "",
      /HTTP 200.*SOME_SIGNALS_IGNORED.*not ALL_INFO_PROCESSED/,
    );
    assert.match(interpretResponse(response(204, "")).warning ?? "", /empty answer/);
  });

  it("401 and 403 are authentication errors with the Publish permission hint", () => {
    for (const status of [401, 403]) {
      assert.throws(
        () => interpretResponse(response(status, '{"message":"Unauthorized"}')),
        (e: unknown) =>
          e instanceof AuthError &&
          e.message.includes(`HTTP ${status}`) &&
          /Publish permission/.test(e.hint ?? ""),
      );
    }
  });

  it("429 and 5xx are unavailable (after retries), other statuses rejected", () => {
    assert.throws(
      () => interpretResponse(response(503, "down", 6)),
      (e: unknown) => e instanceof UnavailableError && /HTTP 503 after 6 attempts/.test(e.message),
    );
    assert.throws(
      () => interpretResponse(response(400, '{"message":"device is missing"}')),
      (e: unknown) =>
        e instanceof RejectedError &&
        /HTTP 400\): \{"message":"device is missing"\}/.test(shortenServerText(e.message)),
    );
    assert.throws(
      () => interpretResponse(response(404, "")),
      (e: unknown) => e instanceof RejectedError && /should end in \/v1/.test(e.hint ?? ""),
    );
    assert.throws(
      () => interpretResponse(response(413, "")),
      (e: unknown) => e instanceof RejectedError && /--batch-points/.test(e.hint ?? ""),
    );
  });
});
