import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { readSecretFlag, type SecretFlagSite } from "../../src/config/secret-flag.js";
import { ConfigError, ExitCode, InterruptedError } from "../../src/errors.js";

const SECRET = "S3cretValue0000000000000000000XY";
const PASTED = "9f8e7d6c5b4a39281716f5e4d3c2b1a0";
const DEVO: SecretFlagSite = {
  flag: "--token-file",
  envName: "EVSEND_DEVO_TOKEN",
  profileField: "devo.token",
};

describe("readSecretFlag (--<secret>-file)", () => {
  let root: string;
  let home: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "evsend-flag-"));
    home = join(root, "home");
    await mkdir(join(home, "keys"), { recursive: true });
    await mkdir(join(root, "project", "keys"), { recursive: true });
    await writeFile(join(home, "keys", "devo"), `${SECRET}\n`);
    await writeFile(join(root, "project", "keys", "devo"), `${SECRET}-rel\r\n`);
    await writeFile(join(root, "big"), Buffer.alloc(1024 * 1024 + 1, "a"));
  });
  after(() => rm(root, { recursive: true, force: true }));

  const opts = (stdin: Readable = Readable.from([]), extra = {}) => ({
    stdin: () => stdin,
    cwd: root,
    homedir: home,
    ...extra,
  });
  const config = (re: RegExp, hidden?: string) => (error: unknown) => {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.exitCode, ExitCode.config);
    assert.match(error.message, re);
    if (hidden) assert.ok(!`${error.message}\n${error.hint}`.includes(hidden), error.message);
    return true;
  };

  it("reads a file (~ expanded) and trims trailing whitespace", async () =>
    assert.equal(await readSecretFlag(DEVO, "~/keys/devo", opts()), SECRET));
  it("resolves a relative path against cwd", async () =>
    assert.equal(await readSecretFlag(DEVO, "project/keys/devo", opts()), `${SECRET}-rel`));
  it("- reads all of stdin", async () =>
    assert.equal(
      await readSecretFlag(DEVO, "-", opts(Readable.from([Buffer.from("ab"), "cd\n"]))),
      "abcd",
    ));
  it("an empty stdin is an error naming the flag", () =>
    assert.rejects(
      readSecretFlag(DEVO, "-", opts(Readable.from(["\n"]))),
      config(/--token-file - \(stdin\) is empty/),
    ));
  it("a missing file that looks like a path is named", () =>
    assert.rejects(
      readSecretFlag(DEVO, "nope.txt", opts()),
      config(/cannot read --token-file nope\.txt: no such file/),
    ));

  it("a pasted token is never echoed; the error says how to pass a secret", async () => {
    await assert.rejects(readSecretFlag(DEVO, PASTED, opts()), (error: unknown) => {
      config(/cannot read --token-file: .*looks like a secret \(not shown\)/, PASTED)(error);
      const hint = (error as ConfigError).hint ?? "";
      for (const way of [
        "--token-file <file>",
        "--token-file -",
        "EVSEND_DEVO_TOKEN",
        "devo.token",
      ])
        assert.ok(hint.includes(way), hint);
      return true;
    });
  });
  it("works for every service's secret flag", () =>
    assert.rejects(
      readSecretFlag(
        { flag: "--secret-file", envName: "EVSEND_GUANCE_SECRET", profileField: "guance.secret" },
        PASTED,
        opts(),
      ),
      (error: unknown) =>
        config(/cannot read --secret-file: /, PASTED)(error) &&
        /EVSEND_GUANCE_SECRET/.test((error as ConfigError).hint ?? ""),
    ));

  it("/dev/zero fails fast: at most 1 MiB is read", async () => {
    const started = performance.now();
    await assert.rejects(readSecretFlag(DEVO, "/dev/zero", opts()), config(/more than 1 MiB/));
    // /dev/zero never ends: the rejection is the proof; the bound is far from the real few ms.
    assert.ok(performance.now() - started < 10_000);
  });
  it("a file over 1 MiB is refused", () =>
    assert.rejects(readSecretFlag(DEVO, join(root, "big"), opts()), config(/more than 1 MiB/)));
  it("stdin over 1 MiB is refused", () =>
    assert.rejects(
      readSecretFlag(
        DEVO,
        "-",
        opts(Readable.from([Buffer.alloc(700_000), Buffer.alloc(700_000)])),
      ),
      config(/more than 1 MiB/),
    ));

  it("reads a FIFO (named pipe, process substitution)", async () => {
    const fifo = join(root, "fifo");
    execFileSync("mkfifo", [fifo]);
    const writer = spawn("sh", ["-c", `printf '%s\\n' ${SECRET} > ${fifo}`], { stdio: "ignore" });
    try {
      assert.equal(await readSecretFlag(DEVO, fifo, opts()), SECRET);
    } finally {
      writer.kill();
    }
  });

  it("Ctrl-C stops waiting for stdin at once (exit 130)", async () => {
    const controller = new AbortController();
    const stdin = new PassThrough(); // never ends, like a terminal nobody types in
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    await assert.rejects(
      readSecretFlag(DEVO, "-", opts(stdin, { signal: controller.signal })),
      (error: unknown) => error instanceof InterruptedError && error.exitCode === 130,
    );
    // stdin never ends: settling at all is the abort at work; the bound is 100× the 100 ms.
    assert.ok(performance.now() - started < 10_000);
  });

  it("Ctrl-C stops waiting for a FIFO's writer", async () => {
    const fifo = join(root, "fifo-slow");
    execFileSync("mkfifo", [fifo]);
    const writer = spawn("sh", ["-c", `exec 3> ${fifo}; exec sleep 30`], { stdio: "ignore" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    try {
      await assert.rejects(
        readSecretFlag(DEVO, fifo, opts(undefined, { signal: controller.signal })),
        (error: unknown) => error instanceof InterruptedError,
      );
    } finally {
      writer.kill();
    }
  });
});
