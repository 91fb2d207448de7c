import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type * as Os from "node:os";
import type * as V8 from "node:v8";
import { fileURLToPath } from "node:url";
import { CommanderError, type Command } from "commander";
import { createContext, readGlobals, type Context, type Runtime } from "./context.js";
import { ExitCode, InterruptedError, UsageError, exitCodeOf, type EvsendError } from "./errors.js";
import { createOutput } from "./output/output.js";
import { processStdio } from "./output/stdio.js";
import { guardStream } from "./output/streams.js";
import { createProgram, programServices } from "./program.js";
import type { Service } from "./services/types.js";
import { Redactor } from "./transport/redact.js";

/** node:os, loaded when first needed: most runs never are (HOME is set, no hostname is read). */
const os = (): typeof Os => createRequire(import.meta.url)("node:os") as typeof Os;

/** package.json's version, written into the bundle by the build (esbuild.config.js). */
declare const __EVSEND_VERSION__: string | undefined;

/** evsend's version: the bundle's own, else (run from src/) package.json's. */
export function readVersion(): string {
  if (typeof __EVSEND_VERSION__ === "string") return __EVSEND_VERSION__;
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/**
 * Commander's own exits: help and version are not failures. Parse failures never get here as
 * CommanderErrors (EvsendCommand.error throws UsageErrors); anything else is a usage error.
 */
function fromCommander(error: CommanderError): EvsendError | undefined {
  const success = ["commander.helpDisplayed", "commander.help", "commander.version"];
  if (success.includes(error.code)) return undefined;
  return new UsageError(error.message.replace(/^error:\s*/, ""), {
    hint: "run `evsend --help` for usage",
  });
}

/** Global flags read straight from argv, for errors that happen before any command runs. */
function fallbackContext(runtime: Runtime, services?: readonly Service[]): Context {
  const args = runtime.argv.slice(2);
  const has = (...flags: string[]): boolean => args.some((a) => flags.includes(a));
  return createContext(
    runtime,
    {
      json: has("--json"),
      quiet: has("-q", "--quiet"),
      verbose: has("-v", "--verbose"),
      dryRun: false,
      timeoutMs: 30_000,
      retries: 5,
      color: !has("--no-color"),
    },
    programServices(services),
  );
}

/**
 * Runs evsend with the given runtime and returns the exit code. The only place that turns an
 * error into a message and an exit code. `services`: the APIs it speaks (a test's); default all.
 */
export async function run(runtime: Runtime, services?: readonly Service[]): Promise<number> {
  // Before anything writes: a closed stdout (EPIPE) or a full disk ends output, not the process.
  guardStream(runtime.stdout);
  guardStream(runtime.stderr);
  let context: Context | undefined;
  const contextFor = (command: Command, known: readonly Service[]): Context => {
    context = createContext(runtime, readGlobals(command), known);
    return context;
  };
  const program = createProgram(runtime, contextFor, services);
  try {
    await program.parseAsync(runtime.argv);
    return runtime.exitCode;
  } catch (thrown) {
    const error = thrown instanceof CommanderError ? fromCommander(thrown) : thrown;
    if (error === undefined) return ExitCode.ok;
    const code = exitCodeOf(error);
    (context ?? fallbackContext(runtime, services)).output.error(error, code);
    return code;
  } finally {
    await context?.close();
  }
}

/**
 * How long a run may take to stop after the first SIGINT/SIGTERM: commands stop reading and
 * wait for the requests in flight, which on a working connection answer well within this. After
 * it evsend stops anyway, saying so (those requests' outcome is then unknown). Short enough that
 * Ctrl-C feels prompt; a second Ctrl-C stops at once.
 */
export const INTERRUPT_GRACE_MS = 2000;

/**
 * Ends the process now, as killed by SIGINT (shell status 130). `process.exit` cannot be used
 * here: it waits for libuv's thread pool, and hangs while a thread is blocked (an `open()` of a
 * FIFO with no writer). With our listeners removed the signal's default action applies at once.
 */
function forceExit(): void {
  process.removeAllListeners("SIGINT");
  process.removeAllListeners("SIGTERM");
  process.kill(process.pid, "SIGINT");
}

/**
 * `Runtime.limitHeap` in evsend's own process: node:v8 is loaded only by a run that needs it.
 * Started with a Node option that sizes the heap itself, the run leaves V8 as it is.
 */
async function limitHeap(): Promise<() => void> {
  const { limitHeap: limit, sizedByUser } = await import("./bulk/heap-limit.js");
  if (sizedByUser(process.execArgv, process.env.NODE_OPTIONS)) return () => {};
  const v8 = createRequire(import.meta.url)("node:v8") as typeof V8;
  const { restore } = limit(v8);
  return restore;
}

/** The process entry point: real streams, signals, and the exit code. */
export async function main(): Promise<void> {
  // Made when a command first asks for the signal, or at the first SIGINT/SIGTERM: --help and
  // --version never need it (creating one loads Node's AbortController on every run).
  let controller: AbortController | undefined;
  const control = (): AbortController => (controller ??= new AbortController());
  const runtime: Runtime = {
    argv: process.argv,
    env: process.env,
    cwd: process.cwd(),
    homedir: process.env.HOME || os().homedir(),
    // Read when a command needs it (Devo's default host): node:os is loaded then, not by every run.
    get hostname() {
      return os().hostname();
    },
    get stdin() {
      return process.stdin;
    },
    stdout: processStdio(1),
    stderr: processStdio(2),
    get signal() {
      return control().signal;
    },
    version: readVersion(),
    get packageDir() {
      return fileURLToPath(new URL("..", import.meta.url));
    },
    exitCode: ExitCode.ok,
    limitHeap,
  };
  let finished = false;
  let grace: NodeJS.Timeout | undefined;
  /**
   * Stops now, telling the user (and a --json reader) why: the run will not report itself, so a
   * command that delivered something reports that first (its summary then carries the error).
   */
  const interrupt = (why: string): void => {
    const error = new InterruptedError(`interrupted: ${why}`, {
      hint: "requests still in flight may or may not have arrived",
    });
    const reportNow = runtime.reportNow;
    if (reportNow) {
      try {
        reportNow(error);
        return forceExit();
      } catch {
        // Reporting failed: say at least why evsend stopped.
      }
    }
    fallbackContext(runtime).output.error(error, ExitCode.interrupted);
    forceExit();
  };
  const onSignal = (): void => {
    if (finished) return forceExit();
    if (controller?.signal.aborted) return interrupt("stopped at the second signal");
    // Commands stop reading and flush what is in flight, then report; give them a moment.
    control().abort();
    grace = setTimeout(
      () => interrupt(`still busy ${INTERRUPT_GRACE_MS / 1000}s after the signal, stopped`),
      INTERRUPT_GRACE_MS,
    );
    grace.unref();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
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
      redactor: new Redactor(programServices().flatMap((s) => s.secretForms ?? [])),
    }).error(error, 1);
    process.exitCode = ExitCode.rejected;
  }
  finished = true;
  clearTimeout(grace);
  if (controller?.signal.aborted) {
    process.exitCode = ExitCode.interrupted;
    // The run has reported; something may still hold the event loop (a blocked thread-pool
    // read, a child process). Leave a moment for output to drain, then end regardless.
    setTimeout(forceExit, 200).unref();
  }
}
