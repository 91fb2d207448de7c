import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import {
  missingField,
  missingSetting,
  missingSettings,
  resolveService,
  type ResolveOptions,
} from "../../src/config/resolve.js";
import type { ServiceSpec } from "../../src/config/types.js";
import { ConfigError, ExitCode, InterruptedError, UsageError } from "../../src/errors.js";
import { devoSpec } from "../../src/services/devo/spec.js";

const SECRET = "Res0lvedT0ken0000000000000000000";

const spec: ServiceSpec = {
  name: "devo",
  title: "Devo",
  fields: [
    { key: "domain", type: "string", flag: "--domain", description: "domain" },
    { key: "tag", type: "string", flag: "--tag", description: "tag" },
    { key: "host", type: "string", flag: "--host", description: "host" },
    { key: "gzip", type: "boolean", flag: "--gzip", description: "gzip" },
    { key: "token", type: "string", secret: true, flag: "--token-file", description: "token" },
  ],
};

describe("resolveService", () => {
  let root: string;
  let configPath: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "evsend-resolve-"));
    configPath = join(root, "config.yaml");
    await writeFile(join(root, "token.txt"), `${SECRET}\n`);
  });
  after(() => rm(root, { recursive: true, force: true }));

  const resolve = (o: Partial<ResolveOptions> & { devo?: unknown } = {}) => {
    const { devo, ...rest } = o;
    return resolveService(spec, {
      flags: {},
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
      profileName: "p",
      profile: devo === undefined ? {} : { devo },
      configPath,
      stdin: () => Readable.from([]),
      homedir: root,
      cwd: root,
      ...rest,
    });
  };
  const rejectsWith = (promise: Promise<unknown>, re: RegExp) =>
    assert.rejects(promise, (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.equal(error.exitCode, ExitCode.config);
      assert.match(error.message, re);
      assert.ok(!`${error.message} ${error.hint}`.includes(SECRET));
      return true;
    });

  it("takes each field from its highest layer and says where it came from", async () => {
    const values = await resolve({
      flags: { domain: "fromflag" },
      env: { EVSEND_DEVO_DOMAIN: "fromenv", EVSEND_DEVO_TAG: "fromenv.tag" },
      devo: { domain: "fromprofile", tag: "p.tag", host: "ph" },
      defaults: { host: () => "dh", gzip: () => false },
    });
    assert.deepEqual(values, {
      domain: { value: "fromflag", source: { kind: "flag", flag: "--domain" }, secret: false },
      tag: {
        value: "fromenv.tag",
        source: { kind: "env", name: "EVSEND_DEVO_TAG" },
        secret: false,
      },
      host: {
        value: "ph",
        source: { kind: "profile", profile: "p", file: configPath },
        secret: false,
      },
      gzip: { value: false, source: { kind: "default" }, secret: false },
      token: undefined,
    });
  });

  it("ignores the profile data when no profile is selected", async () => {
    const values = await resolve({ profileName: undefined, devo: { domain: "x" } });
    assert.equal(values.domain, undefined);
  });

  it("a default that returns a number becomes a string", async () => {
    const values = await resolve({ defaults: { host: () => 42 } });
    assert.equal(values.host?.value, "42");
  });

  const values: Array<[string, Partial<ResolveOptions> & { devo?: unknown }, string, unknown]> = [
    ["env yes → true", { env: { EVSEND_DEVO_GZIP: "yes" } }, "gzip", true],
    ["env 0 → false", { env: { EVSEND_DEVO_GZIP: "0" } }, "gzip", false],
    [
      "--no-gzip beats profile true",
      { flags: { gzip: false }, devo: { gzip: true } },
      "gzip",
      false,
    ],
    ["a number in the profile becomes a string", { devo: { domain: 1234 } }, "domain", "1234"],
    [
      "secret from env, literally",
      { env: { EVSEND_DEVO_TOKEN: ` ${SECRET}` } },
      "token",
      ` ${SECRET}`,
    ],
    ["secret literal in the profile", { devo: { token: SECRET } }, "token", SECRET],
    [
      "secret from { file } relative to the config",
      { devo: { token: { file: "token.txt" } } },
      "token",
      SECRET,
    ],
    ["secret from --token-file", { flags: { token: "token.txt" } }, "token", SECRET],
    [
      "secret from --token-file - (stdin)",
      { flags: { token: "-" }, stdin: () => Readable.from([`${SECRET}\n`]) },
      "token",
      SECRET,
    ],
  ];
  for (const [name, options, key, expected] of values) {
    it(name, async () => assert.equal((await resolve(options))[key]?.value, expected));
  }

  it("marks secret fields secret", async () => {
    const got = await resolve({ devo: { token: SECRET, domain: "d" } });
    assert.equal(got.token?.secret, true);
    assert.equal(got.domain?.secret, false);
  });

  it("reads a secret only from the winning layer (the profile's command never runs)", async () => {
    const marker = join(root, "ran");
    const got = await resolve({
      env: { PATH: process.env.PATH ?? "", EVSEND_DEVO_TOKEN: SECRET },
      devo: { token: { command: `touch ${marker}; echo x` } },
    });
    assert.equal(got.token?.value, SECRET);
    assert.equal(existsSync(marker), false);
  });

  it("a { command } from a project file found by the search is refused, never run", async () => {
    const marker = join(root, "ran-project");
    const devo = { token: { command: `touch ${marker}; echo ${SECRET}` } };
    await assert.rejects(resolve({ devo, configOrigin: "project" }), (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.equal(error.exitCode, ExitCode.config);
      assert.match(
        error.message,
        /devo\.token in profile "p" is a \{ command \} in .*a project file/,
      );
      assert.match(
        error.message,
        /only from your own config file .* or a file named with --config/,
      );
      assert.match(error.hint ?? "", /pass --config /);
      assert.ok(!`${error.message}${error.hint}`.includes(SECRET));
      return true;
    });
    assert.equal(existsSync(marker), false, "the command ran");
    for (const configOrigin of ["user", "explicit"] as const) {
      const got = await resolve({ devo: { token: { command: `echo ${SECRET}` } }, configOrigin });
      assert.equal(got.token?.value, SECRET, configOrigin);
    }
  });

  it("a project file may still use { env } and { file }", async () => {
    const got = await resolve({
      devo: { token: { file: "token.txt" }, domain: "d" },
      configOrigin: "project",
    });
    assert.equal(got.token?.value, SECRET);
  });

  it("--token-file - claims stdin with the flag's name before reading it", async () => {
    const claims: string[] = [];
    const got = await resolve({
      flags: { token: "-" },
      stdin: () => Readable.from([`${SECRET}\n`]),
      claimStdin: (what) => claims.push(what),
    });
    assert.equal(got.token?.value, SECRET);
    assert.deepEqual(claims, ["--token-file -"]);
  });

  it("a refused stdin claim (exit 2) is not turned into a read error", async () => {
    const refuse = (): never => {
      throw new UsageError("stdin can be read only once");
    };
    await assert.rejects(
      resolve({ flags: { token: "-" }, stdin: () => Readable.from(["x"]), claimStdin: refuse }),
      (error: unknown) => error instanceof UsageError && error.exitCode === ExitCode.usage,
    );
  });

  it("the abort signal stops a running { command } at once (exit 130)", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    await assert.rejects(
      resolve({ devo: { token: { command: "sleep 30" } }, signal: controller.signal }),
      (error: unknown) => error instanceof InterruptedError && error.exitCode === 130,
    );
    // Far from both the real ~100 ms and the 30 s sleep: a loaded CI machine cannot flake it.
    assert.ok(performance.now() - started < 10_000, "waited for the command");
  });

  const failures: Array<[string, Partial<ResolveOptions> & { devo?: unknown }, RegExp]> = [
    [
      "a bad boolean variable names it",
      { env: { EVSEND_DEVO_GZIP: "maybe" } },
      /EVSEND_DEVO_GZIP must be true or false/,
    ],
    [
      "a string where a boolean belongs",
      { devo: { gzip: "true" } },
      /devo\.gzip in profile "p" must be true or false, not a string/,
    ],
    [
      "a mapping where a string belongs",
      { devo: { domain: { a: 1 } } },
      /devo\.domain in profile "p" must be a string, not a mapping/,
    ],
    [
      "a service section that is not a mapping",
      { devo: "acme" },
      /devo in profile "p" must be a mapping of fields, not a string/,
    ],
    [
      "a secret of an unknown form",
      { devo: { token: { vault: "x" } } },
      /devo\.token in profile "p" must be a string, \{ env: NAME \}/,
    ],
    [
      "a secret that is a number",
      { devo: { token: 123 } },
      /devo\.token in profile "p" must be .* not a number/,
    ],
    [
      "an unset { env }",
      { devo: { token: { env: "UNSET_VAR_X" } } },
      /devo\.token in profile "p" reads \$UNSET_VAR_X/,
    ],
    [
      "a failing { command }",
      { devo: { token: { command: `echo ${SECRET}; exit 4` } } },
      /devo\.token in profile "p": the command exited with code 4/,
    ],
    [
      "a slow { command }",
      { devo: { token: { command: "sleep 5" } }, commandTimeoutMs: 150 },
      /devo\.token in profile "p": the command timed out after 150ms/,
    ],
    ["a missing --token-file", { flags: { token: "missing" } }, /cannot read --token-file missing/],
    [
      "an empty --token-file -",
      { flags: { token: "-" }, stdin: () => Readable.from(["\n"]) },
      /--token-file - \(stdin\) is empty/,
    ],
  ];
  for (const [name, options, re] of failures) {
    it(`${name} → exit 3`, () => rejectsWith(resolve(options), re));
  }
});

describe("missingField", () => {
  it("names the flag, the variable and the profile field", () => {
    const error = missingField(devoSpec, "domain", "prod");
    assert.ok(error instanceof ConfigError);
    assert.equal(error.exitCode, ExitCode.config);
    assert.equal(
      error.message,
      'missing Devo domain: set --domain, EVSEND_DEVO_DOMAIN or devo.domain in profile "prod"',
    );
    assert.equal(error.hint, undefined);
  });
  it("for a secret, names --token-file and the reference forms", () => {
    const error = missingField(devoSpec, "token", "prod");
    assert.equal(
      error.message,
      'missing Devo token: set --token-file, EVSEND_DEVO_TOKEN or devo.token in profile "prod"',
    );
    assert.match(error.hint ?? "", /\{ env: NAME \}/);
    assert.match(error.hint ?? "", /--token-file - reads it from stdin/);
  });
  it("without a profile, says how to create one", () => {
    const error = missingField(devoSpec, "tag", undefined);
    assert.equal(
      error.message,
      "missing Devo tag: set --tag, EVSEND_DEVO_TAG or devo.tag in a profile",
    );
    assert.match(error.hint ?? "", /--profile/);
    assert.match(error.hint ?? "", /~\/\.config\/evsend\/config\.yaml/);
    assert.match(error.hint ?? "", /defaultProfile/);
  });
});

describe("missingSettings", () => {
  it("names every missing setting in one error, each with flag, variable and profile key", () => {
    const missing = ["domain", "tag", "token"].map((key) => missingSetting(devoSpec, key, "prod"));
    const error = missingSettings(devoSpec, missing, "prod");
    assert.equal(error.exitCode, ExitCode.config);
    assert.equal(
      error.message,
      [
        "missing 3 Devo settings, domain, tag and token:",
        '  domain: set --domain, EVSEND_DEVO_DOMAIN or devo.domain in profile "prod"',
        '  tag: set --tag, EVSEND_DEVO_TAG or devo.tag in profile "prod"',
        '  token: set --token-file, EVSEND_DEVO_TOKEN or devo.token in profile "prod"',
      ].join("\n"),
    );
    assert.match(error.hint ?? "", /--token-file - reads it from stdin/);
  });
  it("one missing setting keeps the one-line message", () => {
    const error = missingSettings(devoSpec, [missingSetting(devoSpec, "tag", "p")], "p");
    assert.equal(
      error.message,
      'missing Devo tag: set --tag, EVSEND_DEVO_TAG or devo.tag in profile "p"',
    );
  });
});
