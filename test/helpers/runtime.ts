import type { Command } from "commander";
import type { GlobalOptions, Runtime } from "../../src/context.js";
import { createProgram } from "../../src/program.js";

/** A runtime that runs nothing: for building the program's command tree in a test. */
export function bareRuntime(args: string[] = []): Runtime {
  return {
    argv: args.length ? ["node", "evsend", ...args] : [],
    env: {},
    cwd: "/",
    homedir: "/nonexistent",
    hostname: "h",
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: new AbortController().signal,
    version: "0.0.0-test",
    exitCode: 0,
  };
}

/** Global options as with none given (a 1 s timeout, no retries), for a context in a test. */
export const TEST_GLOBALS: Readonly<GlobalOptions> = Object.freeze({
  json: false,
  quiet: false,
  verbose: false,
  dryRun: false,
  timeoutMs: 1000,
  retries: 0,
  color: false,
});

/**
 * The program's command tree for a command line (`args`), built without running anything. The
 * default, `help`, names no service, so every command of every service is built.
 */
export function programTree(args: string[] = ["help"]): Command {
  return createProgram(bareRuntime(args), () => {
    throw new Error("no command runs in this test");
  });
}
