import { Option, type Command } from "commander";
import { argParser } from "../../cli/arg-parser.js";
import {
  bulkInputOptions,
  bulkOptions,
  checkNdjsonOnly,
  collect,
  DELIVERY_OPTIONS,
} from "../../bulk/options.js";
import { completeAs } from "../../cli/completion-tree.js";
import { addExamples } from "../../cli/help.js";
import { UsageError } from "../../errors.js";
import { addFieldOptions, passedFieldFlags } from "../../cli/field-option.js";
import type { BulkInputOptions } from "../../bulk/run-bulk-command.js";
import type { ContextFactory, Service } from "../types.js";
import { guanceEmulation } from "./emulation.js";
import { MASK } from "../../transport/redact.js";
import { REQUESTS_PER_MINUTE_PER_KEY } from "./protocol.js";
import { parseCheckValue, parseEventDate, parseKeyValue, type EventFlags } from "./event.js";
import { guanceSpec } from "./spec.js";
import { EVENT_STATUSES } from "./validate.js";

/** The event flags, which --event-json replaces as a whole. */
const EVENT_FLAGS = ["status", "title", "message", "date", "checkValue", "tag", "field", "extra"];

function pairOption(flags: string, description: string): Option {
  return new Option(flags, description).argParser(
    (text: string, previous: Array<[string, string]> | undefined) =>
      collect(argParser(parseKeyValue)(text), previous),
  );
}

function addConnectionOptions(command: Command): Command {
  return addFieldOptions(command, guanceSpec, ["site", "url", "secret", "subUri", "apiKey"]);
}

/** What the bulk flags say: the NDJSON inputs, or undefined for one event. */
function bulkFlags(command: Command): BulkInputOptions | undefined {
  const o = command.opts<{ ndjson?: string[] }>();
  if (o.ndjson === undefined) {
    checkNdjsonOnly(
      command,
      ["exclude", "rate", ...DELIVERY_OPTIONS],
      "push many events with --ndjson <path|glob|->",
    );
    return undefined;
  }
  const single = [...EVENT_FLAGS, "eventJson"].filter(
    (name) => command.getOptionValueSource(name) === "cli",
  );
  if (single.length > 0)
    throw new UsageError(
      "--ndjson reads whole events, one per line; it cannot be combined with event flags or --event-json",
      {
        hint: 'each line is an event ({"status":"ok",…}) or {"event":{…},"extraData":{…}}',
      },
    );
  return bulkInputOptions(command, o.ndjson);
}

/** The options object of the event flags; a missing --status is a usage error. */
function eventFlags(command: Command): { event: EventFlags; eventJson?: string } {
  const o = command.opts<{
    status?: string;
    title?: string;
    message?: string;
    date?: number;
    checkValue?: number;
    tag?: Array<[string, string]>;
    field?: Array<[string, string]>;
    extra?: Array<[string, string]>;
    eventJson?: string;
  }>();
  const given = EVENT_FLAGS.filter((name) => command.getOptionValueSource(name) === "cli");
  if (o.eventJson !== undefined && given.length > 0)
    throw new UsageError(
      "--event-json holds the whole event; it cannot be combined with event flags",
      {
        hint: "put status, title, tags and fields in the JSON, or use the flags without --event-json",
      },
    );
  if (o.eventJson === undefined && o.status === undefined)
    throw new UsageError("--status is required (or the whole event with --event-json)", {
      hint: `one of ${EVENT_STATUSES.join(", ")}, e.g. evsend guance push --status warning --title 'Disk almost full'`,
    });
  const event: EventFlags = {
    status: o.status ?? "",
    tags: o.tag ?? [],
    fields: o.field ?? [],
    extras: o.extra ?? [],
    ...(o.title !== undefined ? { title: o.title } : {}),
    ...(o.message !== undefined ? { message: o.message } : {}),
    ...(o.date !== undefined ? { date: o.date } : {}),
    ...(o.checkValue !== undefined ? { checkValue: o.checkValue } : {}),
  };
  return { event, ...(o.eventJson !== undefined ? { eventJson: o.eventJson } : {}) };
}

const NOTES = `
The secret comes from EVSEND_GUANCE_SECRET, guance.secret or --secret-file (never a flag value).
Guance silently ignores an event whose secret and subUri match no monitor: a 200 is not proof.`;

function registerPush(parent: Command, contextFor: ContextFactory): void {
  const shared = bulkOptions({ ndjson: true });
  const command = parent
    .command("push")
    .description("push one external event; the field rules are checked before sending")
    .addOption(
      completeAs(
        new Option(
          "--status <status>",
          `event status: ${EVENT_STATUSES.join(", ")} (required without --event-json or --ndjson)`,
        ),
        { kind: "words", words: EVENT_STATUSES },
      ),
    )
    .option("--title <text>", "event title")
    .option("--message <text|->", "event content (markdown); - reads it from stdin")
    .addOption(
      new Option(
        "--date <time>",
        "event time: ISO 8601, epoch seconds or now; default Guance's now",
      ).argParser(argParser((text) => parseEventDate(text))),
    )
    .addOption(
      new Option("--check-value <number>", "the checked value").argParser(
        argParser(parseCheckValue),
      ),
    )
    .addOption(pairOption("--tag <key=value>", "a dimension tag (repeatable)"))
    .addOption(
      pairOption(
        "--field <key=value>",
        "a user-defined top-level field, string value, name e.g. ext_team (repeatable)",
      ),
    )
    .addOption(pairOption("--extra <key=value>", "extra data, in df_meta.extra_data (repeatable)"))
    .option(
      "--event-json <json|->",
      'the whole event as JSON: {"event":{…},"extraData":{…}} or the event alone; - reads stdin',
    )
    .addOption(
      new Option(
        "--ndjson <inputs...>",
        "push many events from files, globs or - (stdin): one JSON event per line (the event, or {event, extraData}); .gz read decompressed",
      ),
    )
    .addOption(shared.exclude)
    .addOption(
      shared.rate(
        REQUESTS_PER_MINUTE_PER_KEY,
        `${REQUESTS_PER_MINUTE_PER_KEY}/min, Guance's limit per API key`,
      ),
    )
    .addOption(shared.state)
    .addOption(shared.rejects)
    .addHelpText("after", NOTES);
  addExamples(command, [
    "evsend guance push --status warning --title 'Disk almost full' --tag host=web-01 --check-value 91.5",
    "df -h / | evsend -p prod guance push --status info --title 'disk report' --message -",
    "evsend -p prod guance push --ndjson 'alerts/*.ndjson' --rate 20",
  ]);
  addConnectionOptions(command).action(async () => {
    const ctx = contextFor(command);
    const bulk = bulkFlags(command);
    if (bulk) {
      const flags = passedFieldFlags(command, ctx, guanceSpec);
      const { runGuanceBulk } = await import("./bulk.js");
      await runGuanceBulk(ctx, { ...bulk, flags });
      return;
    }
    const { event, eventJson } = eventFlags(command);
    const flags = passedFieldFlags(command, ctx, guanceSpec);
    const { runGuancePush } = await import("./push.js");
    await runGuancePush(ctx, { event, flags, ...(eventJson !== undefined ? { eventJson } : {}) });
  });
}

/** `evsend guance …`. */
export const guance: Service = {
  spec: guanceSpec,
  summary: "Guance (TrueWatch) external event monitor: push events",
  register(program, contextFor) {
    const parent = program.command("guance").description(guance.summary);
    addExamples(parent, [
      "evsend guance push --status warning --title 'Disk almost full'",
      "evsend help guance push",
    ]);
    registerPush(parent, contextFor);
  },
  secretForms: {
    // The secret of a push path, `/api/v1/push-events/<secret>/…` (the emulator's -v prints it).
    patterns: [{ pattern: /(\/push-events\/)[^/?#\s]+/gi, replacement: `$1${MASK}` }],
    headers: ["df-api-key"],
  },
  emulation: guanceEmulation,
  async checkSettings(ctx) {
    const { resolveGuanceSettings } = await import("./settings.js");
    await resolveGuanceSettings(ctx, {});
  },
};
