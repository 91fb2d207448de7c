import { Chalk } from "chalk";
import { Help, Option, type Command } from "commander";
import { argParser } from "./cli/arg-parser.js";
import { addHelpCommands, EvsendCommand } from "./cli/command.js";
import { addExamples } from "./cli/help.js";
import type { Context, Runtime } from "./context.js";
import { firstOperand } from "./cli/first-operand.js";
import { colorLevel } from "./output/output.js";
import { writeGuarded } from "./output/streams.js";
import { parseInteger, parseTimeout } from "./units.js";
import { services as registry } from "./services/index.js";
import type { Service } from "./services/types.js";
import { listEmulate, registerEmulate } from "./commands/emulate.js";
import { listCompletion, registerCompletion } from "./commands/completion.js";
import { listConfig, registerConfig } from "./commands/config.js";

/**
 * Builds the context for the command whose action is running, knowing the program's services
 * (their fields and secret forms: createContext takes them).
 */
export type ProgramContextFactory = (command: Command, services: readonly Service[]) => Context;

/** The services a program speaks: the given ones (a test's), else every one evsend has. */
export function programServices(services?: readonly Service[]): readonly Service[] {
  return services ?? registry;
}

const paint = new Chalk({ level: 1 });

/** Help's colours, as gh's: bold headings, commands in cyan, options and arguments in green. */
const helpStyles = {
  styleTitle: (text: string) => paint.bold(text),
  styleCommandText: (text: string) => paint.cyan(text),
  styleSubcommandTerm: (text: string) => paint.cyan(text),
  styleOptionTerm: (text: string) => paint.green(text),
  styleArgumentTerm: (text: string) => paint.green(text),
};

/** Commands built only as the root help lists them, with their own usage (`emulate [options]`). */
const listedOnly = new WeakSet<Command>();

/**
 * A command as its parent's help lists it: a command with options shows its own usage
 * (`file [options] <inputs...>`), so the list and the command's help agree; commander's own term
 * ignores a custom usage. Others as commander shows them (`help [command...]`).
 */
function subcommandTerm(this: Help, command: Command): string {
  if (command.commands.length === 0 && (command.options.length > 0 || listedOnly.has(command)))
    return `${command.name()} ${command.usage()}`;
  return Help.prototype.subcommandTerm.call(this, command);
}

/** `evsend 0.1.0 (node v20.20.2, linux-x64)`: what a bug report needs. */
export function versionText(version: string): string {
  return `evsend ${version} (node ${process.version}, ${process.platform}-${process.arch})`;
}

/**
 * The root command: global options, then every service and tool command. This is the composition
 * root: the only module that knows the registry; everything below gets the services from here.
 */
export function createProgram(
  runtime: Runtime,
  createContextFor: ProgramContextFactory,
  given?: readonly Service[],
): Command {
  const services = programServices(given);
  const contextFor = (command: Command): Context => createContextFor(command, services);
  const titles = services.map((s) => s.spec.title);
  const names =
    titles.length > 1 ? `${titles.slice(0, -1).join(", ")} and ${titles.at(-1)}` : titles[0];
  const helpColor = { color: !runtime.argv.includes("--no-color"), env: runtime.env };
  const program = new EvsendCommand("evsend")
    .description(`Send events to ${names} from terminals, scripts and CI.`)
    .version(
      versionText(runtime.version),
      "-V, --version",
      "print the version, node's and the platform",
    )
    .helpOption("-h, --help", "show help")
    .option(
      "-p, --profile <name>",
      "profile from the config file (env EVSEND_PROFILE; default: its defaultProfile)",
    )
    .option("-c, --config <path>", "use this config file, skip the search (env EVSEND_CONFIG)")
    .option("--json", "NDJSON on stdout; the last line is a summary or error object")
    .option("-q, --quiet", "print only warnings and errors")
    .option("-v, --verbose", "log every request (masked) and show stack traces")
    .option("-n, --dry-run", "print the requests that would be sent; send nothing")
    .addOption(
      new Option(
        "--timeout <duration>",
        "per-request timeout, e.g. 500ms, 30s, 5m (default: 30s)",
      ).argParser(argParser(parseTimeout)),
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
    .configureHelp({
      showGlobalOptions: true,
      sortSubcommands: false,
      subcommandTerm,
      ...helpStyles,
    })
    // Our own `help [command...]` (addHelpCommands) works at every depth.
    .helpCommand(false)
    .showSuggestionAfterError(true)
    .withServiceSpecs(services.map((s) => s.spec))
    .exitOverride()
    .configureOutput({
      // Help behind `| head -1` or on /dev/full ends quietly with exit 0 (guardStream).
      writeOut: (text) => writeGuarded(runtime.stdout, text),
      writeErr: (text) => writeGuarded(runtime.stderr, text),
      // The width of the run's own streams (commander's default reads Node's own stdout, which a
      // run on a pipe never creates: output/stdio.ts); 80 where it is not a terminal, as there.
      getOutHelpWidth: () => (runtime.stdout.isTTY && runtime.stdout.columns) || 80,
      getErrHelpWidth: () => (runtime.stderr.isTTY && runtime.stderr.columns) || 80,
      // Help is styled always; commander strips the colours where the stream should have none.
      getOutHasColors: () => colorLevel(runtime.stdout, helpColor) > 0,
      getErrHasColors: () => colorLevel(runtime.stderr, helpColor) > 0,
      // src/cli.ts prints usage errors itself, in the same format as every other error.
      outputError: () => {},
    });

  // Building a service's commands and options is most of commander's start-up cost: a run that
  // names a service (`evsend devo send …`) builds only that one. A run without any operand
  // (`evsend --help`, `evsend`) can only show the root help, which lists each command by name,
  // usage and summary: that is all it builds. Anything else (an unknown command, `help devo`)
  // gets every command.
  const args = runtime.argv.slice(2);
  const named = firstOperand(program, args);
  const only = services.find((s) => s.spec.name === named);
  if (!only && args.every((arg) => arg.startsWith("-"))) {
    for (const service of services) program.command(service.spec.name).description(service.summary);
    listConfig(program);
    listedOnly.add(listEmulate(program, services));
    listCompletion(program);
  } else {
    for (const service of only ? [only] : services) service.register(program, contextFor);
    registerConfig(program, contextFor, services);
    registerEmulate(program, contextFor, services);
    registerCompletion(program, contextFor);
  }
  // The root help ends with these, then the exit codes (cli/help.ts).
  addExamples(program, [
    "evsend emulate --port 0 &                 # a local receiver: try evsend without an account",
    "evsend -p prod devo send 'hello'          # one event, with the settings of profile prod",
    "evsend help devo send                     # help for one command",
  ]);
  addHelpCommands(program, "help devo send");
  return program;
}
