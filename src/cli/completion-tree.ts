import type { Argument, Command, Option } from "commander";

/**
 * What the value of an option, or an operand, completes to: fixed words, paths, the profiles of
 * the config file in use, or nothing (free text: a message, a tag, a number).
 */
export type ValueCompletion =
  | { kind: "none" }
  | { kind: "file" }
  | { kind: "profile" }
  | { kind: "words"; words: readonly string[] };

/** One option as a completion offers it. */
export interface CompletionOption {
  /** `-p`, `--profile`: short first. */
  names: string[];
  /** Its help's first sentence, without the `(env …, profile …)` part. */
  description: string;
  /** What its value completes to; absent for a flag that takes no value. */
  value?: ValueCompletion;
  /** Takes one value or more (`--ndjson <inputs...>`): each word up to the next option. */
  variadic?: boolean;
}

/** One command of the tree: its own options, its subcommands and what its operands are. */
export interface CompletionNode {
  /** From the root down, without the program's name: `["devo", "send"]`; `[]` is the root. */
  path: string[];
  description: string;
  options: CompletionOption[];
  commands: CompletionNode[];
  /** What its operands complete to (a command with subcommands completes their names). */
  operand: ValueCompletion;
}

const hints = new WeakMap<Option | Argument, ValueCompletion>();

/**
 * Says what `target`'s value completes to, where its value name and choices do not tell (see
 * valueOf). Returns `target`, for chaining.
 */
export function completeAs<T extends Option | Argument>(target: T, completion: ValueCompletion): T {
  hints.set(target, completion);
  return target;
}

/** A value named `<path>`, `<file>`, `<inputs...>`, `<path|glob|->` or `<dir>` is a path. */
const PATH_VALUE = /\b(path|file|inputs|glob|dir)\b/i;

/** An option's or operand's completion: a hint, else its commander choices, else its value name. */
function valueOf(target: Option | Argument, valueName: string): ValueCompletion {
  const hint = hints.get(target);
  if (hint) return hint;
  if (target.argChoices?.length) return { kind: "words", words: target.argChoices };
  return PATH_VALUE.test(valueName) ? { kind: "file" } : { kind: "none" };
}

/** The first sentence of a help text, without where else the value can be set. */
function shortDescription(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.replace(/\s*\((env|default|choices)\b.*$/, "").trim();
}

function completionOption(option: Option): CompletionOption {
  const names = [option.short, option.long].filter((n): n is string => n !== undefined);
  const description = shortDescription(option.description);
  if (!option.required && !option.optional) return { names, description };
  const valueName = /[<[]([^>\]]*)[>\]]/.exec(option.flags)?.[1] ?? "";
  return {
    names,
    description,
    value: valueOf(option, valueName),
    ...(option.variadic ? { variadic: true } : {}),
  };
}

function operandOf(command: Command): ValueCompletion {
  const first = command.registeredArguments[0];
  return first ? valueOf(first, first.name()) : { kind: "none" };
}

/**
 * The command tree as completions see it: visible commands and options only (hidden helpers and
 * hidden options are left out), each option with what its value completes to. The root's options
 * are the global ones, valid at every depth.
 */
export function completionTree(command: Command, path: string[] = []): CompletionNode {
  const help = command.createHelp();
  const commands = help
    .visibleCommands(command)
    .map((child) => completionTree(child, [...path, child.name()]));
  return {
    path,
    description: shortDescription(command.description()),
    options: help.visibleOptions(command).map(completionOption),
    commands,
    operand: commands.length > 0 ? { kind: "none" } : operandOf(command),
  };
}
