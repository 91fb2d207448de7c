import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MASK, Redactor } from "../../src/transport/redact.js";

describe("Redactor", () => {
  const cases: Array<[string, string]> = [
    [
      "https://http-eu.devo.io/event/acme/token!abc123/host/my.app.x?hi",
      `https://http-eu.devo.io/event/acme/token!${MASK}/host/my.app.x?hi`,
    ],
    ["POST http://h/stream/d/token%21s3cr%2Ft/h/t", `POST http://h/stream/d/token%21${MASK}/h/t`],
    ["could not reach http://u:p4ss@proxy:8080/x", `could not reach http://u:${MASK}@proxy:8080/x`],
    ["no secrets here", "no secrets here"],
  ];
  for (const [input, expected] of cases) {
    it(`masks ${JSON.stringify(input)}`, () =>
      assert.equal(new Redactor().redact(input), expected));
  }

  it("masks registered secrets, raw and percent-encoded", () => {
    const r = new Redactor();
    r.add("s3cr/t+x");
    assert.equal(r.redact("a s3cr/t+x b s3cr%2Ft%2Bx c"), `a ${MASK} b ${MASK} c`);
  });

  it("masks the longer of two overlapping secrets whole", () => {
    const r = new Redactor();
    r.add("abc");
    r.add("abcdef");
    assert.equal(r.redact("xabcdefx"), `x${MASK}x`);
  });

  it("ignores empty secrets", () => {
    const r = new Redactor();
    r.add("");
    r.add(undefined);
    assert.equal(r.redact("text"), "text");
  });

  it("masks secret headers by name and secrets in other headers", () => {
    const r = new Redactor();
    r.add("tok");
    assert.deepEqual(
      r.redactHeaders({
        Authorization: "Bearer x",
        "access-key": "k",
        "DF-API-KEY": "y",
        "x-note": "has tok",
        accept: "*/*",
      }),
      {
        Authorization: MASK,
        "access-key": MASK,
        "DF-API-KEY": MASK,
        "x-note": `has ${MASK}`,
        accept: "*/*",
      },
    );
  });
});
