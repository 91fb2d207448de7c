import { readFileSync } from "node:fs";
import { hostname, homedir } from "node:os";
import { CommanderError, type Command } from "commander";
import { createContext, readGlobals, type Context, type Runtime } from "./context.js";
import { ExitCode, UsageError, exitCodeOf, type EvsendError } from "./errors.js";
import { createOutput } from "./output/output.js";
import { createProgram } from "./program.js";
import { Redactor } from "./transport/redact.js";

/** evsend's version, from package.json. */
export function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** Commander's own errors: help and version are not failures, everything else is a usage error. */
function fromCommander(error: CommanderError): EvsendError | undefined {
  if (["commander.helpDisplayed", "commander.version"].includes(error.code)) return undefined;
  if (error.code === "commander.help" || error.code === "commander.executeSubCommandAsync") {
    return new UsageError("a command is missing", {
      hint: "run `evsend --help` to see the commands",
    });
  }
  return new UsageError(error.message.replace(/^error:\s*/, ""), {
    hint: "run `evsend --help`, or `evsend <service> <verb> --help`, for usage",
  });
}

/** Global flags read straight from argv, for errors that happen before any command runs. */
function fallbackContext(runtime: Runtime): Context {
  const args = runtime.argv.slice(2);
  const has = (...flags: string[]): boolean => args.some((a) => flags.includes(a));
  return createContext(runtime, {
    json: has("--json"),
    quiet: has("-q", "--quiet"),
    verbose: has("-v", "--verbose"),
    dryRun: false,
    timeoutMs: 30_000,
    retries: 5,
    color: !has("--no-color"),
  });
}

/**
 * Runs evsend with the given runtime and returns the exit code. The only place that turns an
 * error into a message and an exit code.
 */
export async function run(runtime: Runtime): Promise<number> {
  let context: Context | undefined;
  const contextFor = (command: Command): Context => {
    context = createContext(runtime, readGlobals(command));
    return context;
  };
  const program = createProgram(runtime, contextFor);
  try {
    await program.parseAsync(runtime.argv);
    return runtime.exitCode;
  } catch (thrown) {
    const error = thrown instanceof CommanderError ? fromCommander(thrown) : thrown;
    if (error === undefined) return ExitCode.ok;
    const code = exitCodeOf(error);
    (context ?? fallbackContext(runtime)).output.error(error, code);
    return code;
  } finally {
    await context?.close();
  }
}

/** The process entry point: real streams, signals, and the exit code. */
export async function main(): Promise<void> {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    controller.abort();
    // Commands stop reading and flush what is in flight; if that hangs, give up.
    setTimeout(() => process.exit(ExitCode.interrupted), 10_000).unref();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const runtime: Runtime = {
    argv: process.argv,
    env: process.env,
    cwd: process.cwd(),
    homedir: process.env.HOME || homedir(),
    hostname: hostname(),
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
    version: readVersion(),
    exitCode: ExitCode.ok,
  };
  try {
    process.exitCode = await run(runtime);
  } catch (error) {
    // A failure in the error path itself: still one message, still an honest exit code.
    createOutput({
      ...runtime,
      json: false,
      quiet: false,
      verbose: true,
      color: false,
      redactor: new Redactor(),
    }).error(error, 1);
    process.exitCode = ExitCode.rejected;
  }
  if (controller.signal.aborted) process.exitCode = ExitCode.interrupted;
}
