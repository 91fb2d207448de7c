import { Option, type Command } from "commander";
import { argParser } from "../../cli/arg-parser.js";
import {
  bulkInputOptions,
  bulkOptions,
  checkNdjsonOnly,
  DELIVERY_OPTIONS,
} from "../../bulk/options.js";
import { addExamples } from "../../cli/help.js";
import { addFieldOptions, passedFieldFlags } from "../../cli/field-option.js";
import { UsageError } from "../../errors.js";
import type { BulkInputOptions } from "../../bulk/run-bulk-command.js";
import { parseSize } from "../../units.js";
import type { ContextFactory, Service } from "../types.js";
import { eventhosEmulation } from "./emulation.js";
import { DEFAULT_MAX_BODY_BYTES } from "./protocol.js";
import { eventhosSpec } from "./spec.js";

function parseMaxBody(text: string): number {
  const bytes = parseSize(text);
  if (bytes < 2) throw new Error(`"${text}" is too small for any JSON event`);
  return bytes;
}

/** The --ndjson inputs (with --exclude and --concurrency), or undefined for one event. */
function bulkInputs(command: Command, json: string | undefined): BulkInputOptions | undefined {
  const o = command.opts<{ ndjson?: string[]; dataFile?: string }>();
  if (o.ndjson === undefined) {
    checkNdjsonOnly(
      command,
      ["exclude", "concurrency", ...DELIVERY_OPTIONS],
      "send many events, one JSON value per line, with --ndjson <path|glob|->",
    );
    return undefined;
  }
  if (json !== undefined || o.dataFile !== undefined)
    throw new UsageError("--ndjson reads the events from its inputs, one per line", {
      hint: "leave out the json argument and --data-file",
    });
  return bulkInputOptions(command, o.ndjson);
}

function addConnectionOptions(command: Command): Command {
  return addFieldOptions(command, eventhosSpec, [
    "url",
    "event",
    "accessKey",
    "clientId",
    "clientSecret",
  ]);
}

function registerSend(parent: Command, contextFor: ContextFactory): void {
  const shared = bulkOptions({ ndjson: true });
  const command = parent
    .command("send")
    .description("send one JSON event; a 2xx means Eventhos stored it")
    .argument("[json]", "the event, a JSON object or array; - or none reads it from stdin")
    .addOption(new Option("--data-file <path|->", "read the event from this file; - reads stdin"))
    .addOption(
      new Option("--max-body <size>", "refuse events larger than this (warning above 1 MiB)")
        .default(DEFAULT_MAX_BODY_BYTES, "5m")
        .argParser(argParser(parseMaxBody)),
    )
    .addOption(
      new Option(
        "--ndjson <inputs...>",
        "send many events from files, globs or - (stdin): one JSON object or array per line, each its own request; .gz read decompressed",
      ),
    )
    .addOption(shared.exclude)
    .addOption(shared.concurrency())
    .addOption(shared.state)
    .addOption(shared.rejects)
    .addHelpText(
      "after",
      "\nAuthentication: an access key (wins when both are set), or a client id and secret\n" +
        "exchanged for a token that is cached in $XDG_CACHE_HOME/evsend (~/.cache/evsend).",
    );
  addExamples(command, [
    `evsend -p prod eventhos send '{"order": 42, "status": "created"}'`,
    "evsend eventhos send --event order-created-9O_CE0Lcrz --access-key-file ~/.config/evsend/eventhos.key --data-file order.json",
    "evsend -p prod eventhos send --ndjson 'orders/*.ndjson'",
  ]);
  addConnectionOptions(command).action(async (json: string | undefined) => {
    const ctx = contextFor(command);
    const opts = command.opts<{ dataFile?: string; maxBody: number }>();
    const bulk = bulkInputs(command, json);
    const flags = passedFieldFlags(command, ctx, eventhosSpec);
    if (bulk) {
      const { runEventhosBulk } = await import("./bulk.js");
      await runEventhosBulk(ctx, { ...bulk, maxBody: opts.maxBody, flags });
      return;
    }
    const { runEventhosSend } = await import("./send.js");
    await runEventhosSend(ctx, {
      ...(json !== undefined ? { argument: json } : {}),
      ...(opts.dataFile !== undefined ? { dataFile: opts.dataFile } : {}),
      maxBody: opts.maxBody,
      flags,
    });
  });
}

/** `evsend eventhos …`. */
export const eventhos: Service = {
  spec: eventhosSpec,
  summary: "Eventhos: JSON events that trigger contracts on other systems",
  register(program, contextFor) {
    const parent = program.command("eventhos").description(eventhos.summary);
    addExamples(parent, [
      `evsend -p prod eventhos send '{"order": 42}'`,
      "evsend help eventhos send",
    ]);
    registerSend(parent, contextFor);
  },
  secretForms: { headers: ["access-key"] },
  emulation: eventhosEmulation,
  async checkSettings(ctx) {
    const { resolveEventhosSettings } = await import("./settings.js");
    await resolveEventhosSettings(ctx, {});
  },
};
