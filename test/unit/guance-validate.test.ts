import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  bodyViolations,
  EVENT_STATUSES,
  RESERVED_FIELDS,
} from "../../src/services/guance/validate.js";

/** A body whose event is `status: ok` plus `fields`. */
const withEvent = (fields: Record<string, unknown>): unknown => ({
  event: { status: "ok", ...fields },
});

describe("Guance field rules: each rule on its own", () => {
  const cases: Array<[string, unknown, string[]]> = [
    ["a minimal event", withEvent({}), []],
    [
      "every documented field, valid",
      {
        event: {
          status: "warning",
          title: "Disk almost full",
          message: "…",
          date: 1763800000,
          dimension_tags: { host: "web-01" },
          check_value: 91.5,
          ext_team: "storage",
        },
        extraData: { ticket: "OPS-42" },
      },
      [],
    ],
    ["the body is not an object", [1], ["the body must be an object with an event, not an array"]],
    ["no event", { extraData: {} }, ["event is required"]],
    ["event not an object", { event: "x" }, ["event must be an object, not a string"]],
    [
      "an unknown top-level key",
      { event: { status: "ok" }, extra_data: {} },
      [
        'unknown top-level key "extra_data": the body holds event and extraData (spelled extraData)',
      ],
    ],
    [
      "extraData not an object",
      { event: { status: "ok" }, extraData: "x" },
      ["extraData must be an object, not a string"],
    ],
    [
      "status missing",
      { event: {} },
      [`event.status is required: one of ${EVENT_STATUSES.join(", ")}`],
    ],
    [
      "status unknown",
      withEvent({ status: "warn" }),
      [`event.status "warn" is not one of ${EVENT_STATUSES.join(", ")}`],
    ],
    [
      "status not a string",
      withEvent({ status: 3 }),
      [`event.status a number is not one of ${EVENT_STATUSES.join(", ")}`],
    ],
    [
      "date with a fraction",
      withEvent({ date: 1.5 }),
      ["event.date must be a whole number of seconds since the epoch, not 1.5"],
    ],
    [
      "date as a string",
      withEvent({ date: "2025-01-01" }),
      ["event.date must be a whole number of seconds since the epoch, not a string"],
    ],
    [
      "date negative",
      withEvent({ date: -1 }),
      ["event.date must be a whole number of seconds since the epoch, not -1"],
    ],
    [
      "date in milliseconds",
      withEvent({ date: 1763800000123 }),
      ["event.date 1763800000123 looks like milliseconds; Guance wants seconds (1763800000)"],
    ],
    ["title not a string", withEvent({ title: 1 }), ["event.title must be a string, not a number"]],
    ["message null", withEvent({ message: null }), ["event.message must be a string, not null"]],
    [
      "dimension_tags a list",
      withEvent({ dimension_tags: ["a"] }),
      ["event.dimension_tags must be an object, not an array"],
    ],
    [
      "a tag value not a string",
      withEvent({ dimension_tags: { n: 1 } }),
      ["event.dimension_tags.n must be a string, not a number"],
    ],
    [
      "check_value a string",
      withEvent({ check_value: "91" }),
      ["event.check_value must be a number, not a string"],
    ],
    [
      "check_value 1e400 (Infinity once parsed, null once sent)",
      JSON.parse('{"event":{"status":"ok","check_value":1e400}}') as Record<string, unknown>,
      ["event.check_value is too large a number (beyond ±1.8e308); it would be sent as null"],
    ],
    [
      "labels a string",
      withEvent({ labels: "a" }),
      ["event.labels must be an object or a list, not a string"],
    ],
    // The four rules of user-defined fields.
    [
      "1. a custom value not a string",
      withEvent({ ext_n: 1 }),
      ["event.ext_n must be a string (user-defined fields take strings), not a number"],
    ],
    [
      "2. a name starting with _",
      withEvent({ _x: "a" }),
      ["event._x: a user-defined field name must not start with _ or df_"],
    ],
    [
      "2. a name starting with df_",
      withEvent({ df_x: "a" }),
      ["event.df_x: a user-defined field name must not start with _ or df_"],
    ],
    [
      "3. a name that is a dimension_tags key",
      withEvent({ dimension_tags: { host: "a" }, host: "b" }),
      ["event.host is also a dimension_tags or labels key"],
    ],
    [
      "3. a name that is a labels entry",
      withEvent({ labels: ["team"], team: "b" }),
      ["event.team is also a dimension_tags or labels key"],
    ],
    [
      "3. a name that is a labels key",
      withEvent({ labels: { team: "x" }, team: "b" }),
      ["event.team is also a dimension_tags or labels key"],
    ],
    [
      "a custom field with an empty name",
      withEvent({ "": "a" }),
      ["a user-defined field has an empty name"],
    ],
  ];
  for (const [name, body, expected] of cases) {
    it(name, () => assert.deepEqual(bodyViolations(body), expected));
  }
});

describe("Guance field rules: 4. reserved names", () => {
  // The reserved names that are not documented fields themselves (those are checked by type).
  for (const name of [
    "source",
    "time",
    "time_us",
    "timestamp",
    "workspace_uuid",
    "workspace_name",
    "extra_data",
    "create_time",
  ]) {
    it(`${name} is refused as a user-defined field`, () =>
      assert.deepEqual(bodyViolations(withEvent({ [name]: "x" })), [
        `event.${name}: "${name}" is reserved; prefix your own fields, e.g. ext_${name}`,
      ]));
  }
  it("the list is Guance's fourteen names", () => assert.equal(RESERVED_FIELDS.length, 14));
});

describe("Guance field rules: every violation at once", () => {
  it("reports all problems of one event, in field order", () => {
    const body = {
      event: {
        status: "warn",
        date: 1.5,
        check_value: "x",
        dimension_tags: { host: "a" },
        host: "b",
        _a: 1,
        source: "s",
      },
      extraData: [],
    };
    assert.deepEqual(bodyViolations(body), [
      `event.status "warn" is not one of ${EVENT_STATUSES.join(", ")}`,
      "event.date must be a whole number of seconds since the epoch, not 1.5",
      "event.check_value must be a number, not a string",
      "event.host is also a dimension_tags or labels key",
      "event._a must be a string (user-defined fields take strings), not a number",
      "event._a: a user-defined field name must not start with _ or df_",
      'event.source: "source" is reserved; prefix your own fields, e.g. ext_source',
      "extraData must be an object, not an array",
    ]);
  });
});
