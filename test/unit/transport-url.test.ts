import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../../src/errors.js";
import { clearTextWarning, isLoopbackUrl, parseBaseUrl } from "../../src/transport/url.js";

describe("parseBaseUrl", () => {
  const good: Array<[string, string, string[]]> = [
    ["https://collector.example.com", "https://collector.example.com", []],
    ["https://collector.example.com/", "https://collector.example.com", []],
    ["http://127.0.0.1:4780//", "http://127.0.0.1:4780", []],
    ["HTTPS://Host.Example:443/base/", "https://host.example/base", []],
    ["http://:pw@h", "http://:pw@h", ["pw"]],
    ["http://user:p%40ss@h/x", "http://user:p%40ss@h/x", ["p%40ss", "p@ss"]],
    ["https://tok3n@h", "https://tok3n@h", ["tok3n"]],
  ];
  for (const [text, href, secrets] of good) {
    it(`accepts ${text}`, () => assert.deepEqual(parseBaseUrl(text, "the URL"), { href, secrets }));
  }

  const bad: Array<[string, RegExp]> = [
    ["eu2", /^Devo endpoint \(flag\) is not a URL: "eu2"$/],
    ["ftp://h", /must be an http or https URL, not ftp:/],
    ["file:///etc/passwd", /must be an http or https URL/],
    ["https://h/?a=1", /must not have a \?query or #fragment: "https:\/\/h\/\?…"$/],
    ["https://h/?", /must not have a \?query/],
    ["https://h#frag", /must not have a \?query or #fragment: "https:\/\/h#…"$/],
    ["https://h/?key=SECRETQ", /^(?!.*SECRETQ)/],
    ["http://:SECRETPW@h/?x", /"http:\/\/:\*\*\*\*@h\/\?…"/],
    ["http//u:SECRETPW@h", /^(?!.*SECRETPW).*"\*\*\*\*@h"/],
    ["gopher://SECRETTOK@h", /^(?!.*SECRETTOK)/],
  ];
  for (const [text, message] of bad) {
    it(`refuses ${text} with exit 3`, () => {
      assert.throws(
        () => parseBaseUrl(text, "Devo endpoint (flag)"),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.equal(error.exitCode, 3);
          assert.match(error.message, message);
          assert.ok(error.hint);
          return true;
        },
      );
    });
  }
});

describe("clearTextWarning (every service's plain-http check)", () => {
  it("warns for plain http to another machine, naming the URL and what travels", () => {
    assert.equal(
      clearTextWarning("http://ingest.example.com:8080/v1", "the Databoom URL", "token"),
      "the Databoom URL http://ingest.example.com:8080 is plain http: the token travels in clear text; use https",
    );
  });
  for (const url of [
    "https://h.example.com",
    "http://localhost:4780",
    "http://127.0.0.9",
    "http://[::1]:1",
  ]) {
    it(`is silent for ${url}`, () =>
      assert.equal(clearTextWarning(url, "the URL", "key"), undefined));
  }
  it("loopback is localhost, 127.0.0.0/8 and ::1 only", () => {
    assert.equal(isLoopbackUrl("http://127.1.2.3"), true);
    assert.equal(isLoopbackUrl(new URL("http://localhost.example.com")), false);
    assert.equal(isLoopbackUrl("http://10.0.0.1"), false);
  });
});
