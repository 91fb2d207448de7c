import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  BIN,
  holding,
  runEvsend,
  startServer,
  type CliResult,
  type TestServer,
} from "../helpers/spawn.js";
import { useTempHome } from "../helpers/scoped.js";

const TOKEN = "P1peT0ken00000000000000000000000";

/** Starts `seq 1 <n> > fifo` (it blocks until a reader opens the FIFO); resolves when it ends. */
function writeSeq(fifo: string, n: number): Promise<number | null> {
  const writer = spawn("sh", ["-c", 'seq 1 "$1" > "$2"', "sh", String(n), fifo], {
    stdio: "ignore",
  });
  return new Promise((resolve) => writer.on("close", (code) => resolve(code)));
}

// A hang (the bug these tests are about) fails a test instead of blocking the run.
describe(
  "evsend devo file: pipes, devices, links and --exclude (end to end)",
  { timeout: 60_000 },
  () => {
    const home = useTempHome();
    let server: TestServer;
    let env: NodeJS.ProcessEnv;
    let n = 0;
    const args = (...rest: string[]): string[] => ["devo", "file", ...rest];
    const fifo = (): string => {
      const path = join(home.home, `fifo${++n}`);
      execFileSync("mkfifo", [path]);
      return path;
    };
    /** Every line the server received, in order. */
    const received = (): string[] =>
      server.requests.flatMap((r) => r.body.toString("utf8").split("\n"));

    before(async () => {
      server = await startServer((_req, res) => res.writeHead(200).end());
      env = {
        ...home.env,
        EVSEND_DEVO_TOKEN: TOKEN,
        EVSEND_DEVO_ENDPOINT: server.url,
        EVSEND_DEVO_DOMAIN: "acme",
        EVSEND_DEVO_TAG: "my.app.test",
      };
    });
    beforeEach(() => {
      server.requests.length = 0;
    });
    after(async () => {
      await server.close();
    });

    it("a FIFO whose writer started first: every line, the writer not killed", async () => {
      const path = fifo();
      const writing = writeSeq(path, 300_000);
      const r = await runEvsend(args(path), { env });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await writing, 0, "the writer died (SIGPIPE)");
      assert.match(r.stdout, /^delivered 300000 of 300000 lines from 1 file in \d+ requests? /m);
      const lines = received();
      assert.equal(lines.length, 300_000);
      assert.equal(lines.at(-1), "300000");
    });

    it("a FIFO whose writer comes after evsend opened it", async () => {
      const path = fifo();
      let pid = 0;
      const run = runEvsend(args(path), { env, onSpawn: (p) => (pid = p) });
      await holding(() => pid, path);
      assert.equal(await writeSeq(path, 1000), 0);
      const r = await run;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(received().length, 1000);
    });

    it("process substitution <(…) and a character device", async () => {
      const r = await new Promise<CliResult>((resolve, reject) => {
        const started = performance.now();
        const script = `exec "$0" "$1" devo file <(seq 1 10) /dev/null`;
        const child = spawn("bash", ["-c", script, process.execPath, BIN], { env, cwd: home.home });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", reject);
        child.on("close", (code, signal) =>
          resolve({ code, signal, stdout, stderr, durationMs: performance.now() - started }),
        );
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^\/dev\/fd\/\d+: 10 lines, delivered$/m);
      assert.match(r.stdout, /^\/dev\/null: 0 lines, empty$/m);
      assert.deepEqual(received(), ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    });

    it("Ctrl-C while a FIFO has no writer ends the run at once, exit 130", async () => {
      const path = fifo();
      let pid = 0;
      const run = runEvsend(["--json", ...args(path)], { env, onSpawn: (p) => (pid = p) });
      await holding(() => pid, path);
      const sent = performance.now();
      process.kill(pid, "SIGINT");
      const r = await run;
      assert.equal(r.code, 130, r.stderr);
      assert.ok(performance.now() - sent < 1500, "took more than 1.5 s after SIGINT");
      assert.match(r.stdout, /"exitCode":130/);
      assert.equal(server.requests.length, 0);
    });

    it("a link loop under a glob ends; a linked folder does not send a file twice", async () => {
      await mkdir(join(home.home, "g", "real"), { recursive: true });
      await writeFile(join(home.home, "g", "real", "a.log"), "a\n");
      await symlink("..", join(home.home, "g", "real", "up"));
      await symlink("real", join(home.home, "g", "link"));
      const r = await runEvsend(["-v", ...args("g/**/*.log", "g/link/a.log")], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(received(), ["a"]);
      assert.match(r.stdout, /^delivered 1 of 1 lines from 1 file in 1 request /m);
      assert.match(r.stderr, /^g\/link\/a\.log is the same file as g\/real\/a\.log: read once$/m);
    });

    it("--exclude '*.debug.log' (the help's example) leaves out names at any depth", async () => {
      await mkdir(join(home.home, "logs", "sub"), { recursive: true });
      for (const name of ["app.log", "app.debug.log", "sub/x.debug.log", "sub/y.log"])
        await writeFile(join(home.home, "logs", name), `${name}\n`);
      const r = await runEvsend(
        args("logs/**/*.log", "--exclude", "*.debug.log", "--exclude", "*.tmp"),
        { env },
      );
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(received(), ["app.log", "sub/y.log"]);
      assert.equal(r.stderr, "warning: --exclude '*.tmp' matched no input\n");
      const all = await runEvsend(args("logs/*.debug.log", "--exclude", "*.debug.log"), { env });
      assert.equal(all.code, 5);
      assert.match(
        all.stderr,
        /logs\/\*\.debug\.log: the glob matched 1 file, left out by --exclude$/m,
      );
    });
  },
);
