import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Ajv } from "ajv";
import { parseYamlText } from "../../src/config/yaml.js";
import { configSchema, SCHEMA_FILE } from "../../src/config/schema.js";
import { configTemplate } from "../../src/config/template.js";
import { validateConfig } from "../../src/config/validate.js";
import { unknownFields, unknownProfileKeys } from "../../src/config/unknown-keys.js";
import { services } from "../../src/services/index.js";
import { generatedFiles, ROOT } from "../helpers/generated.js";

const specs = services.map((s) => s.spec);
const validate = new Ajv({ allErrors: true }).compile(configSchema(specs));

/** YAML text as evsend parses it. */
const load = (text: string): unknown => parseYamlText("config.yaml", text);

/** The template with every example line uncommented: a profile that sets every field. */
function everyFieldSet(): unknown {
  const text = configTemplate(specs, "file:///schema.json").replace(
    /^( {6})# (\w+: .*)$/gm,
    (_, indent: string, line: string) => indent + line.replace(/<(\w+)>/, "$1"),
  );
  return load(text);
}

describe("config schema", () => {
  it(`${SCHEMA_FILE} is what the field specs generate`, async () => {
    for (const [path, text] of Object.entries(await generatedFiles("schema"))) {
      const kept = await readFile(join(ROOT, path), "utf8").catch(() => "(missing)");
      assert.ok(kept === text, `${path} is out of date: run npm run schema`);
    }
  });

  it("accepts the template as written and with every field set; evsend reads both silently", () => {
    const blank = load(configTemplate(specs, "file:///schema.json"));
    const full = everyFieldSet();
    for (const raw of [blank, full]) {
      assert.ok(validate(raw), JSON.stringify(validate.errors));
      const { data, warnings } = validateConfig(raw, "config.yaml");
      assert.deepEqual(warnings, []);
      const profile = data.profiles.default!;
      assert.deepEqual(unknownProfileKeys("default", profile, specs), []);
      for (const spec of specs) assert.deepEqual(unknownFields(spec, profile), []);
    }
    const devo = (full as { profiles: { default: { devo: Record<string, unknown> } } }).profiles
      .default.devo;
    assert.deepEqual(Object.keys(devo), ["endpoint", "domain", "tag", "host", "token", "gzip"]);
  });

  it("accepts the design's example profiles", () => {
    const example = load(`
defaultProfile: prod
profiles:
  prod:
    devo:     { endpoint: eu, domain: acme, token: { env: DEVO_TOKEN }, tag: my.app.web.access }
    databoom: { token: { file: ~/.config/evsend/databoom.token }, device: dev-42 }
    eventhos: { url: https://eventhos.example.com, clientId: "abc::usil.app",
                clientSecret: { command: "pass show eventhos" }, event: order-created-9O_CE0Lcrz }
    guance:   { site: us1, secret: { env: GUANCE_SECRET }, subUri: datakit/push }
  local:
    devo:     { endpoint: "http://127.0.0.1:4780", domain: test, token: test, tag: my.app.test }
`);
    assert.ok(validate(example), JSON.stringify(validate.errors));
  });

  it("rejects what evsend would refuse or ignore", () => {
    const bad: Array<[string, unknown]> = [
      ["a site that is not text", { guance: { site: 1 } }],
      ["an unknown field", { devo: { tokn: "x" } }],
      ["an unknown service", { splunk: {} }],
      ["a secret reference of the wrong form", { devo: { token: { cmd: "x" } } }],
      ["a secret reference to nothing", { devo: { token: { env: "" } } }],
      ["a boolean as text", { devo: { gzip: "yes" } }],
    ];
    for (const [what, profile] of bad) {
      assert.equal(validate({ profiles: { p: profile } }), false, what);
    }
    assert.equal(validate({ profiles: {}, extra: 1 }), false, "an unknown top-level key");
    // A region or any URL, a site or its short form: the choices are offered (editors complete
    // them), not the only values; `evsend config check` says when one is wrong.
    assert.ok(validate({ profiles: { p: { devo: { endpoint: "https://c.example.com" } } } }));
    assert.ok(validate({ profiles: { p: { guance: { site: "TW-US1" } } } }));
  });
});
