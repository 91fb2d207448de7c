import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseConfigText } from "../../src/config/parse.js";
import { yamlReason } from "../../src/config/yaml.js";
import { ConfigError, ExitCode } from "../../src/errors.js";

const FILE = "/h/u/.config/evsend/config.yaml";

function failure(text: string): ConfigError {
  try {
    parseConfigText(FILE, text);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error;
  }
  assert.fail("parsed without an error");
}

describe("YAML errors never quote the file", () => {
  const cases: Array<[string, string, string]> = [
    ["an unquoted ! value (tag)", "profiles:\n  p:\n    devo: { token: !SECRETtok }\n", "3:"],
    ["an unquoted * value (alias)", "profiles:\n  p:\n    devo:\n      token: *SECRETtok\n", "4:"],
    ["a tag with a handle", "token: !SECRET!tok x\n", "1:"],
    ["a verbatim tag", "token: !<tag:SECRETtok> x\n", "1:"],
    ["a %TAG prefix", "%TAG !e! SECRET%%tok\n---\ntoken: !e!x 1\n", "2:"],
    ["a bad explicit type", "token: !!int SECRETtok\n", "1:"],
    ["an unclosed quote", "token: 'SECRETtok\n", "2:"],
  ];
  for (const [name, text, line] of cases) {
    it(`${name}: file:line:column and a generic reason`, () => {
      const error = failure(text);
      assert.equal(error.exitCode, ExitCode.config);
      assert.ok(error.message.startsWith(`${FILE}:${line}`), error.message);
      assert.match(error.message, /: invalid YAML: /);
      assert.ok(!/SECRET/.test(`${error.message}\n${error.hint}`), error.message);
      assert.match(error.hint ?? "", /quote a value that starts with !, &, \*/);
    });
  }

  it("names the problem without the name", () => {
    assert.match(failure("token: !SECRETtok\n").message, /: unknown tag$/);
    assert.match(failure("token: *SECRETtok\n").message, /: unidentified alias$/);
  });

  const reasons: Array<[string, string]> = [
    ["unknown tag !<!SECRET>", "unknown tag"],
    ['unidentified alias "SECRET"', "unidentified alias"],
    ['undeclared tag handle "!SECRET!"', "undeclared tag handle"],
    ["tag name cannot contain such characters: SECRET", "tag name cannot contain such characters"],
    [
      'unacceptable node kind for !<tag:SECRET> tag; it should be "scalar", not "mapping"',
      "unacceptable node kind for tag; it should be, not",
    ],
    ["bad indentation of a mapping entry", "bad indentation of a mapping entry"],
    ["", "cannot parse"],
  ];
  for (const [reason, expected] of reasons) {
    it(`yamlReason(${JSON.stringify(reason)})`, () => assert.equal(yamlReason(reason), expected));
  }
});

describe("YAML anchors", () => {
  it("an anchor with no value (token: &SECRET) is an error at its position", () => {
    const error = failure(
      "profiles:\n  p:\n    devo:\n      domain: acme\n      token: &SECRETtok\n",
    );
    assert.ok(
      error.message.startsWith(`${FILE}:5:14: invalid YAML: an anchor (&) with no value`),
      error.message,
    );
    assert.ok(!error.message.includes("SECRET"));
  });
  it("also in a flow mapping and a list", () => {
    assert.match(failure("p: { token: &SECRETtok , x: 1 }\n").message, /:1:13: .*anchor/);
    assert.match(failure("- &SECRETtok\n- 2\n").message, /:1:3: .*anchor/);
  });
  it("anchors with values and aliases still work", () =>
    assert.deepEqual(
      parseConfigText(
        FILE,
        "base: &b\n  domain: acme\nprofiles:\n  p:\n    devo: *b\n  q:\n    devo: { <<: *b, tag: t }\n",
      ),
      {
        base: { domain: "acme" },
        profiles: { p: { devo: { domain: "acme" } }, q: { devo: { domain: "acme", tag: "t" } } },
      },
    ));
  it("a quoted value that starts with & is a string", () =>
    assert.deepEqual(parseConfigText(FILE, 'token: "&abc"\n'), { token: "&abc" }));
});
