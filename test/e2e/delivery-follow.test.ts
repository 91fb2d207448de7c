import assert from "node:assert/strict";
import { appendFile, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { recordedEvents, spawnEmulator, type EmulatorProcess } from "../helpers/emulator.js";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { withTempHome } from "../helpers/scoped.js";

const TOKEN = "F0ll0wT0ken00000000000000000000F";

/** Waits until the emulator recorded `count` events; fails after 10 s. */
async function received(emulator: EmulatorProcess, count: number): Promise<string[]> {
  for (let waited = 0; waited < 10_000; waited += 50) {
    const got = (await recordedEvents(emulator.url)) as string[];
    if (got.length >= count) return got;
    await sleep(50);
  }
  throw new Error(`the emulator never got ${count} events`);
}

describe("--follow (end to end)", () => {
  it("picks up appended lines, a completed partial line, rotation and new files; --idle-timeout exits 0", async (t) => {
    const home = await withTempHome(t);
    const emulator = await spawnEmulator(home.env, ["--devo-token", TOKEN]);
    t.after(() => emulator.stop());
    const env = { ...home.env, EVSEND_DEVO_TOKEN: TOKEN, EVSEND_DEVO_ENDPOINT: emulator.url };
    const log = join(home.home, "app.log");
    await writeFile(log, "one\n");
    const running = runEvsend(
      ["--json", "devo", "file", "--domain", "d", "--tag", "t.t", "--follow"].concat([
        "--flush-interval",
        "100ms",
        "--idle-timeout",
        "1500ms",
        "--state",
        "s.json",
        "app.log*",
      ]),
      { env },
    );
    assert.deepEqual(await received(emulator, 1), ["one"], "existing lines are sent first");
    await appendFile(log, "two\nthr");
    assert.deepEqual(await received(emulator, 2), ["one", "two"]);
    await appendFile(log, "ee\n");
    await received(emulator, 3);
    await rename(log, `${log}.1`);
    await writeFile(log, "four\n");
    await writeFile(join(home.home, "app.log.new"), "five\n");
    await received(emulator, 5);
    const r = await running;
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(((await recordedEvents(emulator.url)) as string[]).sort(), [
      "five",
      "four",
      "one",
      "three",
      "two",
    ]);
    const summary = ndjson(r.stdout).at(-1)!;
    assert.equal(summary.type, "summary");
    assert.equal(summary.delivered, 5);
    assert.equal(summary.files, 3);
    assert.equal(summary.exitCode, 0);
    const state = JSON.parse(await readFile(join(home.home, "s.json"), "utf8")) as {
      files: Array<{ offset: number }>;
    };
    assert.deepEqual(
      state.files.map((f) => f.offset).sort((a, b) => a - b),
      [5, 5, 14],
    );
  });

  it("SIGTERM: flushes, saves the state, exits 130; the next run resends nothing", async (t) => {
    const home = await withTempHome(t);
    const emulator = await spawnEmulator(home.env, ["--devo-token", TOKEN]);
    t.after(() => emulator.stop());
    const env = { ...home.env, EVSEND_DEVO_TOKEN: TOKEN, EVSEND_DEVO_ENDPOINT: emulator.url };
    await writeFile(join(home.home, "app.log"), "a\nb\n");
    const args = ["devo", "file", "--domain", "d", "--tag", "t.t", "--state", "s.json", "app.log"];
    let pid = 0;
    const running = runEvsend([...args, "--follow"], { env, onSpawn: (p) => (pid = p) });
    await received(emulator, 2);
    process.kill(pid, "SIGTERM");
    const r = await running;
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stdout, /delivered 2 of 2 lines from 1 file/);
    const again = await runEvsend(args, { env });
    assert.equal(again.code, 0, again.stderr);
    assert.equal((await recordedEvents(emulator.url)).length, 2);
  });

  it("refuses stdin, and timing options without --follow", async (t) => {
    const home = await withTempHome(t);
    const devo = ["devo", "file", "--domain", "d", "--tag", "t.t"];
    let r = await runEvsend([...devo, "--follow", "-"], { env: home.env, stdin: "x\n" });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--follow reads files as they grow/);
    r = await runEvsend([...devo, "--idle-timeout", "5s", "x.log"], { env: home.env });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--idle-timeout applies to --follow only/);
  });
});
