import assert from "node:assert/strict";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { BIN, holding, startServer, type TestServer } from "../helpers/spawn.js";
import { useTempHome, withServer } from "../helpers/scoped.js";

const BASE = ["devo", "send", "--domain", "acme", "--tag", "my.app.test"];

/** A running evsend whose stdin stays open until the test closes it. */
interface Running {
  child: ChildProcess;
  stderr(): string;
  stdout(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** Children still running when the suite ends (a failed test) are killed, never left behind. */
const children = new Set<ChildProcess>();

function start(args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    env,
    cwd: env.HOME,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  child.stdin!.on("error", () => {});
  children.add(child);
  child.on("exit", () => children.delete(child));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) =>
      child.on("close", (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  return { child, exited, stderr: () => stderr, stdout: () => stdout };
}

/**
 * Waits until `ready` holds for evsend's stderr, up to 20 s. Node itself catches SIGINT from its
 * first milliseconds (to restore the terminal), so /proc's SigCgt cannot tell when evsend's own
 * handler is in place; a line evsend prints with -v once its run started can (the handlers are
 * installed before the run).
 */
async function started(run: Running, ready: RegExp): Promise<void> {
  for (let i = 0; i < 400 && !ready.test(run.stderr()); i++) await sleep(50);
  assert.match(run.stderr(), ready, "evsend never got that far");
}

/**
 * Sends SIGINT (twice, 100 ms apart, when `signals` is 2) and checks that evsend ended as
 * interrupted, within `withinMs` of the last signal, with `stderr` matching.
 */
async function interrupt(
  run: Running,
  expected: { withinMs: number; stderr: RegExp; signals?: number },
): Promise<{ code: number | null }> {
  run.child.kill("SIGINT");
  if (expected.signals === 2) {
    await sleep(100);
    run.child.kill("SIGINT");
  }
  const sent = performance.now();
  const result = await run.exited;
  assert.ok(
    result.code === 130 || (result.code === null && result.signal === "SIGINT"),
    `exit ${result.code} signal ${result.signal}: ${run.stderr()}`,
  );
  assert.match(run.stderr(), expected.stderr);
  assert.ok(result.at - sent < expected.withinMs, `${Math.round(result.at - sent)}ms`);
  return result;
}

describe("Ctrl-C ends evsend promptly (end to end)", () => {
  const home = useTempHome();
  let server: TestServer;
  before(async () => {
    server = await startServer((_req, res) => res.writeHead(204).end());
  });
  after(async () => {
    for (const child of children) child.kill("SIGKILL");
    await server.close();
  });

  it("waiting for a message on stdin: exit 130 at once, with a message", async () => {
    const run = start(["-v", ...BASE, "--endpoint", server.url], {
      ...home.env,
      EVSEND_DEVO_TOKEN: "t".repeat(32),
    });
    await started(run, /^reading the message from stdin/m);
    await sleep(300);
    const result = await interrupt(run, {
      withinMs: 1500,
      stderr: /^error: interrupted while reading the message$/m,
    });
    assert.equal(result.code, 130);
    assert.equal(server.requests.length, 0);
  });

  it("a {command} secret that sleeps: exit within 3 s, with a message", async () => {
    const marker = join(home.home, "command-started");
    await home.writeConfig(
      `profiles:\n  p:\n    devo:\n      token: { command: "touch '${marker}'; exec sleep 8" }\n`,
    );
    const run = start(["-p", "p", ...BASE, "--endpoint", server.url, "hi"], home.env);
    for (let i = 0; i < 200 && !existsSync(marker); i++) await sleep(50);
    // The command runs inside evsend's run, so its handlers are in place.
    assert.ok(existsSync(marker), "the command never ran");
    await interrupt(run, { withinMs: 3000, stderr: /interrupted/ });
  });

  it("-c on a FIFO with no writer: exit within 3 s, with a message", async () => {
    const fifo = join(home.home, "config.yaml");
    execFileSync("mkfifo", [fifo]);
    const run = start(["-c", fifo, ...BASE, "--endpoint", server.url, "hi"], home.env);
    // It opens the config inside its run (handlers in place), and waits there for a writer.
    await holding(() => run.child.pid ?? 0, fifo);
    await interrupt(run, { withinMs: 3000, stderr: /interrupted/ });
  });

  it("a thread-pool thread blocked for good does not keep evsend alive after it reported", async () => {
    // A preload blocks one libuv thread in open() of a FIFO: process.exit() would hang on it.
    const fifo = join(home.home, "hang.fifo");
    execFileSync("mkfifo", [fifo]);
    const preload = join(home.home, "hang.mjs");
    writeFileSync(
      preload,
      `import { open } from "node:fs";\nopen(${JSON.stringify(fifo)}, "r", () => {});\n`,
    );
    const run = start(["-v", ...BASE, "--endpoint", server.url], {
      ...home.env,
      EVSEND_DEVO_TOKEN: "t".repeat(32),
      NODE_OPTIONS: `--import=${preload}`,
    });
    await started(run, /^reading the message from stdin/m);
    await sleep(300);
    await interrupt(run, {
      withinMs: 1500,
      stderr: /^error: interrupted while reading the message$/m,
    });
  });

  for (const signals of [1, 2]) {
    it(`devo file with a request in flight that never ends, ${signals} SIGINT: exit promptly`, async (t) => {
      const silent = await withServer(t, () => {}); // accepts, never answers
      const json = signals === 1 ? ["--json"] : [];
      const run = start(
        [...json, "devo", "file", "-", ...BASE.slice(2), "--endpoint", silent.url],
        { ...home.env, EVSEND_DEVO_TOKEN: "t".repeat(32) },
      );
      run.child.stdin!.end("line 1\nline 2\n");
      for (let i = 0; i < 200 && silent.requests.length === 0; i++) await sleep(50);
      assert.equal(silent.requests.length, 1, run.stderr());
      const withinMs = signals === 2 ? 1000 : 3000;
      await interrupt(run, { withinMs, signals, stderr: /interrupted/ });
      if (json.length > 0) {
        const last = JSON.parse(run.stdout().trim().split("\n").at(-1)!) as Record<string, unknown>;
        assert.deepEqual([last.type, last.exitCode], ["summary", 130]);
      }
    });
  }

  for (const json of [false, true]) {
    it(`forced stop 2 s after Ctrl-C reports what was delivered before it${json ? " (--json)" : ""}`, async (t) => {
      // The first event is stored; the second request never gets an answer.
      const stuck = await withServer(t, (_req, res, index) => {
        if (index === 0)
          res
            .writeHead(200, { "content-type": "application/json" })
            .end('{"code":20000,"message":"success"}');
      });
      const run = start(
        [
          ...(json ? ["--json"] : []),
          "eventhos",
          "send",
          "--concurrency",
          "1",
          "--ndjson",
          "-",
          "--url",
          stuck.url,
          "--event",
          "ev-a",
        ],
        { ...home.env, EVSEND_EVENTHOS_ACCESS_KEY: "stuck-K3y" },
      );
      run.child.stdin!.end('{"n": 1}\n{"n": 2}\n{"n": 3}\n');
      for (let i = 0; i < 200 && stuck.requests.length < 2; i++) await sleep(50);
      assert.equal(stuck.requests.length, 2, run.stderr());
      await interrupt(run, { withinMs: 3500, stderr: /interrupted: still busy 2s/ });
      if (json) {
        const last = JSON.parse(run.stdout().trim().split("\n").at(-1)!) as Record<string, unknown>;
        // The third event may have been read ahead while the second was in flight.
        assert.deepEqual(
          [last.type, last.exitCode, last.delivered, last.failed],
          ["summary", 130, 1, 0],
        );
        assert.ok(last.notSent === 1 || last.notSent === 2, String(last.notSent));
      } else {
        assert.match(run.stdout(), /^stdin: \d events, partial; delivered lines 1;/m);
        // Read, delivered and not sent, and how to resume.
        assert.match(
          run.stdout(),
          /^delivered 1 of [23] events read before the run stopped, from 1 file in 2 requests/m,
        );
        assert.match(
          run.stdout(),
          /^not sent: (1 event|2 events) read and the rest not read; to resume, send again: stdin from line 2 on$/m,
        );
      }
    });
  }
});
