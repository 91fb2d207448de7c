import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { KILL_GRACE_MS, runSecretCommand } from "../../src/config/secret-command.js";
import { InterruptedError } from "../../src/errors.js";

const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

/** Running, not a zombie (an orphan's zombie waits for an init that may never reap it). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/** Waits until `file` holds a pid (the command wrote it), then returns it. */
async function pidFrom(file: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    if (existsSync(file)) {
      const pid = Number(readFileSync(file, "utf8").trim());
      if (pid > 0) return pid;
    }
    await sleep(10);
  }
  throw new Error(`no pid in ${file}`);
}

async function gone(pid: number, withinMs: number): Promise<boolean> {
  const deadline = performance.now() + withinMs;
  while (performance.now() < deadline) {
    if (!alive(pid)) return true;
    await sleep(20);
  }
  return !alive(pid);
}

describe("runSecretCommand: process group, Ctrl-C, timeout", () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "evsend-cmd-"));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it("Ctrl-C rejects at once with InterruptedError and ends the command's children", async () => {
    const pidFile = join(root, "abort.pid");
    const controller = new AbortController();
    const running = runSecretCommand(`sleep 30 & echo $! > ${pidFile}; wait`, {
      env,
      signal: controller.signal,
    });
    const child = await pidFrom(pidFile);
    const started = performance.now();
    controller.abort();
    await assert.rejects(running, (e: unknown) => e instanceof InterruptedError);
    // At once = not after the 30 s sleep; the bound is far from both that and the real few ms.
    assert.ok(performance.now() - started < 10_000, "rejected at once");
    assert.ok(await gone(child, 1000), "the background sleep survived");
  });

  it("a child that ignores SIGTERM is killed after the grace period", async () => {
    const pidFile = join(root, "term.pid");
    const controller = new AbortController();
    const running = runSecretCommand(`trap '' TERM; sleep 30 & echo $! > ${pidFile}; wait`, {
      env,
      signal: controller.signal,
    });
    const child = await pidFrom(pidFile);
    controller.abort();
    await assert.rejects(running, (e: unknown) => e instanceof InterruptedError);
    assert.ok(await gone(child, KILL_GRACE_MS + 1000), "SIGKILL did not follow");
  });

  it("the timeout ends the whole group too", async () => {
    const pidFile = join(root, "timeout.pid");
    await assert.rejects(
      runSecretCommand(`sleep 30 & echo $! > ${pidFile}; wait`, { env, timeoutMs: 300 }),
      /timed out after 300ms/,
    );
    assert.ok(await gone(await pidFrom(pidFile), 1000), "the background sleep survived");
  });

  it("an already aborted signal never starts the command", async () => {
    const marker = join(root, "never");
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      runSecretCommand(`touch ${marker}; echo x`, { env, signal: controller.signal }),
      (e: unknown) => e instanceof InterruptedError,
    );
    await sleep(100);
    assert.equal(existsSync(marker), false);
  });

  it("a quick command still returns its output", async () =>
    assert.equal(
      await runSecretCommand("printf 'tok\\n'", { env, signal: new AbortController().signal }),
      "tok",
    ));
});
