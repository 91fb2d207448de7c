import type { Command } from "commander";

/**
 * The first operand on the command line (`devo` in `evsend -p prod devo send hi`), found before
 * commander parses, from the options `command` defines: a value-taking option skips its value
 * (`-p prod`, `--timeout=5s`, `-qp prod`). Undefined when there is none, or when an argument is
 * an option `command` does not define (`--help`, a typo): then the caller cannot know what
 * follows and must assume anything may. Used to register only the service a run names.
 */
export function firstOperand(command: Command, args: readonly string[]): string | undefined {
  const takesValue = new Map<string, boolean>();
  for (const option of command.options) {
    const needs = option.required || option.optional;
    if (option.long) takesValue.set(option.long, needs);
    if (option.short) takesValue.set(option.short, needs);
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") return args[i + 1];
    if (arg.startsWith("--")) {
      const [name, inline] = splitInline(arg);
      const needs = takesValue.get(name);
      if (needs === undefined) return undefined;
      if (needs && !inline) i++;
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      // A cluster of short flags: the first one that takes a value takes the rest of the
      // cluster, or the next argument when it is last (commander's rule).
      for (let j = 1; j < arg.length; j++) {
        const needs = takesValue.get(`-${arg[j]}`);
        if (needs === undefined) return undefined;
        if (needs) {
          if (j === arg.length - 1) i++;
          break;
        }
      }
      continue;
    }
    return arg;
  }
  return undefined;
}

function splitInline(arg: string): [string, boolean] {
  const eq = arg.indexOf("=");
  return eq === -1 ? [arg, false] : [arg.slice(0, eq), true];
}
