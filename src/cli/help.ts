import { Help, type Command } from "commander";

/** Each command's examples, in the order its help shows them. */
const examples = new WeakMap<Command, readonly string[]>();

/**
 * Sets `command`'s examples: two or three real command lines, each runnable as written against
 * a profile (`test/e2e/help-examples.test.ts` runs every one against the emulator). Help shows them
 * right after the command's own options, before the global ones.
 */
export function addExamples(command: Command, lines: readonly string[]): Command {
  examples.set(command, lines);
  return command;
}

/** `command`'s examples (none when it has none). */
export function commandExamples(command: Command): readonly string[] {
  return examples.get(command) ?? [];
}

/** The exit codes, as the root help ends with them (README › Exit codes says more). */
export const EXIT_CODES: ReadonlyArray<readonly [string, string]> = [
  ["0", "everything was accepted (warnings allowed)"],
  ["1", "the service rejected the request (4xx other than auth), or an internal error"],
  ["2", "usage error: unknown command or option, bad argument"],
  ["3", "configuration error: missing or invalid config, profile or credential"],
  ["4", "authentication refused by the service"],
  ["5", "invalid input (unreadable file, bad JSON/CSV); nothing invalid was sent"],
  ["6", "partial delivery: some events accepted, some not (the summary says which)"],
  ["7", "service unavailable (network, timeouts, 429/5xx after all retries): try later"],
  ["130", "interrupted, after flushing what could be flushed"],
];

/**
 * evsend's help layout: commander's, with the command's examples right after its own options
 * (before the global options, which every command's help repeats), and on the root, which has
 * no global options section, the examples and then the exit codes at the end.
 */
export class EvsendHelp extends Help {
  #command: Command | undefined;

  override formatHelp(cmd: Command, helper: Help): string {
    this.#command = cmd;
    const text = super.formatHelp(cmd, helper);
    if (cmd.parent) return text;
    const width = Math.max(...EXIT_CODES.map(([code]) => code.length));
    const codes = EXIT_CODES.map(([code, meaning]) =>
      helper.formatItem(code, width, meaning, helper),
    );
    const root = [
      ...this.#examplesBlock(helper),
      ...super.formatItemList("Exit codes:", codes, helper),
    ];
    return `${text.trimEnd()}\n\n${root.join("\n").trimEnd()}\n`;
  }

  override formatItemList(heading: string, items: string[], helper: Help): string[] {
    const list = super.formatItemList(heading, items, helper);
    // The root's examples come at its end (formatHelp); commander asks the root for an empty
    // "Global Options:" list too, which must not bring them a second time.
    const examplesHere = heading === "Global Options:" && list.length > 0 && this.#command?.parent;
    return examplesHere ? [...this.#examplesBlock(helper), ...list] : list;
  }

  /** The examples as a section: heading, one indented line each, a blank line. */
  #examplesBlock(helper: Help): string[] {
    const lines = this.#command ? commandExamples(this.#command) : [];
    if (lines.length === 0) return [];
    return [helper.styleTitle("Examples:"), ...lines.map((l) => `  ${l}`), ""];
  }
}
