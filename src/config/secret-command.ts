import { InterruptedError } from "../errors.js";
import { formatDuration } from "../units.js";

/** How long a `{ command }` secret may run. */
export const SECRET_COMMAND_TIMEOUT_MS = 10_000;

/**
 * How long a stopped command's process group has to exit on SIGTERM before SIGKILL: short, so it
 * ends before src/cli.ts stops the process after an interrupt (200 ms), and nothing outlives evsend.
 */
export const KILL_GRACE_MS = 150;

/** More output than any credential; stops a runaway command from filling memory. */
const MAX_COMMAND_OUTPUT = 1024 * 1024;

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Ends the whole process group (the shell and whatever it started, such as a `sleep &`): SIGTERM
 * now, SIGKILL to whatever is left after the grace period. The check timer keeps the process
 * alive for at most the grace period, so nothing outlives evsend.
 */
export function killGroup(pid: number, graceMs = KILL_GRACE_MS): void {
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    return; // already gone
  }
  const deadline = Date.now() + graceMs;
  const check = setInterval(() => {
    if (!groupAlive(pid)) return clearInterval(check);
    if (Date.now() < deadline) return;
    clearInterval(check);
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // exited meanwhile
    }
  }, 25);
}

/** Options for running a `{ command }` secret. */
export interface SecretCommandOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Aborted on Ctrl-C/SIGTERM: the command's group is killed and InterruptedError thrown at once. */
  signal?: AbortSignal;
}

/**
 * Runs `sh -c command` in its own process group and returns its stdout without one trailing
 * newline. Rejects with a reason that never includes the command's output, which may be the
 * secret. stdin is closed and stderr discarded. The group is a new session (Node's `detached`),
 * so Ctrl-C, a timeout or too much output ends the command and every process it started; the
 * price is that the command has no controlling terminal (README: Configuration).
 */
export async function runSecretCommand(
  command: string,
  options: SecretCommandOptions,
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? SECRET_COMMAND_TIMEOUT_MS;
  const { signal } = options;
  if (signal?.aborted) throw new InterruptedError();
  // Loaded here: node:child_process costs every run's start-up, and few profiles use a command.
  const { spawn } = await import("node:child_process");
  if (signal?.aborted) throw new InterruptedError();
  return new Promise((resolvePromise, reject) => {
    const child = spawn("sh", ["-c", command], {
      env: options.env,
      stdio: ["ignore", "pipe", "ignore"],
      detached: true,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    // Settles at once instead of waiting for the pipe to close: a grandchild may hold it open.
    const timer = setTimeout(
      () => fail(new Error(`timed out after ${formatDuration(timeoutMs)}`)),
      timeoutMs,
    );
    const onAbort = (): void =>
      fail(new InterruptedError("interrupted while a secret command was running"));
    signal?.addEventListener("abort", onAbort, { once: true });
    function settle(): boolean {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      return true;
    }
    function fail(error: Error): void {
      if (!settle()) return;
      child.stdout.destroy();
      if (child.pid !== undefined) killGroup(child.pid);
      reject(error);
    }
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_COMMAND_OUTPUT) fail(new Error("printed more than 1 MiB"));
      else chunks.push(chunk);
    });
    child.on("error", (error: NodeJS.ErrnoException) =>
      fail(new Error(`could not start: ${error.code ?? error.message}`)),
    );
    child.on("close", (code, exitSignal) => {
      if (!settle()) return;
      if (exitSignal) return reject(new Error(`was killed by ${exitSignal}`));
      if (code !== 0) return reject(new Error(`exited with code ${code}`));
      const output = Buffer.concat(chunks)
        .toString("utf8")
        .replace(/\r?\n$/, "");
      if (output.trim() === "") return reject(new Error("printed nothing"));
      resolvePromise(output);
    });
  });
}
