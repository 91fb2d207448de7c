import { Command, Option } from "commander";
import { argParser } from "./arg-parser.js";
import type { Context, Runtime } from "./context.js";
import { parseDuration, parseInteger } from "./parse.js";
import { services } from "./services/index.js";
import { registerEmulate } from "./commands/emulate.js";

/** Builds a context for the command whose action is running. */
export type ContextFactory = (command: Command) => Context;

/** The root command: global options, then every service and tool command. */
export function createProgram(runtime: Runtime, contextFor: ContextFactory): Command {
  const program = new Command("evsend")
    .description(
      "Send events to Devo, Databoom, Eventhos and Guance from terminals, scripts and CI.\n" +
        "Exit codes: 0 ok, 1 rejected, 2 usage, 3 config, 4 auth, 5 input, 6 partial,\n" +
        "7 unavailable, 130 interrupted.",
    )
    .version(runtime.version, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .option("-p, --profile <name>", "profile from the config file (env EVSEND_PROFILE)")
    .option("-c, --config <path>", "use this config file, skip the search (env EVSEND_CONFIG)")
    .option("--json", "NDJSON on stdout; the last line is a summary or error object")
    .option("-q, --quiet", "print only warnings and errors")
    .option("-v, --verbose", "log every request (masked) and show stack traces")
    .option("-n, --dry-run", "print the requests that would be sent; send nothing")
    .addOption(
      new Option(
        "--timeout <duration>",
        "per-request timeout, e.g. 500ms, 30s, 5m (default: 30s)",
      ).argParser(argParser(parseDuration)),
    )
    .addOption(
      new Option(
        "--retries <n>",
        "retries on network errors, 408, 429 and 5xx (default: 5)",
      ).argParser(argParser((text) => parseInteger(text, 0, 100))),
    )
    .option(
      "--ca-file <path>",
      "extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too",
    )
    .option("--no-color", "no colours (also NO_COLOR, or when not a terminal)")
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => runtime.stdout.write(text),
      writeErr: (text) => runtime.stderr.write(text),
      // src/cli.ts prints usage errors itself, in the same format as every other error.
      outputError: () => {},
    });

  for (const service of services) service.register(program, contextFor);
  registerEmulate(program, contextFor);
  return program;
}
