import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { selectProfile } from "../../src/config/profile.js";
import type { LoadedConfig } from "../../src/config/types.js";
import { ConfigError, ExitCode } from "../../src/errors.js";

const FILE = "/home/u/.config/evsend/config.yaml";
const config = (data: LoadedConfig["data"]): LoadedConfig => ({
  filepath: FILE,
  data,
  warnings: [],
});
const noFile = (): LoadedConfig => ({ filepath: undefined, data: { profiles: {} }, warnings: [] });
const two = config({
  defaultProfile: "prod",
  profiles: { prod: { devo: { domain: "p" } }, local: { devo: { domain: "l" } } },
});

describe("selectProfile", () => {
  const cases: Array<{
    name: string;
    config: LoadedConfig;
    requested: string | undefined;
    expected: { name: string | undefined; data: Record<string, unknown> };
  }> = [
    {
      name: "the requested profile wins over defaultProfile",
      config: two,
      requested: "local",
      expected: { name: "local", data: { devo: { domain: "l" } } },
    },
    {
      name: "defaultProfile when none is requested",
      config: two,
      requested: undefined,
      expected: { name: "prod", data: { devo: { domain: "p" } } },
    },
    {
      name: "no profile without a request or default, even with a single profile",
      config: config({ profiles: { only: { devo: {} } } }),
      requested: undefined,
      expected: { name: undefined, data: {} },
    },
    {
      name: "no profile when there is no file",
      config: noFile(),
      requested: undefined,
      expected: { name: undefined, data: {} },
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(selectProfile(c.config, c.requested), c.expected));
  }

  const failures: Array<{
    name: string;
    config: LoadedConfig;
    requested?: string;
    match: RegExp[];
  }> = [
    {
      name: "an unknown requested profile lists those that exist and the file",
      config: two,
      requested: "nope",
      match: [/unknown profile "nope"/, /prod, local/, new RegExp(FILE)],
    },
    {
      name: "an unknown defaultProfile says it came from defaultProfile",
      config: config({ defaultProfile: "gone", profiles: { a: {} } }),
      match: [/unknown profile "gone" \(defaultProfile in .*config\.yaml\)/, /: a$/],
    },
    {
      name: "a file without profiles says so",
      config: config({ profiles: {} }),
      requested: "x",
      match: [/unknown profile "x"/, /defines no profiles/],
    },
    {
      name: "without a file it says none was found",
      config: noFile(),
      requested: "x",
      match: [/unknown profile "x": no config file was found/],
    },
    {
      name: "inherited object keys are not profiles",
      config: two,
      requested: "toString",
      match: [/unknown profile "toString"/],
    },
  ];
  for (const f of failures) {
    it(f.name, () => {
      assert.throws(
        () => selectProfile(f.config, f.requested),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.equal(error.exitCode, ExitCode.config);
          for (const re of f.match) assert.match(error.message, re);
          return true;
        },
      );
    });
  }

  it("hints where to create a profile when there is no file", () => {
    assert.throws(
      () => selectProfile(noFile(), "x"),
      (error: ConfigError) => /~\/\.config\/evsend\/config\.yaml/.test(error.hint ?? ""),
    );
  });
});
