import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ExitCode, InputError } from "../../src/errors.js";
import {
  bodyFromFlags,
  bodyFromJson,
  checkedBody,
  parseCheckValue,
  parseEventDate,
  parseKeyValue,
  type EventFlags,
} from "../../src/services/guance/event.js";

const flags = (more: Partial<EventFlags> = {}): EventFlags => ({
  status: "ok",
  tags: [],
  fields: [],
  extras: [],
  ...more,
});

describe("Guance event from flags", () => {
  it("every kind of field; extraData omitted when empty", () => {
    const { body, violations } = bodyFromFlags(
      flags({
        status: "warning",
        title: "T",
        message: "M",
        date: 1763800000,
        checkValue: 91.5,
        tags: [["host", "web-01"]],
        fields: [["ext_team", "storage"]],
      }),
    );
    assert.deepEqual(violations, []);
    assert.deepEqual(body, {
      event: {
        status: "warning",
        title: "T",
        message: "M",
        date: 1763800000,
        check_value: 91.5,
        dimension_tags: { host: "web-01" },
        ext_team: "storage",
      },
    });
  });
  it("--extra → extraData", () =>
    assert.deepEqual(bodyFromFlags(flags({ extras: [["ticket", "OPS-42"]] })).body.extraData, {
      ticket: "OPS-42",
    }));
  it("a --field with a documented name is reported, never merged over --title", () => {
    const { body, violations } = bodyFromFlags(flags({ title: "T", fields: [["title", "x"]] }));
    assert.equal(body.event.title, "T");
    assert.deepEqual(violations, [
      'event.title: "title" is reserved; prefix your own fields, e.g. ext_title',
    ]);
  });
  it("--field labels=… is reported: labels is not a string field", () =>
    assert.deepEqual(bodyFromFlags(flags({ fields: [["labels", "x"]] })).violations, [
      "event.labels is an object or a list, which --field cannot set; use --event-json",
    ]));
  it("a key given twice is reported", () =>
    assert.deepEqual(
      bodyFromFlags(
        flags({
          tags: [
            ["a", "1"],
            ["a", "2"],
          ],
          extras: [
            ["b", ""],
            ["b", ""],
          ],
        }),
      ).violations,
      ["--tag a is given more than once", "--extra b is given more than once"],
    ));
  it("flag problems and field rules together", () =>
    assert.deepEqual(
      bodyFromFlags(
        flags({
          status: "warn",
          tags: [["host", "a"]],
          fields: [
            ["host", "b"],
            ["source", "c"],
          ],
        }),
      ).violations,
      [
        'event.source: "source" is reserved; prefix your own fields, e.g. ext_source',
        'event.status "warn" is not one of critical, error, warning, info, ok, fatal',
        "event.host is also a dimension_tags or labels key",
      ],
    ));
});

describe("Guance event from JSON", () => {
  it("the body form", () =>
    assert.deepEqual(bodyFromJson('{"event":{"status":"ok"},"extraData":{"a":"b"}}'), {
      body: { event: { status: "ok" }, extraData: { a: "b" } },
      violations: [],
    }));
  it("the event alone", () =>
    assert.deepEqual(bodyFromJson('{"status":"ok","ext_a":"b"}').body, {
      event: { status: "ok", ext_a: "b" },
    }));
  it("a custom field named event (a string) keeps the event-alone reading", () =>
    assert.deepEqual(bodyFromJson('{"status":"ok","event":"x"}').body, {
      event: { status: "ok", event: "x" },
    }));
  it("an empty extraData is left out", () =>
    assert.deepEqual(bodyFromJson('{"event":{"status":"ok"},"extraData":{}}').body, {
      event: { status: "ok" },
    }));
  it("not JSON is a violation", () =>
    assert.match(bodyFromJson("{status").violations[0] ?? "", /^not valid JSON: /));
});

describe("checkedBody", () => {
  it("passes a valid body through", () =>
    assert.deepEqual(checkedBody({ body: { event: { status: "ok" } }, violations: [] }), {
      event: { status: "ok" },
    }));
  it("lists every violation in one InputError (exit 5)", () =>
    assert.throws(
      () => checkedBody({ body: undefined, violations: ["one", "two"] }),
      (e: unknown) =>
        e instanceof InputError &&
        e.exitCode === ExitCode.input &&
        e.message ===
          "the event breaks Guance's field rules (2 problems); nothing was sent:\n  one\n  two",
    ));
});

describe("Guance flag parsers", () => {
  const dates: Array<[string, number]> = [
    ["1763800000", 1763800000],
    ["1763800000.9", 1763800000],
    ["1763800000123", 1763800000],
    ["2025-11-22T08:26:40Z", 1763800000],
    ["2025-11-22T10:26:40+02:00", 1763800000],
    ["2025-11-22", 1763769600],
  ];
  for (const [text, seconds] of dates)
    it(`--date ${text} → ${seconds}`, () => assert.equal(parseEventDate(text), seconds));
  it("--date now → the current time in whole seconds (NOW too)", () => {
    assert.equal(parseEventDate("now", 1763800000987), 1763800000);
    assert.equal(parseEventDate(" NOW ", 1763800000987), 1763800000);
  });
  for (const bad of ["yesterday", "1e9", "22/11/2025", ""]) {
    it(`--date "${bad}" is refused`, () =>
      assert.throws(() => parseEventDate(bad), /is not a date/));
  }
  it("--check-value: numbers only", () => {
    assert.equal(parseCheckValue("-2.5e3"), -2500);
    for (const bad of ["", "abc", "Infinity", "NaN"])
      assert.throws(() => parseCheckValue(bad), /is not a number/);
  });
  it("key=value split at the first =; an empty value is fine, an empty key not", () => {
    assert.deepEqual(parseKeyValue("a=b=c"), ["a", "b=c"]);
    assert.deepEqual(parseKeyValue("a="), ["a", ""]);
    assert.throws(() => parseKeyValue("=b"), /is not key=value/);
    assert.throws(() => parseKeyValue("ab"), /is not key=value/);
  });
});
