import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ExitCode, EvsendError } from "../../src/errors.js";
import { checkJson, locateJsonError } from "../../src/services/eventhos/json-check.js";
import {
  buildSendRequest,
  buildTokenRequest,
  jwtExpiry,
  parseEventhosUrl,
  plainHttpWarning,
} from "../../src/services/eventhos/protocol.js";

describe("eventhos requests", () => {
  it("send: POST <base>/event/send?event-identifier=<id>, access-key and JSON content type only", () => {
    const req = buildSendRequest(
      "https://e.example.com/api",
      "order created/9O_CE0Lcrz",
      "K",
      "{}",
    );
    assert.equal(req.method, "POST");
    assert.equal(
      req.url,
      "https://e.example.com/api/event/send?event-identifier=order%20created%2F9O_CE0Lcrz",
    );
    assert.deepEqual(req.headers, { "access-key": "K", "content-type": "application/json" });
    assert.equal(req.body, "{}");
    // Never an Authorization header nor an access_token parameter; the key never in the URL.
    assert.ok(!Object.keys(req.headers).some((h) => h.toLowerCase() === "authorization"));
    assert.doesNotMatch(req.url, /access_token|access-key|K$/);
    assert.equal(new URL(req.url).searchParams.getAll("event-identifier").length, 1);
  });

  it("token: POST <base>/auth/token with the client credentials grant as JSON", () => {
    const req = buildTokenRequest("https://e.example.com", "abc::usil.app", "s3cr3t");
    assert.equal(req.method, "POST");
    assert.equal(req.url, "https://e.example.com/auth/token");
    assert.deepEqual(req.headers, { "content-type": "application/json" });
    assert.deepEqual(JSON.parse(String(req.body)), {
      grant_type: "client_credentials",
      client_id: "abc::usil.app",
      client_secret: "s3cr3t",
    });
  });

  it("the URL: trailing slash dropped; userinfo refused (it would become an Authorization header)", () => {
    assert.equal(parseEventhosUrl("https://e.example.com/", "--url"), "https://e.example.com");
    for (const bad of ["https://u:p@e.example.com", "https://tok@e.example.com"]) {
      let error: unknown;
      try {
        parseEventhosUrl(bad, "--url");
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof EvsendError);
      assert.equal(error.exitCode, ExitCode.config);
      assert.match(error.message, /must not hold a user name or password/);
      assert.doesNotMatch(error.message, /:p@|tok@/);
    }
    assert.throws(() => parseEventhosUrl("e.example.com", "--url"), /not a URL/);
  });

  it("plain http warns unless the host is loopback", () => {
    assert.match(plainHttpWarning("http://e.example.com") ?? "", /clear text/);
    assert.equal(plainHttpWarning("http://127.0.0.1:4780"), undefined);
    assert.equal(plainHttpWarning("http://localhost"), undefined);
    assert.equal(plainHttpWarning("https://e.example.com"), undefined);
  });

  it("jwtExpiry reads exp (seconds) as milliseconds; none or no JWT → undefined", () => {
    const jwt = (payload: object): string =>
      `h.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.s`;
    assert.equal(jwtExpiry(jwt({ exp: 1_900_000_000 })), 1_900_000_000_000);
    assert.equal(jwtExpiry(jwt({ sub: "x" })), undefined);
    assert.equal(jwtExpiry(jwt({ exp: "soon" })), undefined);
    assert.equal(jwtExpiry("not-a-jwt"), undefined);
    assert.equal(jwtExpiry("a.!!!.c"), undefined);
  });
});

describe("eventhos JSON check", () => {
  it("valid JSON parses; no problem located", () => {
    for (const text of ['{"a":[1,-2.5e3,true,false,null,"\\u00e9\\n"]}', "[]", " {} "]) {
      assert.deepEqual(checkJson(text).ok, true, text);
      assert.equal(locateJsonError(text), undefined, text);
    }
  });

  const cases: Array<[string, number, number, RegExp]> = [
    ['{"a":}', 1, 6, /unexpected "}": expected a value/],
    ['{"a":1,}', 1, 8, /expected a "property name"/],
    ["[1,2", 1, 5, /unexpected end of input: expected ',' or ']'/],
    ['{"a" 1}', 1, 6, /expected ':' after the property name/],
    ['{"a":tru}', 1, 6, /expected a value/],
    ['{"a":1}x', 1, 8, /after the JSON value/],
    ["", 1, 1, /end of input/],
    ['{"a":"\u0001"}', 1, 7, /control character/],
    ['{"a":"\\q"}', 1, 7, /invalid escape/],
    ['{"a":"open', 1, 11, /never closed/],
    ["[01]", 1, 3, /expected ',' or ']'/],
    ['{\n  "a": 1,\n  "b": ]\n}', 3, 8, /unexpected "]"/],
    ['{"é✓😀": x}', 1, 9, /unexpected "x"/],
  ];
  for (const [text, line, column, reason] of cases) {
    it(`${JSON.stringify(text)} → line ${line}, column ${column}`, () => {
      const result = checkJson(text);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.problem.line, line);
      assert.equal(result.problem.column, column);
      assert.match(result.problem.reason, reason);
    });
  }

  it("deep nesting does not overflow the stack", () => {
    const deep = "[".repeat(200_000) + "x";
    const problem = locateJsonError(deep);
    assert.equal(problem?.column, 200_001);
  });
});
