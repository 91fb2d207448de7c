import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseSecretRef, readSecretRef } from "../../src/config/read-secret.js";
import { runSecretCommand, SECRET_COMMAND_TIMEOUT_MS } from "../../src/config/secret-command.js";
import type { SecretRef } from "../../src/config/types.js";
import { ConfigError, ExitCode } from "../../src/errors.js";

const SECRET = "S3cretValue0000000000000000000XY";

describe("parseSecretRef", () => {
  const cases: Array<[unknown, SecretRef | undefined]> = [
    ["literal", "literal"],
    [{ env: "DEVO_TOKEN" }, { env: "DEVO_TOKEN" }],
    [{ file: "~/t" }, { file: "~/t" }],
    [{ command: "pass show devo" }, { command: "pass show devo" }],
    [{ env: "" }, undefined],
    [{ env: "A", file: "b" }, undefined],
    [{ vault: "x" }, undefined],
    [{ env: 3 }, undefined],
    [{}, undefined],
    [12345, undefined],
    [["a"], undefined],
    [null, undefined],
  ];
  for (const [raw, expected] of cases) {
    it(`${JSON.stringify(raw)} → ${JSON.stringify(expected)}`, () =>
      assert.deepEqual(parseSecretRef(raw), expected));
  }
});

describe("reading secrets", () => {
  let root: string;
  let home: string;
  let configPath: string;
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "evsend-secret-"));
    home = join(root, "home");
    await mkdir(join(home, "keys"), { recursive: true });
    await mkdir(join(root, "project", "keys"), { recursive: true });
    configPath = join(root, "project", ".evsendrc");
    await writeFile(join(home, "keys", "devo"), `${SECRET}\n`);
    await writeFile(join(root, "project", "keys", "devo"), `${SECRET}-rel\r\n`);
    await writeFile(join(root, "empty"), "\n\n");
  });
  after(() => rm(root, { recursive: true, force: true }));

  const site = () => ({ field: "devo.token", profile: "prod", configPath });
  const read = (ref: SecretRef, extraEnv: NodeJS.ProcessEnv = {}, commandTimeoutMs?: number) =>
    readSecretRef(ref, site(), {
      env: { ...env, ...extraEnv },
      homedir: home,
      ...(commandTimeoutMs ? { commandTimeoutMs } : {}),
    });

  const ok: Array<{ name: string; ref: SecretRef; env?: NodeJS.ProcessEnv; expected: string }> = [
    { name: "literal", ref: SECRET, expected: SECRET },
    { name: "env set", ref: { env: "MY_TOKEN" }, env: { MY_TOKEN: SECRET }, expected: SECRET },
    { name: "file with ~", ref: { file: "~/keys/devo" }, expected: SECRET },
    {
      name: "relative file, relative to the config file",
      ref: { file: "keys/devo" },
      expected: `${SECRET}-rel`,
    },
    {
      name: "command, one trailing newline removed",
      ref: { command: `printf '%s\\n' ${SECRET}` },
      expected: SECRET,
    },
    {
      name: "command sees the given environment",
      ref: { command: 'echo "$FROM_ENV"' },
      env: { FROM_ENV: SECRET },
      expected: SECRET,
    },
  ];
  for (const c of ok) {
    it(c.name, async () => assert.equal(await read(c.ref, c.env), c.expected));
  }

  const failures: Array<{
    name: string;
    ref: SecretRef | (() => SecretRef);
    env?: NodeJS.ProcessEnv;
    timeoutMs?: number;
    match: RegExp;
  }> = [
    { name: "env unset", ref: { env: "NOT_SET_ANYWHERE" }, match: /\$NOT_SET_ANYWHERE.*not set/ },
    { name: "env empty", ref: { env: "EMPTY" }, env: { EMPTY: "" }, match: /\$EMPTY.*empty/ },
    { name: "missing file", ref: { file: "~/keys/none" }, match: /keys\/none: no such file/ },
    { name: "empty file", ref: () => ({ file: join(root, "empty") }), match: /is empty/ },
    {
      name: "failing command (stderr and stdout never shown)",
      ref: { command: `echo ${SECRET}; echo ${SECRET} >&2; exit 3` },
      match: /the command exited with code 3/,
    },
    {
      name: "command killed by timeout",
      ref: { command: `echo ${SECRET}; sleep 30` },
      timeoutMs: 200,
      match: /the command timed out after 200ms/,
    },
    {
      name: "command that prints nothing",
      ref: { command: "true" },
      match: /the command printed nothing/,
    },
  ];
  for (const f of failures) {
    it(`${f.name} → ConfigError naming profile and field`, async () => {
      // A function, for refs that need `root`, which exists only once before() ran.
      const ref = typeof f.ref === "function" ? f.ref() : f.ref;
      const started = performance.now();
      await assert.rejects(read(ref, f.env, f.timeoutMs), (error: unknown) => {
        assert.ok(error instanceof ConfigError, String(error));
        assert.equal(error.exitCode, ExitCode.config);
        assert.match(error.message, /devo\.token in profile "prod"/);
        assert.match(error.message, f.match);
        assert.ok(error.hint, "has a hint");
        const text = `${error.message}\n${error.hint}\n${String(error.cause ?? "")}`;
        assert.ok(!text.includes(SECRET), `secret leaked: ${text}`);
        return true;
      });
      // Far from both the 200 ms timeout and the 30 s sleep (a loaded CI machine).
      if (f.timeoutMs) assert.ok(performance.now() - started < 10_000, "did not wait for sleep");
    });
  }

  it("{ file } may be a FIFO; read once", async () => {
    const fifo = join(root, "token.fifo");
    execFileSync("mkfifo", [fifo]);
    const writer = spawn("sh", ["-c", `printf '%s\\n' ${SECRET} > ${fifo}`], { stdio: "ignore" });
    try {
      assert.equal(await read({ file: fifo }), SECRET);
    } finally {
      writer.kill();
    }
  });

  it("{ file: /dev/zero } fails fast: at most 1 MiB is read", async () => {
    const started = performance.now();
    await assert.rejects(read({ file: "/dev/zero" }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(
        error.message,
        /devo\.token in profile "prod": cannot read \/dev\/zero: .*more than 1 MiB/,
      );
      return true;
    });
    // /dev/zero never ends: the rejection is the proof; the bound is far from the real few ms.
    assert.ok(performance.now() - started < 10_000);
  });

  for (const kind of ["env", "file"] as const) {
    it(`a token pasted into { ${kind}: … } is never echoed`, async () => {
      const pasted = "9f8e7d6c5b4a39281716f5e4d3c2b1a0";
      const ref = (kind === "env" ? { env: pasted } : { file: pasted }) as SecretRef;
      await assert.rejects(read(ref), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(
          error.message,
          /devo\.token in profile "prod": .*looks like a secret \(not shown\)/,
        );
        assert.ok(!`${error.message}${error.hint}`.includes(pasted), error.message);
        return true;
      });
    });
  }

  it("the command timeout is 10 s unless shortened; quick commands pass", async () => {
    assert.equal(SECRET_COMMAND_TIMEOUT_MS, 10_000);
    assert.equal(await runSecretCommand("echo hi", { env }), "hi");
  });
});
