import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runInProcess } from "../helpers/run-cli.js";

describe("evsend program (in-process)", () => {
  it("--help lists the commands and exit codes, exit 0", async () => {
    const r = await runInProcess(["--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: evsend \[options\] \[command\]/);
    for (const word of ["devo", "emulate", "--dry-run", "--json", "Exit codes:"])
      assert.ok(r.stdout.includes(word), word);
    assert.match(r.stdout, /\n {2}130 +interrupted/);
  });

  for (const args of [
    ["devo", "send", "--help"],
    ["devo", "file", "--help"],
  ]) {
    it(`${args.join(" ")} shows the global options`, async () => {
      const r = await runInProcess(args);
      assert.equal(r.code, 0);
      for (const flag of [
        "--profile <name>",
        "--config <path>",
        "--json",
        "--quiet",
        "--verbose",
        "--dry-run",
        "--timeout <duration>",
        "--retries <n>",
        "--no-color",
      ]) {
        assert.ok(r.stdout.includes(flag), `${flag} in ${args.join(" ")} --help`);
      }
    });
  }

  const usage: Array<[string[], RegExp]> = [
    [["nope"], /^error: unknown command 'nope'/],
    [["devo", "send", "--bogus"], /^error: unknown option '--bogus'/],
    [["--retries", "many", "devo", "send", "x"], /not a whole number/],
    [["--timeout", "1 week", "devo", "send", "x"], /not a duration/],
    [["--timeout", "0", "devo", "send", "x"], /"0" is not a usable timeout/],
    [["devo", "send", "--method", "put", "x"], /argument 'put' is invalid/],
    [["devo", "file"], /^error: no input: pass files or globs, or - to read stdin\n/],
    [
      ["devo", "file", "--batch-size", "33m", "x"],
      /argument '33m' is invalid\. "33m" is over 32\.0 MiB/,
    ],
    [["devo", "file", "--batch-size", "100", "x"], /"100" is under 1\.0 KiB/],
    [
      ["devo", "send", "--domain", "", "x"],
      /'--domain <domain>' argument '' is invalid\. it must not be empty/,
    ],
    [["devo", "file", "--batch-size", "huge", "x"], /not a size/],
    [["devo", "file", "--concurrency", "0", "x"], /outside 1–64/],
    [["devo"], /`evsend devo` needs a command: send, file/],
    [["emulate", "--port", "70000"], /outside 0–65535/],
  ];
  for (const [args, message] of usage) {
    it(`${args.join(" ")} → exit 2`, async () => {
      const r = await runInProcess(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /\nhint: /);
      assert.equal(r.stdout, "");
    });
  }

  it("a usage error with --json ends stdout with an error object", async () => {
    const r = await runInProcess(["--json", "devo", "send", "--bogus"]);
    assert.equal(r.code, 2);
    const last = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
    assert.equal(last.type, "error");
    assert.equal(last.exitCode, 2);
  });

  it("devo file with no input and stdin not a terminal (a pipe, cron, CI): files, or add -", async () => {
    const r = await runInProcess(["devo", "file"], { stdin: "a log line\n" });
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      "error: no input: pass files or globs, or - to read stdin\n" +
        "hint: name the files to send, e.g. `evsend devo file app.log`; to read stdin (not a terminal here: a pipe, a file, or cron/CI), add -: `cat app.log | evsend devo file -`\n",
    );
  });

  for (const args of [
    ["devo", "file", "-", "--token-file", "-"],
    ["devo", "file", "--token-file", "-", "-"],
    ["--dry-run", "devo", "file", "-", "--token-file", "-"],
  ]) {
    it(`${args.join(" ")}: stdin has two readers → exit 2 before reading`, async () => {
      const r = await runInProcess([...args, "--domain", "d", "--tag", "a.b"], {
        stdin: "log 1\n",
      });
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /^error: stdin can be read only once, but both --token-file - and the input - read it\n/,
      );
      assert.equal(r.stdout, "");
    });
  }

  it("devo send with no message and a terminal stdin → exit 2 pointing to devo file", async () => {
    const r = await runInProcess(["devo", "send", "--domain", "d", "--tag", "a.b"], {
      stdinIsTTY: true,
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no message/);
    assert.match(r.stderr, /evsend devo file/);
  });
});
