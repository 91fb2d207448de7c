// The built CLI holds V8's heap for a record run's length and sets it back before it exits
// (src/bulk/heap-limit.ts): which V8 flags a run sets, seen by a preload that records each call
// of node:v8's setFlagsFromString, and that the code cache written after such a run is read by
// the next (V8 keeps one only for the flags it was made with). Never how much memory a run
// takes: that is `npm run bench`'s (BENCH_ONLY=databoom-rss).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runOnPty } from "../helpers/installed.js";
import { withServer, withTempHome } from "../helpers/scoped.js";
import { BIN, cacheFile, runEvsend } from "../helpers/spawn.js";
import type { TempHome } from "../helpers/spawn.js";

const CSV = "date,signal,value\n2024-01-01T00:00:00.000Z,s1,1\n2024-01-01T00:00:01.000Z,s1,2\n";
const HISTORY = ["--dry-run", "databoom", "history", "--url", "http://127.0.0.1:9/v1"];
const HISTORY_CSV = [...HISTORY, "--device", "d", "--format", "csv", "-"];
const ENV = { EVSEND_DATABOOM_TOKEN: "Databoom0Token0000000000000000AB" };

/** The flags bin/evsend.js itself sets on Node 20 (for the wasm compiler), not the limit's. */
const LIFTOFF = "--liftoff-only --no-wasm-tier-up";

/** A preload that logs every V8 flag the run sets, one call a line, to `v8.log` in the home. */
async function flagRecorder(
  home: TempHome,
): Promise<{ nodeArgs: string[]; flags(): Promise<string[]> }> {
  const log = join(home.home, "v8.log");
  const preload = join(home.home, "record-v8-flags.cjs");
  await writeFile(
    preload,
    `const v8 = require("node:v8");
     const fs = require("node:fs");
     const set = v8.setFlagsFromString;
     v8.setFlagsFromString = (flags) => {
       fs.appendFileSync(${JSON.stringify(log)}, flags + "\\n");
       return set.call(v8, flags);
     };\n`,
  );
  return {
    nodeArgs: ["--require", preload],
    async flags() {
      if (!existsSync(log)) return [];
      const lines = (await readFile(log, "utf8")).split("\n").filter(Boolean);
      return lines.filter((line) => line !== LIFTOFF);
    },
  };
}

describe(`the heap limit of a record run, built (Node ${process.version})`, () => {
  it("is set when the run starts and set back to V8's defaults when it ends", async (t) => {
    const home = await withTempHome(t);
    const recorder = await flagRecorder(home);
    const env = { ...home.env, ...ENV };
    const r = await runEvsend(HISTORY_CSV, { env, stdin: CSV, nodeArgs: recorder.nodeArgs });
    assert.equal(r.code, 0, r.stderr);
    // (A 2-row run ends before its young generation reaches the cap.)
    assert.deepEqual(await recorder.flags(), [
      "--heap-growing-percent=100",
      "--semi-space-growth-factor=2 --heap-growing-percent=0",
    ]);
  });

  it("is not set by a line run (devo file), nor where a Node option sizes the heap", async (t) => {
    const home = await withTempHome(t);
    const recorder = await flagRecorder(home);
    const devo = ["--dry-run", "devo", "file", "--domain", "d", "--tag", "a.b", "--host", "h"];
    const env = { ...home.env, EVSEND_DEVO_TOKEN: "Map5T0ken000000000000000000000AB" };
    const line = await runEvsend([...devo, "-"], {
      env,
      stdin: "l\n",
      nodeArgs: recorder.nodeArgs,
    });
    assert.equal(line.code, 0, line.stderr);
    const sized = await runEvsend(HISTORY_CSV, {
      env: { ...home.env, ...ENV, NODE_OPTIONS: "--max-semi-space-size=8" },
      stdin: CSV,
      nodeArgs: recorder.nodeArgs,
    });
    assert.equal(sized.code, 0, sized.stderr);
    assert.deepEqual(await recorder.flags(), []);
  });

  it("leaves a code cache that the next run reads as it is", async (t) => {
    const home = await withTempHome(t);
    const env = { ...home.env, ...ENV };
    const cache = cacheFile(home, "evsend.cjs", true);
    const first = await runEvsend(HISTORY_CSV, { env, stdin: CSV });
    assert.equal(first.code, 0, first.stderr);
    const written = (await stat(cache)).mtimeMs;
    assert.match((await readFile(cache)).toString("latin1", 0, 200), /\tdataboom history\n/);
    // A cache made under other flags would be rejected by V8, and written again.
    const second = await runEvsend(HISTORY_CSV, { env, stdin: CSV });
    assert.deepEqual([second.code, second.stderr], [0, first.stderr]);
    assert.equal((await stat(cache)).mtimeMs, written);
  });

  it("compiles what a run loads while it holds the heap under V8's defaults: a second run on a terminal writes no cache again", async (t) => {
    const home = await withTempHome(t);
    const server = await withServer(t, (_req, res) =>
      res.writeHead(200).end('{"message":"ALL_INFO_PROCESSED"}'),
    );
    await writeFile(join(home.home, "p.csv"), CSV);
    const env = { ...home.env, ...ENV };
    // On a terminal: the spinner loads ora, the first request undici, both after the limit is on.
    const command = [process.execPath, BIN, "databoom", "history", "--url", server.url]
      .concat(["--device", "d", "p.csv"])
      .map((word) => `'${word}'`)
      .join(" ");
    const dir = join(cacheFile(home, "x"), "..", "..");
    const written = async (): Promise<Map<string, number>> => {
      const files = await readdir(dir, { recursive: true, withFileTypes: true });
      const entries = files.filter((f) => f.isFile()).map((f) => join(f.parentPath, f.name));
      return new Map(
        await Promise.all(entries.map(async (f) => [f, (await stat(f)).mtimeMs] as const)),
      );
    };
    const first = await runOnPty(`cd '${home.home}' && ${command}`, env);
    assert.equal(first.code, 0, first.transcript);
    const before = await written();
    const names = [...before.keys()].map((f) => f.split("/").at(-1)).sort();
    assert.deepEqual(names, [
      "csv-parse.cjs.cache",
      "evsend.cjs.cache",
      "ora.cjs.cache",
      "undici.cjs.cache",
    ]);
    const second = await runOnPty(`cd '${home.home}' && ${command}`, env);
    assert.equal(second.code, 0, second.transcript);
    assert.deepEqual(await written(), before);
    assert.equal(server.requests.length, 2);
  });
});
