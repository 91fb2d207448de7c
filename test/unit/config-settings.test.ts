import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { asUsage, DRY_RUN_SECRET, resolveSettings } from "../../src/config/settings.js";
import type { ServiceSpec } from "../../src/config/types.js";
import type { Context, Resolved } from "../../src/context.js";
import { ConfigError, ExitCode, UsageError } from "../../src/errors.js";

const spec: ServiceSpec = {
  name: "demo",
  title: "Demo",
  fields: [
    { key: "url", type: "string", flag: "--url", description: "URL" },
    { key: "name", type: "string", flag: "--name", description: "name" },
    { key: "token", type: "string", secret: true, flag: "--token-file", description: "token" },
  ],
};

/** A context whose resolve answers `values` and records which fields it was asked for. */
function fakeContext(dryRun: boolean, values: Resolved["values"]) {
  const asked: string[][] = [];
  const masked: string[] = [];
  const debug: string[] = [];
  const ctx = {
    globals: { dryRun },
    output: { debug: (line: string) => debug.push(line) },
    redactor: { add: (secret: string) => masked.push(secret) },
    resolve: (
      s: ServiceSpec,
      _flags: unknown,
      _defaults: unknown,
      options?: { readSecrets?: boolean },
    ): Promise<Resolved> => {
      const unread = options?.readSecrets === false;
      asked.push(s.fields.map((f) => (unread && f.secret ? `${f.key} (unread)` : f.key)));
      return Promise.resolve({ values, profileName: "p", configPath: undefined });
    },
  } as unknown as Context;
  return { ctx, asked, masked, debug };
}

const profile = { kind: "profile", profile: "p", file: "f" } as const;

describe("resolveSettings", () => {
  it("resolves every field; need gives text, and an unset or empty field is the missing error", async () => {
    const { ctx, asked, debug } = fakeContext(false, {
      url: { value: "http://x", source: { kind: "env", name: "EVSEND_DEMO_URL" }, secret: false },
      name: { value: "", source: profile, secret: false },
      token: { value: "T0k", source: profile, secret: true },
    });
    const settings = await resolveSettings(ctx, spec, {});
    assert.deepEqual(asked, [["url", "name", "token"]]);
    // -v: where each value came from, never the value.
    assert.deepEqual(debug, [
      'demo settings: url from env EVSEND_DEMO_URL, name from profile "p" in f, token from profile "p" in f',
    ]);
    assert.equal(settings.need("url"), "http://x");
    assert.equal(settings.secret("token"), "T0k");
    for (const key of ["name", "missing"]) {
      assert.throws(
        () => settings.need(key),
        (e: unknown) => e instanceof ConfigError && e.message.startsWith(`missing Demo ${key}`),
      );
    }
    assert.match(
      settings.missing("token").message,
      /--token-file, EVSEND_DEMO_TOKEN or demo.token in profile "p"/,
    );
  });

  it("--dry-run reads no secret field (its destination is still checked); a secret is a masked placeholder", async () => {
    const { ctx, asked, masked } = fakeContext(true, {});
    const settings = await resolveSettings(ctx, spec, {});
    assert.deepEqual(asked, [["url", "name", "token (unread)"]]);
    assert.equal(settings.dryRun, true);
    assert.equal(settings.secret("token"), DRY_RUN_SECRET);
    assert.deepEqual(masked, [DRY_RUN_SECRET]);
    assert.throws(() => settings.need("url"), ConfigError);
  });
});

describe("asUsage", () => {
  const bad = (): never => {
    throw new ConfigError("bad URL", { hint: "fix it" });
  };
  it("a bad value from a flag is a usage error (exit 2), with the same message and hint", () => {
    assert.throws(
      () => asUsage({ kind: "flag", flag: "--url" }, bad),
      (e: unknown) =>
        e instanceof UsageError &&
        e.exitCode === ExitCode.usage &&
        e.message === "bad URL" &&
        e.hint === "fix it",
    );
  });
  it("from env or a profile the error stays a config error; a good value passes through", () => {
    assert.throws(
      () => asUsage({ kind: "env", name: "X" }, bad),
      (e: unknown) => e instanceof ConfigError,
    );
    assert.throws(
      () => asUsage(profile, bad),
      (e: unknown) => e instanceof ConfigError,
    );
    assert.equal(
      asUsage({ kind: "flag", flag: "--url" }, () => 42),
      42,
    );
  });
});
