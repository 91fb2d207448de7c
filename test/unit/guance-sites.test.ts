import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../../src/errors.js";
import { checkSubUri } from "../../src/services/guance/settings.js";
import { GUANCE_SITES, parseGuanceUrl, siteHost } from "../../src/services/guance/sites.js";

describe("Guance site table", () => {
  const documented: Array<[string, string]> = [
    ["cn1", "https://openapi.guance.com"],
    ["cn2", "https://aws-openapi.guance.com"],
    ["cn4", "https://cn4-openapi.guance.com"],
    ["cn5", "https://cn5-openapi.guance.com"],
    ["cn6", "https://cn6-openapi.guance.one"],
    ["us1", "https://us1-openapi.guance.com"],
    ["eu1", "https://eu1-openapi.guance.one"],
    ["ap1", "https://ap1-openapi.guance.one"],
    ["za1", "https://za1-openapi.guance.com"],
    ["id1", "https://id1-openapi.guance.com"],
    ["me1", "https://me1-openapi.guance.com"],
    ["truewatch-us1", "https://us1-openapi.truewatch.com"],
    ["truewatch-eu1", "https://eu1-openapi.truewatch.com"],
    ["truewatch-ap1", "https://ap1-openapi.truewatch.com"],
    ["truewatch-za1", "https://za1-openapi.truewatch.com"],
    ["truewatch-id1", "https://id1-openapi.truewatch.com"],
  ];
  it("holds exactly the documented sites", () =>
    assert.deepEqual(Object.entries(GUANCE_SITES), documented));
  for (const [id, host] of documented)
    it(`${id} → ${host}`, () => assert.equal(siteHost(id, "--site"), host));
  it("ids are read case-insensitively, tw- is short for truewatch-", () => {
    assert.equal(siteHost(" US1 ", "--site"), "https://us1-openapi.guance.com");
    assert.equal(siteHost("tw-eu1", "--site"), "https://eu1-openapi.truewatch.com");
  });
  it("names of Object's members are unknown sites, not a bug", () => {
    for (const id of ["__proto__", "constructor", "toString", "hasOwnProperty"])
      assert.throws(
        () => siteHost(id, "--site"),
        (e: unknown) => e instanceof ConfigError && e.message.startsWith("unknown Guance site"),
        id,
      );
  });
  it("an unknown id is a ConfigError naming its source and listing the sites", () => {
    assert.throws(
      () => siteHost("us2", "env EVSEND_GUANCE_SITE"),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message === 'unknown Guance site "us2" (from env EVSEND_GUANCE_SITE)' &&
        /cn1, cn2, .*truewatch-id1/.test(e.hint ?? ""),
    );
  });
});

describe("Guance --url: host base or whole webhook URL", () => {
  const SECRET = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
  it("a host base URL: the host only, trailing slash dropped", () =>
    assert.deepEqual(parseGuanceUrl("https://guance.example.com/", "--url"), {
      host: "https://guance.example.com",
      secrets: [],
    }));
  it("a private deployment under a path prefix", () =>
    assert.deepEqual(
      parseGuanceUrl("https://example.com/guance", "--url").host,
      "https://example.com/guance",
    ));
  it("a webhook URL: host, secret and a subUri with / kept", () =>
    assert.deepEqual(
      parseGuanceUrl(
        `https://us1-openapi.guance.com/api/v1/push-events/${SECRET}/datakit/push`,
        "--url",
      ),
      {
        host: "https://us1-openapi.guance.com",
        secret: SECRET,
        subUri: "datakit/push",
        secrets: [SECRET],
      },
    ));
  it("a webhook URL with a trailing slash and percent-encoding", () =>
    assert.deepEqual(
      parseGuanceUrl("http://127.0.0.1:4780/api/v1/push-events/s%2Bx/my%20app/push/", "--url"),
      {
        host: "http://127.0.0.1:4780",
        secret: "s+x",
        subUri: "my app/push",
        secrets: ["s+x", "s%2Bx"],
      },
    ));
  const broken: Array<[string, string]> = [
    ["no subUri", `https://h.example/api/v1/push-events/${SECRET}`],
    ["an empty subUri", `https://h.example/api/v1/push-events/${SECRET}/`],
    ["no secret", "https://h.example/api/v1/push-events//datakit/push"],
    ["a query", `https://h.example/api/v1/push-events/${SECRET}/datakit/push?x=1`],
  ];
  for (const [name, url] of broken) {
    it(`${name}: a ConfigError that never quotes the secret`, () =>
      assert.throws(
        () => parseGuanceUrl(url, 'profile "p" in /c.yaml'),
        (e: unknown) =>
          e instanceof ConfigError &&
          e.message.includes("must end in /api/v1/push-events/<secret>/<subUri>") &&
          e.message.includes('(from profile "p" in /c.yaml)') &&
          !e.message.includes(SECRET),
      ));
  }
  it("not a URL at all: the shared base-URL error", () =>
    assert.throws(() => parseGuanceUrl("us1", "--url"), /not a URL/));
});

describe("Guance subUri", () => {
  it("slashes inside are kept, at the ends dropped", () => {
    assert.equal(checkSubUri("datakit/push", "--sub-uri"), "datakit/push");
    assert.equal(checkSubUri("/datakit/push/", "--sub-uri"), "datakit/push");
  });
  for (const bad of ["/", "a/../b", "./a", "a//b"]) {
    it(`"${bad}" is refused`, () =>
      assert.throws(() => checkSubUri(bad, "--sub-uri"), ConfigError));
  }
});
