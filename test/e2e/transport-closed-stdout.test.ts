import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { openSync, closeSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { BIN } from "../helpers/spawn.js";
import { useTempHome, withServer } from "../helpers/scoped.js";

const TOKEN = "Cl0sedStd0utT0ken000000000000AB";
const DEVO = ["--domain", "acme", "--tag", "my.app.test", "--host", "h1"];

/** What a run with a closed or failing stdout did. */
interface Closed {
  code: number | null;
  stderr: string;
}

/**
 * Runs evsend with stdout either a pipe the test closes (like `| head -0`, or like `| head -1`
 * after `keepLines` lines), or `/dev/full`.
 */
async function runClosed(
  args: string[],
  env: NodeJS.ProcessEnv,
  stdout: { keepLines: number } | "dev-full",
): Promise<Closed> {
  const full = stdout === "dev-full" ? openSync("/dev/full", "w") : undefined;
  const child = spawn(process.execPath, [BIN, ...args], {
    env,
    cwd: env.HOME,
    stdio: ["ignore", full ?? "pipe", "pipe"],
  });
  if (full !== undefined) closeSync(full);
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  if (stdout !== "dev-full") {
    const pipe = child.stdout!;
    if (stdout.keepLines === 0) pipe.destroy();
    else {
      let seen = 0;
      pipe.on("data", (d: Buffer) => {
        seen += d.toString("utf8").split("\n").length - 1;
        if (seen >= stdout.keepLines) pipe.destroy();
      });
    }
  }
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stderr };
}

function assertQuiet(stderr: string): void {
  assert.doesNotMatch(stderr, /EPIPE|ENOSPC|Unhandled|node:events|at .*\(/, stderr);
  assert.ok(!stderr.includes(TOKEN), stderr);
}

describe("a closed or full stdout (end to end)", () => {
  const home = useTempHome();
  let env: NodeJS.ProcessEnv;
  before(async () => {
    env = { ...home.env, EVSEND_DEVO_TOKEN: TOKEN };
  });

  it("devo file … | head -0 delivers everything and exits 0 quietly", async (t) => {
    const server = await withServer(t, (_r, res) => res.writeHead(200).end());
    const file = join(home.home, "big.log");
    await writeFile(file, Array.from({ length: 3000 }, (_, i) => `line ${i}`).join("\n") + "\n");
    for (const globals of [[], ["--json"]]) {
      server.requests.length = 0;
      const args = [...globals, "devo", "file", file, "--endpoint", server.url, ...DEVO];
      const r = await runClosed(args, env, { keepLines: 0 });
      assertQuiet(r.stderr);
      assert.equal(r.code, 0, r.stderr);
      const lines = server.requests.flatMap((q) => q.body.toString().split("\n").filter(Boolean));
      assert.equal(lines.length, 3000);
    }
  });

  it("devo send >/dev/full: the event is sent, exit 0, no stack trace", async (t) => {
    const server = await withServer(t, (_r, res) => res.writeHead(204).end());
    const args = ["devo", "send", "--endpoint", server.url, ...DEVO, "hello"];
    const r = await runClosed(args, env, "dev-full");
    assertQuiet(r.stderr);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.requests.length, 1);
  });

  it("a failing request keeps its exit code when stdout is /dev/full (--json)", async (t) => {
    const server = await withServer(t, (_r, res) => res.writeHead(403).end("no"));
    const args = ["--json", "devo", "send", "--endpoint", server.url, ...DEVO, "hello"];
    const r = await runClosed(args, env, "dev-full");
    assertQuiet(r.stderr);
    assert.equal(r.code, 4, r.stderr);
  });

  for (const args of [["devo", "send", "--help"], ["--help"]]) {
    // Commander writes help before any output object exists: src/cli.ts guards the streams first.
    it(`evsend ${args.join(" ")} | head -1 and >/dev/full exit 0`, async () => {
      const piped = await runClosed(args, env, { keepLines: 1 });
      assertQuiet(piped.stderr);
      assert.equal(piped.code, 0, piped.stderr);
      const full = await runClosed(args, env, "dev-full");
      assertQuiet(full.stderr);
      assert.equal(full.code, 0, full.stderr);
    });
  }

  it("emulate --json | head -1: the emulator keeps serving", async () => {
    const child = spawn(process.execPath, [BIN, "--json", "emulate", "--port", "0"], {
      env: home.env,
      cwd: home.home,
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const [first] = (await once(child.stdout, "data")) as [Buffer];
    child.stdout.destroy(); // head -1 read its line and went away
    const { url } = JSON.parse(first.toString("utf8").split("\n")[0]!) as { url: string };
    const call = (path: string, method = "GET"): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const req = request(`${url}${path}`, { method }, (res) => {
          let body = "";
          res.setEncoding("utf8").on("data", (d: string) => (body += d));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("error", reject);
        req.end();
      });
    try {
      for (let i = 0; i < 5; i++) {
        const sent = await call(`/event/d/token!t/h/my.app.t?event-${i}`);
        assert.equal(sent.status, 204);
      }
      const listed = await call("/_emulator/events");
      assert.equal(listed.status, 200);
      for (let i = 0; i < 5; i++) assert.match(listed.body, new RegExp(`event-${i}`));
      assert.equal(child.exitCode, null, stderr);
    } finally {
      child.kill("SIGINT");
    }
    const [code] = (await once(child, "exit")) as [number | null];
    assertQuiet(stderr);
    assert.equal(code, 130, stderr);
  });
});
