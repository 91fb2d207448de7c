import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { appendFile, readFile, rename, rm, stat, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import {
  httpCall,
  recordedEvents,
  spawnEmulator,
  type EmulatorProcess,
} from "../helpers/emulator.js";
import { ndjson, runEvsend, type CliResult } from "../helpers/spawn.js";
import { useTempHome, withServer } from "../helpers/scoped.js";

const TOKEN = "St4teT0ken000000000000000000000S";

describe("--state: checkpoints (end to end)", () => {
  const home = useTempHome();
  let emulator: EmulatorProcess;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let n = 0;

  const devo = (...rest: string[]): Promise<CliResult> =>
    runEvsend(["devo", "file", "--domain", "d", "--tag", "my.app.t", ...rest], {
      env,
      cwd: dir,
    });
  const received = async (): Promise<string[]> => (await recordedEvents(emulator.url)) as string[];

  before(async () => {
    emulator = await spawnEmulator(home.env, ["--devo-token", TOKEN]);
    env = { ...home.env, EVSEND_DEVO_TOKEN: TOKEN, EVSEND_DEVO_ENDPOINT: emulator.url };
  });
  after(async () => {
    await emulator.stop();
  });
  beforeEach(async () => {
    await httpCall(`${emulator.url}/_emulator/events`, "DELETE");
    dir = join(home.home, `case-${++n}`);
    await import("node:fs/promises").then((fs) => fs.mkdir(dir));
  });

  it("a second run sends only the appended lines; a half-written last line waits for its newline", async () => {
    const log = join(dir, "app.log");
    await writeFile(log, "a1\na2\na3\n");
    let r = await devo("--state", "state.json", "app.log");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await received(), ["a1", "a2", "a3"]);
    const saved = await stat(join(dir, "state.json"));
    assert.equal(saved.mode & 0o777, 0o600);
    const doc = JSON.parse(await readFile(join(dir, "state.json"), "utf8")) as {
      kind: string;
      version: number;
      files: Array<{ path: string; offset: number; lines: number }>;
    };
    assert.equal(doc.kind, "evsend-checkpoints");
    assert.equal(doc.version, 1);
    assert.deepEqual(
      doc.files.map((f) => [f.path, f.offset, f.lines]),
      [[log, 9, 3]],
    );

    await appendFile(log, "a4\na5\npartial li");
    r = await devo("--state", "state.json", "app.log");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split("\n")[0], "app.log: 2 lines, delivered");
    assert.deepEqual(await received(), ["a1", "a2", "a3", "a4", "a5"]);

    await appendFile(log, "ne completed\n");
    r = await runEvsend(
      [
        "--json",
        "devo",
        "file",
        "--domain",
        "d",
        "--tag",
        "my.app.t",
        "--state",
        "state.json",
      ].concat(["app.log"]),
      { env, cwd: dir },
    );
    assert.equal(r.code, 0, r.stderr);
    const result = ndjson(r.stdout)[0]!;
    assert.equal(result.startOffset, 15);
    assert.equal(result.deliveredOffset, 38);
    // Line numbers go on from the checkpoint.
    assert.deepEqual((result.ranges as { delivered: number[][] }).delivered, [[6, 6]]);
    assert.deepEqual(await received(), ["a1", "a2", "a3", "a4", "a5", "partial line completed"]);

    r = await devo("--state", "state.json", "app.log");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split("\n")[0], "app.log: 0 lines, empty");
    assert.equal((await received()).length, 6, "nothing sent twice");
  });

  it("rename rotation with a glob: the old file's last lines once, the new file from its start", async () => {
    const log = join(dir, "app.log");
    await writeFile(log, "old1\nold2\n");
    let r = await devo("--state", "state.json", "app.log*");
    assert.equal(r.code, 0, r.stderr);
    await appendFile(log, "old3\n");
    await rename(log, join(dir, "app.log.1"));
    await writeFile(log, "new1\n");
    r = await devo("--state", "state.json", "app.log*");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((await received()).sort(), ["new1", "old1", "old2", "old3"]);
    r = await devo("--state", "state.json", "app.log*");
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await received()).length, 4, "a third run sends nothing again");
  });

  it("rotation the glob does not see is told", async () => {
    const log = join(dir, "app.log");
    await writeFile(log, "one\n");
    assert.equal((await devo("--state", "s.json", "app.log")).code, 0);
    await rename(log, join(dir, "app.log.1"));
    await writeFile(log, "two\n");
    const r = await devo("--state", "s.json", "app.log");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /app\.log was rotated since the last run: .*'app\.log\*'/);
    assert.deepEqual(await received(), ["one", "two"]);
  });

  it("copytruncate (the file shrank) and a new file in the old one's place start over, said so", async () => {
    const log = join(dir, "app.log");
    await writeFile(log, "first line of the day\nsecond\n");
    assert.equal((await devo("--state", "s.json", "app.log")).code, 0);
    await truncate(log, 0);
    await writeFile(log, "after\n");
    let r = await devo("--state", "s.json", "app.log");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /app\.log: it shrank below the checkpoint \(29 bytes; truncated/);
    // Longer than before, but another file: its start is not what was delivered.
    await rm(log);
    await writeFile(log, "a different file, longer than the first one was\n");
    r = await devo("--state", "s.json", "app.log");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await received(), [
      "first line of the day",
      "second",
      "after",
      "a different file, longer than the first one was",
    ]);
  });

  it(".gz inputs resume by reading up to the offset; its last line is not held back", async () => {
    const gz = join(dir, "old.log.gz");
    await writeFile(gz, gzipSync("g1\ng2\ng3\nlast, no newline"));
    const info = await stat(gz);
    const head = (await readFile(gz)).subarray(0, 1024);
    const state = {
      kind: "evsend-checkpoints",
      version: 1,
      files: [
        {
          path: gz,
          id: `${info.dev}:${info.ino}`,
          fingerprint: `sha256:${createHash("sha256").update(head).digest("hex")}`,
          fingerprintBytes: head.length,
          offset: 6,
          lines: 2,
          updatedAt: new Date().toISOString(),
        },
      ],
    };
    await writeFile(join(dir, "s.json"), JSON.stringify(state), { mode: 0o600 });
    const r = await runEvsend(
      [
        "--json",
        "devo",
        "file",
        "--domain",
        "d",
        "--tag",
        "t.t",
        "--state",
        "s.json",
        "old.log.gz",
      ],
      { env, cwd: dir },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await received(), ["g3", "last, no newline"]);
    const result = ndjson(r.stdout)[0]!;
    assert.deepEqual((result.ranges as { delivered: number[][] }).delivered, [[3, 4]]);
  });

  it("a corrupt or foreign state file is an error naming it, never a silent restart", async () => {
    await writeFile(join(dir, "app.log"), "x\n");
    for (const [text, why] of [
      ["{ not json", /is not JSON/],
      ['{"hello": "world"}', /no "kind": "evsend-checkpoints" \(another program's\?\)/],
      [
        '{"kind": "evsend-checkpoints", "version": 9, "files": []}',
        /version 9, written by a newer evsend/,
      ],
      [
        '{"kind": "evsend-checkpoints", "version": 1, "files": [{"path": 1}]}',
        /files\[0\] is not a checkpoint/,
      ],
    ] as const) {
      await writeFile(join(dir, "s.json"), text);
      const r = await devo("--state", "s.json", "app.log");
      assert.equal(r.code, 5, r.stderr);
      assert.ok(
        r.stderr.includes(`${join(dir, "s.json")} is not a usable evsend state file`),
        r.stderr,
      );
      assert.match(r.stderr, why);
      assert.match(r.stderr, /never starts over silently/);
    }
    assert.deepEqual(await received(), []);
  });

  it("a second evsend on the same state: exit 2, naming it; a dead owner's lock is taken over", async () => {
    await writeFile(join(dir, "app.log"), "x\n");
    const { hostname } = await import("node:os");
    const lock = join(dir, "s.json.lock");
    await writeFile(lock, JSON.stringify({ pid: process.pid, host: hostname() }));
    let r = await devo("--state", "s.json", "app.log");
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`another evsend \\(pid ${process.pid}\\) is using the state file`),
    );
    assert.deepEqual(await received(), []);
    // A pid that cannot exist: its process is gone.
    await writeFile(lock, JSON.stringify({ pid: 2 ** 31 - 2, host: hostname() }));
    r = await devo("--state", "s.json", "app.log");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /took over the lock of .* which ended without releasing it/);
    await assert.rejects(stat(lock), { code: "ENOENT" });
  });

  it("a run stopped by a failing service says how to resume; the rerun sends the rest", async (t) => {
    const lines = Array.from({ length: 40 }, (_, i) => `row ${i} ${"y".repeat(100)}`);
    await writeFile(join(dir, "app.log"), lines.join("\n") + "\n");
    const failing = await withServer(t, (_req, res, index) =>
      res.writeHead(index < 2 ? 200 : 503).end(),
    );
    const args = ["--batch-size", "1k", "--concurrency", "1", "--state", "s.json", "app.log"];
    let r = await runEvsend(
      ["--retries", "0", "--json", "devo", "file", "--domain", "d", "--tag", "t.t", ...args],
      { env: { ...env, EVSEND_DEVO_ENDPOINT: failing.url }, cwd: dir },
    );
    assert.equal(r.code, 6, r.stderr);
    const summary = ndjson(r.stdout).at(-1)!;
    assert.equal(
      summary.resume,
      "to resume, run the same command again: s.json holds where each file stopped",
    );
    assert.equal(summary.state, "s.json");
    const delivered = ndjson(r.stdout)[0]!.deliveredOffset as number;
    assert.equal(delivered, Buffer.byteLength(lines.slice(0, 18).join("\n") + "\n"));
    r = await devo(...args);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await received(), lines.slice(18));
  });

  it("stdin with --state is a usage error", async () => {
    const r = await runEvsend(
      ["devo", "file", "--domain", "d", "--tag", "t.t", "--state", "s.json", "-"],
      { env, cwd: dir, stdin: "x\n" },
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--state cannot resume stdin/);
  });
});

describe("--state after kill -9 (end to end)", () => {
  const home = useTempHome();

  it("kill -9 mid-run, then the same command: every line delivered, duplicates at most the batches in flight", async (t) => {
    // Slow answers, so that the kill lands with batches in flight.
    const emulator = await spawnEmulator(home.env, ["--devo-token", TOKEN, "--latency", "40ms"]);
    after(() => emulator.stop());
    const env = { ...home.env, EVSEND_DEVO_TOKEN: TOKEN, EVSEND_DEVO_ENDPOINT: emulator.url };
    const lines = Array.from(
      { length: 2000 },
      (_, i) => `line ${String(i).padStart(5, "0")} ${"x".repeat(90)}`,
    );
    await writeFile(join(home.home, "big.log"), lines.join("\n") + "\n");
    // 1k batches of 100-byte lines: 10 lines a batch, 4 in flight.
    const args = ["devo", "file", "--domain", "d", "--tag", "t.t", "--batch-size", "1k"].concat([
      "--concurrency",
      "4",
      "--state",
      "s.json",
      "big.log",
    ]);
    let pid = 0;
    const first = runEvsend(args, { env, onSpawn: (p) => (pid = p) });
    for (;;) {
      const got = await httpCall(`${emulator.url}/_emulator/events?limit=1`, "GET");
      if ((JSON.parse(got.body) as { total: number }).total >= 300) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    process.kill(pid, "SIGKILL");
    const killed = await first;
    assert.equal(killed.signal, "SIGKILL");
    const before = ((await recordedEvents(emulator.url)) as string[]).length;
    assert.ok(before < lines.length, "killed before the end");

    const again = await runEvsend(args, { env });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /took over the lock/);
    const got = (await recordedEvents(emulator.url)) as string[];
    assert.deepEqual([...new Set(got)].sort(), lines, "no line lost");
    const duplicates = got.length - lines.length;
    // At most the batches in flight (4 of 10 lines) when it was killed.
    t.diagnostic(`${duplicates} lines sent twice (killed after ${before} of ${lines.length})`);
    assert.ok(duplicates <= 40, `${duplicates} lines sent twice`);
  });
});
