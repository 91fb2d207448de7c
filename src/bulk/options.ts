import { Option, type Command } from "commander";
import { argParser } from "../cli/arg-parser.js";
import { UsageError } from "../errors.js";
import type { BulkInputOptions } from "./run-bulk-command.js";
import { parseInteger, parseTimeout } from "../units.js";

/** The delivery options every bulk command takes (commander's names), for the --ndjson check. */
export const DELIVERY_OPTIONS = ["state", "rejects", "follow", "flushInterval", "idleTimeout"];

/** How long a partial batch waits with `--follow` by default. */
export const DEFAULT_FLUSH_INTERVAL_MS = 1000;

/** Requests in flight by default: measured in README: Performance. */
export const DEFAULT_CONCURRENCY = 4;

/** Adds a repeatable option's value to those before it. */
export function collect<T>(value: T, previous: T[] | undefined): T[] {
  return [...(previous ?? []), value];
}

/** `--rate`: `20`, `20/min` or `20/m` → requests per minute. */
export function parseRate(text: string): number {
  const match = /^\s*(\d+)\s*(\/\s*m(in)?)?\s*$/i.exec(text);
  const rate = Number(match?.[1]);
  if (!match || rate < 1)
    throw new Error(`"${text}" is not a rate; use requests a minute, e.g. 20 or 20/min`);
  return rate;
}

/**
 * The options every bulk command shares, for a command to add where they belong in its help.
 * `ndjson`: the command sends one event without `--ndjson`, so each says it applies with it.
 */
export function bulkOptions(use: { ndjson?: boolean } = {}) {
  const scope = use.ndjson ? "with --ndjson: " : "";
  const followScope = use.ndjson ? "with --ndjson --follow: " : "with --follow: ";
  return {
    /** The inputs argument of a command that reads files (not --ndjson), and its usage. */
    inputs: (command: Command): Command =>
      command
        // Optional for commander, so that no input at all gets a message that mentions stdin.
        .argument(
          "[inputs...]",
          "files, globs (quote them) or - for stdin; .gz files are read decompressed",
        )
        .usage("[options] <inputs...>"),
    exclude: new Option(
      "--exclude <glob>",
      use.ndjson
        ? `${scope}leave out files matching this glob (repeatable)`
        : "leave out files matching this glob; one without / matches names at any depth (repeatable)",
    ).argParser((text: string, previous: string[] | undefined) => collect(text, previous)),
    /** `note` follows the range, e.g. what happens while all are busy. */
    concurrency: (note = ""): Option =>
      new Option("--concurrency <n>", `${scope}requests in flight at most, 1 to 64${note}`)
        .default(DEFAULT_CONCURRENCY)
        .argParser(argParser((text) => parseInteger(text, 1, 64))),
    /** `--state <path>`: checkpoints, so that a later run sends only what is new. */
    state: new Option(
      "--state <path>",
      `${scope}remember in this file how far each input file was delivered; the next run ` +
        "sends only what is new (see README › Checkpoints)",
    ),
    /** `--rejects <path>`: what can never be delivered, kept to be sent again once fixed. */
    rejects: new Option(
      "--rejects <path>",
      `${scope}append the records that cannot be delivered (too long, invalid) to this file, ` +
        "as read, to send again with the same command",
    ),
    /** `--follow`, and its timing options. */
    follow: new Option(
      "--follow",
      `${scope}keep reading what is appended, like tail -F: rotated files and new files ` +
        "matching the globs too, until Ctrl-C (see README › Following)",
    ),
    flushInterval: new Option(
      "--flush-interval <duration>",
      `${followScope}send a partial batch after this long`,
    )
      .default(DEFAULT_FLUSH_INTERVAL_MS, "1s")
      .argParser(argParser(parseTimeout)),
    idleTimeout: new Option(
      "--idle-timeout <duration>",
      `${followScope}exit 0 after this long with nothing new (everything sent, state saved)`,
    ).argParser(argParser(parseTimeout)),
    /** Requests a minute at most (Guance's limit per key), for a service that limits them. */
    rate: (perMinute: number, defaultText: string): Option =>
      new Option("--rate <n/min>", `${scope}push at most n events a minute, evenly spaced`)
        .default(perMinute, defaultText)
        .argParser(argParser(parseRate)),
  };
}

/** `no input: pass <what>, or - to read stdin`, with a hint that shows how. */
export function noInputError(what: string, hint: string): UsageError {
  return new UsageError(`no input: pass ${what}, or - to read stdin`, { hint });
}

/**
 * The bulk options' values: `inputs` (none is `noInput()`), `--exclude`, `--concurrency` (one at
 * a time for a command without it) and `--rate` where the command has it.
 */
export function bulkInputOptions(
  command: Command,
  inputs: string[],
  noInput?: () => UsageError,
): BulkInputOptions {
  if (inputs.length === 0 && noInput) throw noInput();
  const o = command.opts<{
    exclude?: string[];
    concurrency?: number;
    rate?: number;
    state?: string;
    rejects?: string;
    follow?: boolean;
    flushInterval?: number;
    idleTimeout?: number;
  }>();
  if (!o.follow) {
    const timing = ["flushInterval", "idleTimeout"].find(
      (name) => command.getOptionValueSource(name) === "cli",
    );
    if (timing) {
      const flag = timing === "flushInterval" ? "--flush-interval" : "--idle-timeout";
      throw new UsageError(`${flag} applies to --follow only`, {
        hint: "add --follow to keep reading what is appended",
      });
    }
  }
  return {
    inputs,
    exclude: o.exclude ?? [],
    concurrency: o.concurrency ?? 1,
    ...(o.rate !== undefined ? { ratePerMinute: o.rate } : {}),
    ...(o.state !== undefined ? { state: o.state } : {}),
    ...(o.rejects !== undefined ? { rejects: o.rejects } : {}),
    ...(o.follow
      ? {
          follow: {
            flushIntervalMs: o.flushInterval ?? DEFAULT_FLUSH_INTERVAL_MS,
            ...(o.idleTimeout !== undefined ? { idleTimeoutMs: o.idleTimeout } : {}),
          },
        }
      : {}),
  };
}

/** A usage error when any of the bulk-only options `names` was passed without `--ndjson`. */
export function checkNdjsonOnly(command: Command, names: string[], hint: string): void {
  const passed = names.find((name) => command.getOptionValueSource(name) === "cli");
  if (passed) throw new UsageError(`--${passed} applies to --ndjson only`, { hint });
}
