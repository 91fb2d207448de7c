import { Command, type ErrorOptions as CommanderErrorOptions, type HelpContext } from "commander";
import type { ServiceSpec } from "../config/types.js";
import { UsageError } from "../errors.js";
import { completeAs } from "./completion-tree.js";
import { EvsendHelp } from "./help.js";
import { didYouMean, unknownOptionError } from "./unknown-option.js";
import { otherVocabulary } from "./vocabulary.js";

/** `evsend devo send`: the names from the root down to `command`. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** True when `arg` is what commander reported in an "unknown option" message. */
function reported(message: string, arg: string): boolean {
  const quoted = `error: unknown option '${arg}'`;
  return message === quoted || message.startsWith(`${quoted}\n`);
}

/**
 * evsend's commander command: errors and help say what the user typed and what to run next,
 * and never echo the value of an unknown `--opt=value` (it may be a secret pasted on the
 * command line). Subcommands are created as EvsendCommand too (createCommand).
 */
export class EvsendCommand extends Command {
  /** The services' field specs, set on the root (createProgram): hints for a secret flag name them. */
  #serviceSpecs: readonly ServiceSpec[] = [];

  /** Sets the services' field specs (on the root command). */
  withServiceSpecs(specs: readonly ServiceSpec[]): this {
    this.#serviceSpecs = specs;
    return this;
  }

  /** The services' field specs, as set on the root. */
  get serviceSpecs(): readonly ServiceSpec[] {
    return this.parent instanceof EvsendCommand ? this.parent.serviceSpecs : this.#serviceSpecs;
  }

  override createCommand(name?: string): EvsendCommand {
    return new EvsendCommand(name);
  }

  /** evsend's help layout (cli/help.ts): examples after the command's own options. */
  override createHelp(): EvsendHelp {
    return Object.assign(new EvsendHelp(), this.configureHelp());
  }

  /** Commander reports every parse failure here: all are usage errors (exit 2). */
  override error(message: string, options?: CommanderErrorOptions): never {
    if (options?.code === "commander.unknownOption") {
      // Commander keeps the arguments it has not consumed in `args`; the first one it reported
      // is the unknown option, whole (`--token=SECRET`).
      const arg =
        this.args.find((a) => reported(message, a)) ??
        // Should commander's wording change: the name alone, never what follows it.
        /^error: unknown option '(--?[^=' ]+)/.exec(message)?.[1] ??
        "";
      throw unknownOptionError(this, arg, commandPath(this), this.serviceSpecs);
    }
    if (options?.code === "commander.unknownCommand") {
      const name = this.args[0] ?? "";
      const shown = looksLikeCommandName(name);
      const names = subcommandNames(this);
      const other = shown ? otherVocabulary(name, names) : undefined;
      const guess = other
        ? `did you mean \`${commandPath(this)} ${other}\`? Each service keeps its API's words (README › One vocabulary); `
        : shown
          ? didYouMean(name, names)
          : "";
      throw new UsageError(
        `unknown command ${shown ? `'${name}'` : "(not shown: it does not look like a command name)"} for \`${commandPath(this)}\``,
        {
          hint: `${guess}the commands are ${names.join(", ")}; run \`${commandPath(this)} --help\``,
        },
      );
    }
    // Every other parse failure (missing or invalid value, excess arguments) is a usage error
    // whose hint names this command's own help.
    const help = `run \`${commandPath(this)} --help\` for usage`;
    throw new UsageError(message.replace(/^error:\s*/, ""), {
      hint:
        options?.code === "commander.excessArguments" && this.args.some(looksLikeSplitJson)
          ? `quote JSON on the command line ('{"order": 42}'): unquoted, the shell splits it at spaces and drops its quotes${this.options.some((o) => o.long === "--data-file") ? "; or read it from a file with --data-file <path>" : ""}; ${help}`
          : help,
    });
  }

  /**
   * Commander shows help on stderr and fails when a command that needs a verb gets none
   * (`evsend devo`). Say that in one line and point at `--help` instead.
   */
  override help(context?: HelpContext): never;
  override help(cb?: (str: string) => string): never;
  override help(context?: HelpContext | ((str: string) => string)): never {
    if (typeof context === "object" && context.error) {
      throw new UsageError(
        `\`${commandPath(this)}\` needs a command: ${subcommandNames(this).join(", ")}`,
        {
          hint: `run \`${commandPath(this)} --help\` for what each one does`,
        },
      );
    }
    return super.help(context as HelpContext);
  }
}

/** The commands a user can name here: hidden helpers (`__profiles`) and `help` left out. */
function subcommandNames(command: Command): string[] {
  return command
    .createHelp()
    .visibleCommands(command)
    .map((c) => c.name())
    .filter((name) => name !== "help");
}

/** An argument that starts or ends a JSON object or array the shell split (`{order:`, `42}`). */
function looksLikeSplitJson(arg: string): boolean {
  return /^\s*[{[]|[}\]]\s*$/.test(arg);
}

/** Command names are short words; anything else may be a value pasted in the wrong place. */
function looksLikeCommandName(text: string): boolean {
  return /^[a-z][a-z0-9-]{0,23}$/i.test(text);
}

/**
 * Adds `help [command...]` to every command that has subcommands (commander's own only goes one
 * level down, and exits 2 there): `evsend help devo send` shows `devo send`'s help, exit 0.
 * `example` is its help's example at the top, e.g. `help devo send`; below, each level's own
 * (`evsend databoom help` says `e.g. help push`).
 */
export function addHelpCommands(command: Command, example: string): void {
  if (command.commands.length === 0) return;
  for (const child of command.commands) {
    const first = child.commands.find((c) => c.name() !== "help");
    addHelpCommands(child, first ? `help ${first.name()}` : example);
  }
  const help = command
    .command("help")
    .description(`show help for a command, e.g. ${example}`)
    .argument("[command...]", "the command")
    .action((names: string[]) => {
      let target: Command = command;
      for (const [index, name] of names.entries()) {
        // `help help` (last) is the help command's own help; `help help devo` is not a path.
        const last = index === names.length - 1;
        const next = target.commands.find(
          (c) => (c.name() !== "help" || last) && (c.name() === name || c.aliases().includes(name)),
        );
        if (!next) {
          throw new UsageError(
            `no command ${looksLikeCommandName(name) ? `'${name}' ` : ""}in \`${commandPath(target)}\``,
            { hint: `the commands are ${subcommandNames(target).join(", ")}` },
          );
        }
        target = next;
      }
      target.outputHelp();
    });
  help.helpCommand(false);
  // Completion offers the commands it can show; hidden ones stay hidden.
  const shown = command.createHelp().visibleCommands(command);
  completeAs(help.registeredArguments[0]!, {
    kind: "words",
    words: shown.map((c) => c.name()).filter((name) => name !== "help"),
  });
}
