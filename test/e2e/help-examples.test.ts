// Every command's --help ends its own part with two or three examples (cli/help.ts). They are
// real: each one runs here as written, with bash, `evsend` on the PATH, a HOME whose config has
// the profile `prod` (the default) pointing every service at an emulator started for the test,
// and the files the examples name. `127.0.0.1:4780` (the emulator's documented port) is rewritten
// to the emulator's port, as in the README examples test. An example that starts the emulator
// must print where it listens, and stops at SIGINT (exit 130).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import type { Command } from "commander";
import { commandExamples } from "../../src/cli/help.js";
import { spawnEmulator, type EmulatorProcess } from "../helpers/emulator.js";
import { programTree } from "../helpers/runtime.js";
import { useTempHome } from "../helpers/scoped.js";
import { BIN } from "../helpers/spawn.js";

const DOCUMENTED = "127.0.0.1:4780";

/** Every command but the `help` ones and hidden helpers, with its path. */
function commands(
  command: Command,
  path: string[] = [],
): Array<{ command: Command; path: string }> {
  const shown = command.createHelp().visibleCommands(command);
  return [
    { command, path: ["evsend", ...path].join(" ") },
    ...shown.filter((c) => c.name() !== "help").flatMap((c) => commands(c, [...path, c.name()])),
  ];
}

const all = commands(programTree());

/** The files the examples read, made in each example's working directory. */
async function writeFixtures(dir: string): Promise<void> {
  await mkdir(join(dir, "logs"));
  await writeFile(join(dir, "logs", "app.log"), "started\nready\n");
  await writeFile(join(dir, "logs", "app.debug.log"), "noise\n");
  await writeFile(join(dir, "old.log.gz"), gzipSync("old line 1\nold line 2\n"));
  await mkdir(join(dir, "exports"));
  await writeFile(
    join(dir, "exports", "may.csv.gz"),
    gzipSync("date,temperature\n2024-05-01T12:00:00Z,21.5\n"),
  );
  await writeFile(join(dir, "readings.csv"), "date,humidity\n2024-05-01T12:00:00Z,40\n");
  await writeFile(
    join(dir, "points.ndjson.gz"),
    gzipSync('{"date":1714564800,"signal":"power","value":1250}\n'),
  );
  await writeFile(join(dir, "order.json"), '{"order": 42}\n');
  await mkdir(join(dir, "orders"));
  await writeFile(join(dir, "orders", "a.ndjson"), '{"order": 1}\n{"order": 2}\n');
  await mkdir(join(dir, "alerts"));
  await writeFile(join(dir, "alerts", "a.ndjson"), '{"status":"ok","title":"backup done"}\n');
  await mkdir(join(dir, "ci"));
}

function run(
  script: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  until?: RegExp,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-e", "-c", script], { env, cwd });
    let stdout = "";
    let stderr = "";
    let stopped = false;
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      // Once: a second Ctrl-C is evsend's forced stop (it dies of the signal, no exit code),
      // and the summary that follows the first would otherwise send it.
      if (!stopped && until?.test(stdout)) {
        stopped = true;
        child.kill("SIGINT");
      }
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("help examples", () => {
  it("every command has two or three, right after its own options", () => {
    for (const { command, path } of all) {
      const examples = commandExamples(command);
      assert.ok(examples.length >= 2 && examples.length <= 3, `${path}: ${examples.length}`);
      const help = command.helpInformation();
      const at = help.indexOf("\nExamples:\n");
      assert.ok(at > 0, `${path}: no Examples section`);
      const global = help.indexOf("\nGlobal Options:\n");
      if (global >= 0) assert.ok(at < global, `${path}: examples after the global options`);
      assert.ok(at > help.indexOf("\nOptions:\n"), `${path}: examples before its options`);
    }
    const root = all[0]!.command.helpInformation();
    assert.ok(root.indexOf("\nExit codes:\n") > root.indexOf("\nExamples:\n"));
    assert.match(root, /\n {2}130 +interrupted[^\n]*\n$/);
  });

  const home = useTempHome();
  let emulator: EmulatorProcess;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    emulator = await spawnEmulator(home.env);
    const url = emulator.url;
    await home.writeConfig(
      [
        "defaultProfile: prod",
        "profiles:",
        "  prod:",
        `    devo: { endpoint: "${url}", domain: acme, tag: my.app.test, token: test0000000000000000000000000000 }`,
        `    databoom: { url: "${url}/v1", device: dev-42, token: made-up-oauth-token }`,
        `    eventhos: { url: "${url}", event: order-created-9O_CE0Lcrz, accessKey: made-up-key }`,
        `    guance: { url: "${url}/api/v1/push-events/made-up-secret/datakit/push" }`,
      ].join("\n"),
    );
    for (const [file, text] of [
      ["devo.token", "test0000000000000000000000000000"],
      ["eventhos.key", "made-up-key"],
    ]) {
      const path = join(home.home, ".config", "evsend", file!);
      await writeFile(path, `${text}\n`);
      await chmod(path, 0o600);
    }
    const bin = join(home.home, "bin");
    await mkdir(bin);
    await writeFile(join(bin, "evsend"), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
    await chmod(join(bin, "evsend"), 0o755);
    env = { ...home.env, PATH: `${bin}:${home.env.PATH ?? "/usr/bin:/bin"}` };
  });
  after(async () => {
    assert.equal(await emulator.stop(), 130);
  });

  for (const { command, path } of all) {
    for (const example of commandExamples(command)) {
      it(`${path}: ${example}`, async () => {
        const cwd = await mkdtemp(join(home.home, "example-"));
        await writeFixtures(cwd);
        const port = new URL(emulator.url).port;
        let script = example.replaceAll(DOCUMENTED, `127.0.0.1:${port}`);
        // An emulator runs until stopped: in the foreground here, stopped once it listens.
        const starts = /^evsend (--json )?emulate\b/.test(script);
        // `exec`: SIGINT reaches evsend itself, not a shell that would die of it first.
        if (starts) script = `exec ${script.replace(/\s*&\s*(#.*)?$/, "")}`;
        const r = await run(script, env, cwd, starts ? /listening/ : undefined);
        assert.equal(r.code, starts ? 130 : 0, `${example}\n${r.stdout}\n${r.stderr}`);
        assert.doesNotMatch(r.stderr, /^warning:/m, example);
      });
    }
  }
});
