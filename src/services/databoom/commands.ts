import type { Command } from "commander";
import type { Context } from "../../context.js";
import { claimSecretStdin, fieldOption } from "../../field-option.js";
import type { Service } from "../index.js";
import { databoomSpec } from "./spec.js";

/** Field key → commander attribute name of the flag that sets it. */
const FLAG_ATTRIBUTES: Record<string, string> = {
  url: "url",
  device: "device",
  token: "tokenFile",
};

/**
 * The field values the user actually passed as flags (a commander default never counts). A
 * `--token-file -` claims stdin now, before any reader starts.
 */
export function passedFlags(command: Command, ctx: Context): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  const opts = command.opts();
  for (const [key, attribute] of Object.entries(FLAG_ATTRIBUTES)) {
    if (command.getOptionValueSource(attribute) === "cli") flags[key] = opts[attribute];
  }
  claimSecretStdin(ctx, databoomSpec, flags);
  return flags;
}

/** --device, --url and --token-file, shared by push and history. */
export function addConnectionOptions(command: Command): Command {
  return command
    .addOption(
      fieldOption(
        databoomSpec,
        "device",
        "--device <token>",
        "the device token, from its page in Databoom",
      ),
    )
    .addOption(
      fieldOption(
        databoomSpec,
        "url",
        "--url <base>",
        "API base URL, for on-premise installations",
        "https://api.databoom.com/v1",
      ),
    )
    .addOption(
      fieldOption(
        databoomSpec,
        "token",
        "--token-file <path|->",
        "read the OAuth token (Publish permission) from this file; - reads it from stdin",
      ),
    );
}

function registerPush(parent: Command, contextFor: Parameters<Service["register"]>[1]): void {
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
    .option("--allow-text", "send values that are not numbers as text instead of refusing them")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  evsend databoom push --device dev-42 temperature=21.5 humidity=40\n" +
        "  evsend -p prod databoom push --date 2024-05-01T12:00:00Z power=1250",
    );
  addConnectionOptions(command).action(async (args: string[]) => {
    const ctx = contextFor(command);
    const opts = command.opts<{ date?: string; allowText?: boolean }>();
    const { runDataboomPush } = await import("./push.js");
    await runDataboomPush(ctx, {
      args,
      ...(opts.date === undefined ? {} : { date: opts.date }),
      allowText: opts.allowText === true,
      flags: passedFlags(command, ctx),
    });
  });
}

/** `evsend databoom …`. */
export const databoom: Service = {
  spec: databoomSpec,
  register(program, contextFor) {
    const parent = program
      .command("databoom")
      .description("Databoom signal push: current values, and history from CSV or NDJSON")
      .addHelpText(
        "after",
        "\nExamples:\n" +
          "  evsend databoom push --device dev-42 temperature=21.5\n" +
          "  evsend help databoom push",
      );
    registerPush(parent, contextFor);
  },
  async emulator() {
    return (await import("./emulator.js")).databoomEmulator;
  },
};
