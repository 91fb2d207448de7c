import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runInProcess } from "../helpers/run-cli.js";

describe("evsend emulate --help (in-process)", () => {
  it("names the APIs it speaks, its options, its endpoints; only global options that apply", async () => {
    const r = await runInProcess(["emulate", "--help"]);
    assert.equal(r.code, 0, r.stderr);
    // Every service, named in one list: "the Devo API", "the Devo, Databoom and … APIs".
    assert.match(r.stdout, /speaks the Devo(, \w+)*( and \w+ APIs| API) on one/);
    assert.doesNotMatch(r.stdout, /now:/);
    for (const text of [
      "--port <n>",
      "(default: 4780)",
      "--host <address>",
      "(default: 127.0.0.1)",
      "--devo-token <token>",
      "made-up test token",
      "--max-stored <size>",
      "(default: 64m)",
      "--fail-rate <rate>",
      "--fail-status <codes>",
      "--drop-rate <rate>",
      "--latency <duration>",
      "--retry-after <seconds>",
      "--seed <n>",
      "GET /_emulator/events?after=<seq>&limit=<n>",
      "DELETE /_emulator/events",
      "--json",
      "--quiet",
      "--verbose",
      "--no-color",
    ]) {
      assert.ok(r.stdout.includes(text), `${text} in:\n${r.stdout}`);
    }
    for (const flag of [
      "--profile",
      "--config",
      "--dry-run",
      "--timeout",
      "--retries",
      "--ca-file",
      "--version",
    ]) {
      assert.ok(!r.stdout.includes(flag), `${flag} does not apply to emulate:\n${r.stdout}`);
    }
  });

  for (const args of [
    ["--dry-run", "emulate"],
    ["emulate", "--timeout", "5s"],
    ["-p", "prod", "emulate", "--port", "0"],
  ]) {
    it(`${args.join(" ")} → exit 2: the option would be silently ignored`, async () => {
      const r = await runInProcess(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^error: --\S+ does not apply to evsend emulate\n/);
      assert.equal(r.stdout, "");
    });
  }

  for (const [args, message] of [
    [["emulate", "--max-stored", "0"], /"0" keeps nothing/],
    [["emulate", "--max-stored", "lots"], /"lots" is not a size/],
  ] as const) {
    it(`${args.join(" ")} → exit 2`, async () => {
      const r = await runInProcess([...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    });
  }
});
