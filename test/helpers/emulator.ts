import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { request } from "node:http";
import { createInterface } from "node:readline";
import { BIN } from "./spawn.js";

/** An `evsend emulate` process started by a test. */
export interface EmulatorProcess {
  /** `http://127.0.0.1:<port>`, from its `listening on` line. */
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** Every stdout line so far (the listening line included). */
  stdout: string[];
  /** Everything it wrote on stderr so far. */
  stderr(): string;
  /** Resolves once a stdout line (its index in `stdout` too) satisfies `test`; rejects after `ms`. */
  waitForLine(test: (line: string, index: number) => boolean, ms?: number): Promise<string>;
  /** SIGINT, then its exit code. */
  stop(): Promise<number | null>;
}

/**
 * Spawns `evsend [globals] emulate --port 0 [args]` with `env` (use a TempHome's) and waits until
 * it listens. `globals` go before `emulate` (e.g. `["--json"]`).
 */
export async function spawnEmulator(
  env: NodeJS.ProcessEnv,
  args: string[] = [],
  globals: string[] = [],
): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [BIN, ...globals, "emulate", "--port", "0", ...args], {
    env,
    cwd: env.HOME,
  });
  const stdout: string[] = [];
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout }).on("line", (line) => {
    stdout.push(line);
    for (const wake of waiters) wake();
  });
  const waitForLine = (
    test: (line: string, index: number) => boolean,
    ms = 10_000,
  ): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = stdout.find(test);
        if (found === undefined) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no such line from the emulator in ${ms}ms:\n${stdout.join("\n")}`));
      }, ms);
      waiters.add(check);
      check();
    });
  const exited = once(child, "exit") as Promise<[number | null]>;
  let started = false;
  let listening: string;
  try {
    // `listening on <url>`, or with --json `{"type":"result","event":"listening","url":"<url>"}`.
    listening = await Promise.race([
      waitForLine((line) => /listening.*http:\/\/127\.0\.0\.1:\d+/.test(line)),
      exited.then(([code]) => {
        if (!started) throw new Error(`the emulator exited (${code}) before listening: ${stderr}`);
        return "";
      }),
    ]);
  } catch (error) {
    child.kill("SIGKILL"); // never leave a server behind to hang the test run
    throw error;
  }
  started = true;
  return {
    url: /(http:\/\/127\.0\.0\.1:\d+)/.exec(listening)![1]!,
    child,
    stdout,
    stderr: () => stderr,
    waitForLine,
    async stop() {
      if (child.exitCode === null) child.kill("SIGINT");
      // A test must never hang on an emulator that ignores SIGINT.
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      const [code] = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** A raw HTTP call (not through evsend), for protocol-level checks. */
export function httpCall(
  url: string,
  method: string,
  body?: Buffer | string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Every event the emulator at `url` recorded (its `event` field), page after page. */
export async function recordedEvents(url: string): Promise<unknown[]> {
  const events: unknown[] = [];
  let after = 0;
  for (;;) {
    const page = JSON.parse(
      (await httpCall(`${url}/_emulator/events?after=${after}&limit=1000`, "GET")).body,
    ) as { next: number | null; events: Array<{ event: unknown }> };
    events.push(...page.events.map((e) => e.event));
    if (page.next === null) return events;
    after = page.next;
  }
}
