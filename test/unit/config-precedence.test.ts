import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  envName,
  flagName,
  parseBoolean,
  pickCandidate,
  type Candidate,
} from "../../src/config/precedence.js";
import type { FieldSpec, ServiceSpec } from "../../src/config/types.js";

const spec: ServiceSpec = {
  name: "devo",
  title: "Devo",
  fields: [
    { key: "domain", type: "string", flag: "--domain", description: "domain" },
    { key: "gzip", type: "boolean", flag: "--gzip", description: "gzip" },
    { key: "token", type: "string", secret: true, flag: "--token-file", description: "token" },
  ],
};
const field = (key: string): FieldSpec => spec.fields.find((f) => f.key === key)!;

describe("envName", () => {
  const cases: Array<[string, string, string]> = [
    ["devo", "token", "EVSEND_DEVO_TOKEN"],
    ["devo", "domain", "EVSEND_DEVO_DOMAIN"],
    ["eventhos", "clientSecret", "EVSEND_EVENTHOS_CLIENT_SECRET"],
    ["eventhos", "clientId", "EVSEND_EVENTHOS_CLIENT_ID"],
    ["guance", "subUri", "EVSEND_GUANCE_SUB_URI"],
    ["databoom", "device", "EVSEND_DATABOOM_DEVICE"],
    ["x", "tlsCaFile", "EVSEND_X_TLS_CA_FILE"],
    ["x", "v2Key", "EVSEND_X_V2_KEY"],
  ];
  for (const [service, key, expected] of cases) {
    it(`${service}.${key} → ${expected}`, () => assert.equal(envName(service, key), expected));
  }
});

describe("parseBoolean", () => {
  const cases: Array<[string, boolean | undefined]> = [
    ["true", true],
    ["TRUE", true],
    ["1", true],
    ["yes", true],
    [" Yes ", true],
    ["false", false],
    ["0", false],
    ["no", false],
    ["NO", false],
    ["", undefined],
    ["maybe", undefined],
    ["2", undefined],
    ["y", undefined],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} → ${expected}`, () => assert.equal(parseBoolean(text), expected));
  }
});

describe("flagName", () => {
  it("uses the spec's flag", () => assert.equal(flagName(field("token")), "--token-file"));
  it("names --no-<flag> for a false boolean", () =>
    assert.equal(flagName(field("gzip"), false), "--no-gzip"));
  it("derives a kebab-case flag when the spec has none", () =>
    assert.equal(flagName({ key: "clientId", type: "string", description: "" }), "--client-id"));
});

describe("pickCandidate: flag > env > profile > default", () => {
  const defaults = { domain: () => "fromdefault", gzip: () => false };
  const cases: Array<{
    name: string;
    key: string;
    flags?: Record<string, unknown>;
    env?: NodeJS.ProcessEnv;
    section?: Record<string, unknown>;
    withDefaults?: boolean;
    expected: Candidate | undefined;
  }> = [
    {
      name: "flag beats everything",
      key: "domain",
      flags: { domain: "f" },
      env: { EVSEND_DEVO_DOMAIN: "e" },
      section: { domain: "p" },
      withDefaults: true,
      expected: { kind: "flag", flag: "--domain", raw: "f" },
    },
    {
      name: "env beats profile and default",
      key: "domain",
      env: { EVSEND_DEVO_DOMAIN: "e" },
      section: { domain: "p" },
      withDefaults: true,
      expected: { kind: "env", name: "EVSEND_DEVO_DOMAIN", raw: "e" },
    },
    {
      name: "profile beats default",
      key: "domain",
      section: { domain: "p" },
      withDefaults: true,
      expected: { kind: "profile", raw: "p" },
    },
    {
      name: "default last",
      key: "domain",
      withDefaults: true,
      expected: { kind: "default", raw: "fromdefault" },
    },
    { name: "nothing at all", key: "domain", expected: undefined },
    {
      name: "a flag key that is absent does not count",
      key: "domain",
      flags: { tag: "x" },
      section: { domain: "p" },
      expected: { kind: "profile", raw: "p" },
    },
    {
      name: "a flag present as undefined does not count",
      key: "domain",
      flags: { domain: undefined },
      env: { EVSEND_DEVO_DOMAIN: "e" },
      expected: { kind: "env", name: "EVSEND_DEVO_DOMAIN", raw: "e" },
    },
    {
      name: "an empty variable counts as unset",
      key: "domain",
      env: { EVSEND_DEVO_DOMAIN: "" },
      section: { domain: "p" },
      expected: { kind: "profile", raw: "p" },
    },
    {
      name: "an empty or null profile value counts as unset",
      key: "domain",
      section: { domain: "" },
      withDefaults: true,
      expected: { kind: "default", raw: "fromdefault" },
    },
    {
      name: "--no-gzip (false) beats a profile's true",
      key: "gzip",
      flags: { gzip: false },
      section: { gzip: true },
      expected: { kind: "flag", flag: "--no-gzip", raw: false },
    },
    {
      name: "a profile's false beats the default",
      key: "gzip",
      section: { gzip: false },
      withDefaults: true,
      expected: { kind: "profile", raw: false },
    },
    {
      name: "a secret flag carries the path, not the secret",
      key: "token",
      flags: { token: "/run/token" },
      env: { EVSEND_DEVO_TOKEN: "t" },
      expected: { kind: "flag", flag: "--token-file", raw: "/run/token" },
    },
    {
      name: "a profile reference is passed on unread",
      key: "token",
      section: { token: { env: "X" } },
      expected: { kind: "profile", raw: { env: "X" } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = pickCandidate(spec, field(c.key), {
        flags: c.flags ?? {},
        env: c.env ?? {},
        section: c.section ?? {},
        ...(c.withDefaults ? { defaults } : {}),
      });
      assert.deepEqual(got, c.expected);
    });
  }

  it("calls a default only when needed", () => {
    let calls = 0;
    pickCandidate(spec, field("domain"), {
      flags: {},
      env: {},
      section: { domain: "p" },
      defaults: { domain: () => String(++calls) },
    });
    assert.equal(calls, 0);
  });
});
