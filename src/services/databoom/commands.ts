import { Option, type Command } from "commander";
import { argParser } from "../../cli/arg-parser.js";
import { bulkInputOptions, bulkOptions, noInputError } from "../../bulk/options.js";
import { addExamples } from "../../cli/help.js";
import { addFieldOptions, passedFieldFlags } from "../../cli/field-option.js";
import { parseInteger } from "../../units.js";
import type { ContextFactory, Service } from "../types.js";
import { databoomEmulation } from "./emulation.js";
import { databoomSpec } from "./spec.js";

/** --device, --url and --token-file, shared by push and history. */
export function addConnectionOptions(command: Command): Command {
  return addFieldOptions(command, databoomSpec, ["device", "url", "token"]);
}

function registerPush(parent: Command, contextFor: ContextFactory): void {
  const command = parent
    .command("push")
    .description("send the current values of a device's signals in one request")
    // Optional for commander, so that none at all gets evsend's own message and exit code.
    .argument("[signals...]", "signal=value pairs; values are numbers unless --allow-text")
    .usage("[options] <signal=value...>")
    .option(
      "--date <time>",
      "when the values were measured: ISO 8601 (no offset = local time), epoch seconds or ms, " +
        "or now; without it Databoom uses the time it receives them",
    )
    .option("--allow-text", "send values that are not numbers as text instead of refusing them");
  addExamples(command, [
    "evsend databoom push --device dev-42 temperature=21.5 humidity=40",
    "evsend -p prod databoom push --date 2024-05-01T12:00:00Z power=1250",
    "evsend databoom push --allow-text state=running",
  ]);
  addConnectionOptions(command).action(async (args: string[]) => {
    const ctx = contextFor(command);
    const opts = command.opts<{ date?: string; allowText?: boolean }>();
    const { runDataboomPush } = await import("./push.js");
    await runDataboomPush(ctx, {
      args,
      ...(opts.date === undefined ? {} : { date: opts.date }),
      allowText: opts.allowText === true,
      flags: passedFieldFlags(command, ctx, databoomSpec),
    });
  });
}

/**
 * `--delimiter`: one character, or `tab` (a tab is hard to type in a shell). Quotes, line ends
 * and spaces cannot separate fields (spaces around fields are trimmed).
 */
function parseDelimiter(text: string): string {
  const delimiter = text.toLowerCase() === "tab" || text === "\\t" ? "\t" : text;
  if ([...delimiter].length !== 1 || /["\r\n ]/.test(delimiter))
    throw new Error(`"${text}" is not a field separator: give one character such as ";" or tab`);
  return delimiter;
}

/** Defaults of `databoom history`. */
export const DEFAULT_BATCH_POINTS = 5000;

function registerHistory(parent: Command, contextFor: ContextFactory): void {
  const shared = bulkOptions();
  const command = shared
    .inputs(
      parent
        .command("history")
        .description("send historical points from CSV or NDJSON files, globs or stdin, in batches"),
    )
    .addOption(
      new Option(
        "--format <format>",
        "csv or ndjson; needed for stdin and for names not ending in .csv, .ndjson or .jsonl (.gz)",
      ).choices(["csv", "ndjson"]),
    )
    .addOption(shared.exclude)
    .addOption(
      new Option("--batch-points <n>", "most points in one request, 1 to 1000000")
        .default(DEFAULT_BATCH_POINTS)
        .argParser(argParser((text) => parseInteger(text, 1, 1_000_000))),
    )
    .addOption(shared.concurrency())
    .addOption(shared.state)
    .addOption(shared.rejects)
    .option("--allow-text", "send values that are not numbers as text instead of rejecting the row")
    .addOption(
      new Option(
        "--delimiter <char>",
        "CSV field separator: one character, or tab (default ,)",
      ).argParser(argParser(parseDelimiter)),
    )
    .addHelpText(
      "after",
      "\nFormats (a header row names the CSV columns):\n" +
        "  date,signal,value          long form: one point per row\n" +
        "  date,<signal>,<signal>,…   wide form: one point per non-empty cell\n" +
        '  {"date":…,"signal":…,"value":…}   NDJSON: one point per line',
    );
  addExamples(command, [
    "evsend databoom history --device dev-42 'exports/*.csv.gz'",
    "zcat points.ndjson.gz | evsend -p prod databoom history --format ndjson -",
    "evsend databoom history --batch-points 1000 readings.csv",
  ]);
  addConnectionOptions(command).action(async (inputs: string[]) => {
    const ctx = contextFor(command);
    const opts = command.opts<{
      format?: "csv" | "ndjson";
      batchPoints: number;
      allowText?: boolean;
      delimiter?: string;
    }>();
    const input = bulkInputOptions(command, inputs, () =>
      noInputError(
        "CSV or NDJSON files or globs",
        "e.g. `evsend databoom history points.csv`; stdin needs --format: `… --format csv -`",
      ),
    );
    const { runDataboomHistory } = await import("./history.js");
    await runDataboomHistory(ctx, {
      ...input,
      format: opts.format,
      batchPoints: opts.batchPoints,
      allowText: opts.allowText === true,
      ...(opts.delimiter !== undefined ? { delimiter: opts.delimiter } : {}),
      flags: passedFieldFlags(command, ctx, databoomSpec),
    });
  });
}

/** `evsend databoom …`. */
export const databoom: Service = {
  spec: databoomSpec,
  summary: "Databoom signal push: current values, and history from CSV or NDJSON",
  register(program, contextFor) {
    const parent = program.command("databoom").description(databoom.summary);
    addExamples(parent, [
      "evsend databoom push --device dev-42 temperature=21.5",
      "evsend databoom history --device dev-42 'exports/*.csv.gz'",
      "evsend help databoom push",
    ]);
    registerPush(parent, contextFor);
    registerHistory(parent, contextFor);
  },
  emulation: databoomEmulation,
  async checkSettings(ctx) {
    const { resolveDataboomSettings } = await import("./settings.js");
    await resolveDataboomSettings(ctx, {});
  },
};
