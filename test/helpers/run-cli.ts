import { fileURLToPath } from "node:url";
import { PassThrough, Readable } from "node:stream";
import { run } from "../../src/cli.js";
import type { Runtime } from "../../src/context.js";
import type { Service } from "../../src/services/types.js";

/** What an in-process run printed and returned. */
export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(isTTY: boolean): PassThrough & { isTTY: boolean; text(): string } {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean; text(): string };
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  stream.isTTY = isTTY;
  stream.text = () => Buffer.concat(chunks).toString("utf8");
  return stream;
}

/**
 * Runs the program in-process with captured stdout/stderr (never a real TTY unless asked). Its
 * environment is only HOME, XDG_CONFIG_HOME and `options.env`: nothing of the runner's (no
 * EVSEND_*, proxy or TLS variable, no real config) reaches the run.
 */
export async function runInProcess(
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv;
    stdin?: string;
    stdinIsTTY?: boolean;
    tty?: boolean;
    home?: string;
    /** The APIs the program speaks (default: evsend's own). */
    services?: readonly Service[];
    /** Stands for SIGINT/SIGTERM (`evsend emulate` runs until it aborts). */
    signal?: AbortSignal;
    /** Called with each chunk written to stdout, while the run goes on. */
    onStdout?: (text: string) => void;
    /** Stands for `main`'s heap limit of a record run (none by default, as in `run`). */
    limitHeap?: Runtime["limitHeap"];
  } = {},
): Promise<InProcessResult> {
  const stdout = sink(!!options.tty);
  const stderr = sink(!!options.tty);
  if (options.onStdout) stdout.on("data", (c: Buffer) => options.onStdout?.(c.toString("utf8")));
  const stdin = Readable.from(
    options.stdin === undefined ? [] : [Buffer.from(options.stdin)],
  ) as Readable & {
    isTTY?: boolean;
  };
  stdin.isTTY = options.stdinIsTTY ?? options.stdin === undefined;
  const home = options.home ?? "/nonexistent-evsend-home";
  const runtime: Runtime = {
    argv: ["node", "evsend", ...args],
    env: { HOME: home, XDG_CONFIG_HOME: `${home}/.config`, ...options.env },
    cwd: home,
    homedir: home,
    hostname: "test-host",
    stdin,
    stdout,
    stderr,
    signal: options.signal ?? new AbortController().signal,
    version: "0.0.0-test",
    packageDir: fileURLToPath(new URL("../../", import.meta.url)),
    exitCode: 0,
    ...(options.limitHeap ? { limitHeap: options.limitHeap } : {}),
  };
  const code = await run(runtime, options.services);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
