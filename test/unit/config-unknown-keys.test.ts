import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ServiceSpec } from "../../src/config/types.js";
import { unknownFields, unknownProfileKeys } from "../../src/config/unknown-keys.js";
import { services } from "../../src/services/index.js";
import { devoSpec } from "../../src/services/devo/spec.js";

const spec: ServiceSpec = {
  name: "devo",
  title: "Devo",
  fields: ["domain", "tag", "host", "gzip", "token"].map((key) => ({
    key,
    type: "string" as const,
    description: key,
  })),
};

const other: ServiceSpec = {
  name: "guance",
  title: "Guance",
  fields: [
    { key: "endpoint", type: "string", description: "site" },
    { key: "secret", type: "string", secret: true, description: "secret" },
  ],
};

describe("unknownFields", () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ["all known", { devo: { domain: "a", token: { env: "X" } } }, []],
    ["no section", { databoom: { device: "x" } }, []],
    ["a section that is not a mapping", { devo: "x" }, []],
    [
      "a typo",
      { devo: { tokn: "x", domain: "a" } },
      ["unknown field devo.tokn in the profile is ignored; known: domain, tag, host, gzip, token"],
    ],
  ];
  for (const [name, data, expected] of cases) {
    it(name, () => assert.deepEqual(unknownFields(spec, data), expected));
  }
});

describe("unknownProfileKeys", () => {
  it("service sections are known", () =>
    assert.deepEqual(unknownProfileKeys("p", { devo: {}, guance: {} }, [devoSpec, other]), []));

  it("a field written without its service level: did you mean devo.domain?", () =>
    assert.deepEqual(unknownProfileKeys("prod", { domain: "acme", devo: {} }, [devoSpec, other]), [
      'unknown key "domain" in profile "prod" is ignored; a profile holds services (devo, guance); did you mean devo.domain? (fields go under the service: devo: { domain: … })',
    ]));

  it("a field of several services names each", () => {
    const [warning] = unknownProfileKeys("p", { endpoint: "eu" }, [devoSpec, other]);
    assert.match(warning ?? "", /did you mean devo\.endpoint or guance\.endpoint\?/);
  });

  it("a key that is no field at all gets no guess", () =>
    assert.deepEqual(unknownProfileKeys("p", { databoom: {} }, [devoSpec]), [
      'unknown key "databoom" in profile "p" is ignored; a profile holds services (devo)',
    ]));

  it("is generic over the registered services", () => {
    const specs = services.map((s) => s.spec);
    for (const s of specs) {
      for (const field of s.fields) {
        const [warning] = unknownProfileKeys("p", { [field.key]: "x" }, specs);
        assert.ok(warning?.includes(`${s.name}.${field.key}`), warning);
      }
    }
  });
});
