import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../../src/errors.js";
import { parseBaseUrl } from "../../src/transport/url.js";

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
