import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ExitCode, EvsendError } from "../../src/errors.js";
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
    // Later than any Date (8.64e15 ms): "Invalid time value" on every run, were it cached.
    assert.equal(jwtExpiry(jwt({ exp: 1e13 })), undefined);
    assert.equal(jwtExpiry(jwt({ exp: -5 })), undefined);
    assert.equal(jwtExpiry("not-a-jwt"), undefined);
    assert.equal(jwtExpiry("a.!!!.c"), undefined);
  });
});
