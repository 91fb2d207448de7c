import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { spawnEmulator, type EmulatorProcess } from "../helpers/emulator.js";
import { BIN, type CliResult } from "../helpers/spawn.js";
import { useTempHome } from "../helpers/scoped.js";

/**
 * Runs evsend with `lines` written to its stdin one at a time, as `tail -F` would: each after the
 * previous one reached the emulator, then `gapMs` later (so a slow start changes nothing).
 */
function runTrickled(
  args: string[],
  env: NodeJS.ProcessEnv,
  lines: string[],
  gapMs: number,
  arrived: (index: number) => Promise<unknown>,
): Promise<CliResult> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd: env.HOME });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  child.stdin.on("error", () => {});
  const done = new Promise<CliResult>((resolve) =>
    child.on("close", (code, signal) =>
      resolve({ code, signal, stdout, stderr, durationMs: performance.now() - started }),
    ),
  );
  void (async () => {
    try {
      for (const [i, line] of lines.entries()) {
        if (child.exitCode !== null) break;
        child.stdin.write(`${line}\n`);
        await arrived(i);
        await sleep(gapMs);
      }
    } finally {
      child.stdin.end();
    }
  })().catch(() => {}); // a line that never arrived fails the test's own assertions
  return done;
}

describe("eventhos tokens that expire during a run (end to end)", () => {
  const home = useTempHome();
  let emulator: EmulatorProcess;
  before(async () => {
    const config = join(home.home, "eventhos.json");
    // The administrator shortened the token lifetime to one second.
    await writeFile(
      config,
      JSON.stringify({ clients: [{ id: "c::app", secret: "tok3n-S3cret" }], expiresIn: 1 }),
    );
    emulator = await spawnEmulator(home.env, ["--eventhos-config", config], ["-v"]);
  });
  after(async () => {
    await emulator.stop();
  });

  it("a token fetched during the run is renewed before its exp: every line is stored, exit 0", async () => {
    const tokenCalls = (): number => emulator.stderr().match(/POST \/auth\/token →/g)?.length ?? 0;
    const before = tokenCalls();
    const lines = Array.from({ length: 6 }, (_, i) => JSON.stringify({ tick: i }));
    const r = await runTrickled(
      ["-v", "eventhos", "send", "--ndjson", "-"],
      {
        ...home.env,
        XDG_CACHE_HOME: join(home.home, ".cache"),
        EVSEND_EVENTHOS_URL: emulator.url,
        EVSEND_EVENTHOS_EVENT: "ev-tick",
        EVSEND_EVENTHOS_CLIENT_ID: "c::app",
        EVSEND_EVENTHOS_CLIENT_SECRET: "tok3n-S3cret",
      },
      lines,
      500,
      (i) => emulator.waitForLine((line) => line.includes(`{"tick":${i}}`), 20_000),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^stdin: 6 events, delivered\n/);
    assert.match(r.stderr, /the token is about to expire; getting a new one/);
    assert.doesNotMatch(emulator.stderr(), /\/event\/send → 401/);
    assert.ok(tokenCalls() - before >= 2, `${tokenCalls() - before} token requests`);
  });
});
