import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AuthError,
  InputError,
  RejectedError,
  UnavailableError,
  ConfigError,
} from "../../src/errors.js";
import {
  EVENT_MESSAGE_LIMIT,
  buildEventRequest,
  buildStreamRequest,
  devoUrl,
  interpretResponse,
  percentEncodeBytes,
  resolveEndpoint,
  targetWarnings,
  type DevoTarget,
} from "../../src/services/devo/protocol.js";
import { shortenServerText } from "../../src/transport/server-text.js";

const target: DevoTarget = {
  endpoint: "https://http-eu.devo.io",
  domain: "acme",
  token: "a".repeat(32),
  host: "web-01",
  tag: "my.app.web.access",
};

describe("resolveEndpoint", () => {
  const cases: Array<[string, string]> = [
    ["us", "https://http-us.devo.io"],
    ["US3", "https://http-us3.devo.io"],
    ["eu", "https://http-eu.devo.io"],
    ["ca", "https://http-ca.devo.io"],
    ["ap", "https://collector-ap.devo.io:8443"],
    ["ap2", "https://collector-ap2.devo.io:8443"],
    ["https://lb.example.com/", "https://lb.example.com"],
    ["http://127.0.0.1:4780", "http://127.0.0.1:4780"],
    ["https://lb.example.com/base/", "https://lb.example.com/base"],
  ];
  for (const [input, url] of cases)
    it(`${input} → ${url}`, () =>
      assert.deepEqual(resolveEndpoint(input, "--endpoint"), { href: url, secrets: [] }));
  for (const bad of [
    "mars",
    "ftp://x",
    "",
    "https://x.example.com/?a=1",
    "https://x.example.com#f",
    "constructor",
    "__proto__",
    "toString",
  ]) {
    it(`rejects ${JSON.stringify(bad)}`, () =>
      assert.throws(() => resolveEndpoint(bad, "--endpoint"), ConfigError));
  }
  it("names where the value came from, and lists the regions for a mistyped one", () => {
    assert.throws(
      () => resolveEndpoint("eu2", 'profile "prod" in /home/u/.config/evsend/config.yaml'),
      (error: ConfigError) => {
        assert.equal(
          error.message,
          'invalid Devo endpoint "eu2" (from profile "prod" in /home/u/.config/evsend/config.yaml)',
        );
        assert.match(error.hint ?? "", /us, us3, eu, ca, ap, ap2/);
        return true;
      },
    );
    assert.throws(
      () => resolveEndpoint("https://c.example.com/?k=v", "env EVSEND_DEVO_ENDPOINT"),
      /\(from env EVSEND_DEVO_ENDPOINT\)/,
    );
  });
  it("returns userinfo secrets for masking, never in an error", () => {
    assert.deepEqual(resolveEndpoint("https://:pw@c.example.com/", "--endpoint").secrets, ["pw"]);
    assert.throws(
      () => resolveEndpoint("https://:pw@c.example.com/?x", "--endpoint"),
      (error: Error) => !error.message.includes("pw"),
    );
  });
});

describe("percentEncodeBytes", () => {
  for (const text of ["plain", "a b&c=d?e/f#g", "ünïcödé ✓ 日本", "-_.!~*'()", "%41+"]) {
    it(`matches encodeURIComponent for ${JSON.stringify(text)}`, () =>
      assert.equal(percentEncodeBytes(Buffer.from(text)), encodeURIComponent(text)));
  }
  it("encodes bytes that are not UTF-8 exactly", () =>
    assert.equal(percentEncodeBytes(Buffer.from([0x00, 0xff, 0x41, 0x80])), "%00%FFA%80"));
});

describe("devoUrl", () => {
  const cases: Array<[Partial<DevoTarget>, string]> = [
    [{}, `https://http-eu.devo.io/stream/acme/token!${"a".repeat(32)}/web-01/my.app.web.access`],
    [
      { domain: "name@multitenant" },
      `https://http-eu.devo.io/stream/name%40multitenant/token!${"a".repeat(32)}/web-01/my.app.web.access`,
    ],
    [
      { token: "a/b?c", host: "my host", tag: "my.app.x#1" },
      "https://http-eu.devo.io/stream/acme/token!a%2Fb%3Fc/my%20host/my.app.x%231",
    ],
  ];
  for (const [change, url] of cases) {
    it(`encodes ${JSON.stringify(change)}`, () =>
      assert.equal(devoUrl("stream", { ...target, ...change }), url));
  }
});

describe("buildEventRequest", () => {
  it("puts the percent-encoded message as the whole query string", () => {
    const req = buildEventRequest(target, "user logged in & out?=100%", "GET");
    assert.equal(req.method, "GET");
    assert.ok(
      req.url.endsWith(
        "/event/acme/token!" +
          "a".repeat(32) +
          "/web-01/my.app.web.access?user%20logged%20in%20%26%20out%3F%3D100%25",
      ),
    );
    assert.equal(req.body, undefined);
  });
  it("supports POST with the same URL", () => {
    const req = buildEventRequest(target, "x", "POST");
    assert.equal(req.method, "POST");
    assert.ok(req.url.endsWith("?x"));
  });
  it("encodes multibyte text", () => {
    assert.ok(buildEventRequest(target, "café ✓", "GET").url.endsWith("?caf%C3%A9%20%E2%9C%93"));
  });
  it("accepts exactly the limit and refuses one byte more (exit 5)", () => {
    assert.doesNotThrow(() => buildEventRequest(target, "x".repeat(EVENT_MESSAGE_LIMIT), "GET"));
    assert.throws(
      () => buildEventRequest(target, "x".repeat(EVENT_MESSAGE_LIMIT + 1), "GET"),
      (e: unknown) => e instanceof InputError && e.exitCode === 5 && /devo file/.test(e.hint ?? ""),
    );
  });
  it("counts bytes, not characters", () => {
    assert.throws(
      () => buildEventRequest(target, "é".repeat(EVENT_MESSAGE_LIMIT / 2 + 1), "GET"),
      InputError,
    );
  });
  it("refuses an empty message", () =>
    assert.throws(() => buildEventRequest(target, "", "GET"), InputError));
});

describe("buildStreamRequest", () => {
  it("posts the body, with Content-Encoding only when gzipped", () => {
    const plain = buildStreamRequest(target, Buffer.from("a\nb"), false);
    assert.equal(plain.method, "POST");
    assert.equal(plain.headers["content-encoding"], undefined);
    assert.ok(plain.url.includes("/stream/"));
    assert.equal(
      buildStreamRequest(target, Buffer.from(""), true).headers["content-encoding"],
      "gzip",
    );
  });
});

describe("interpretResponse", () => {
  const response = (status: number, body = "", attempts = 1) => ({
    status,
    headers: {},
    body,
    attempts,
  });
  const cases: Array<[number, (new (...a: never[]) => Error) | undefined, number | undefined]> = [
    [200, undefined, undefined],
    [204, undefined, undefined],
    [400, RejectedError, 1],
    [401, AuthError, 4],
    [403, AuthError, 4],
    [404, RejectedError, 1],
    [408, UnavailableError, 7],
    [413, RejectedError, 1],
    [429, UnavailableError, 7],
    [500, UnavailableError, 7],
    [501, RejectedError, 1],
    [503, UnavailableError, 7],
  ];
  for (const [status, type, code] of cases) {
    it(`${status} → ${type?.name ?? "ok"}`, () => {
      if (!type) return assert.doesNotThrow(() => interpretResponse(response(status)));
      assert.throws(
        () => interpretResponse(response(status)),
        (e: unknown) =>
          e instanceof type && (e as unknown as { exitCode: number }).exitCode === code,
      );
    });
  }
  it("quotes the first 500 bytes of the body", () => {
    assert.throws(
      () => interpretResponse(response(400, "bad tag " + "x".repeat(1000))),
      (e: Error) => {
        const shown = shortenServerText(e.message);
        return shown.includes("bad tag") && shown.length < 600;
      },
    );
  });
  for (const status of [401, 403]) {
    it(`${status}: the hint names the region as a cause`, () => {
      assert.throws(
        () => interpretResponse(response(status)),
        (e: AuthError) => /region/.test(e.hint ?? "") && /--endpoint/.test(e.hint ?? ""),
      );
    });
  }
  it("says how many attempts were made", () => {
    assert.throws(() => interpretResponse(response(503, "", 6)), /after 6 attempts/);
  });
});

describe("targetWarnings", () => {
  it("none for a normal target", () => assert.deepEqual(targetWarnings(target), []));
  it("warns on an unusual token and tag, never refuses", () => {
    const warnings = targetWarnings({ ...target, token: "short", tag: "notag" });
    assert.equal(warnings.length, 2);
    assert.ok(warnings.every((w) => w.includes("sending anyway")));
    assert.ok(!warnings.join().includes("short"), "the token value is never in a warning");
  });
  it("warns on http to a remote host, not to loopback", () => {
    assert.equal(targetWarnings({ ...target, endpoint: "http://127.0.0.1:4780" }).length, 0);
    assert.equal(targetWarnings({ ...target, endpoint: "http://localhost:4780" }).length, 0);
    assert.match(
      targetWarnings({ ...target, endpoint: "http://collector.example.com" }).join(),
      /clear text/,
    );
  });
});
