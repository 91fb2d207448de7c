import { Option, type Command } from "commander";
import { argParser } from "../../arg-parser.js";
import { parseInteger, parseSize } from "../../parse.js";
import type { Service } from "../index.js";
import { DEVO_REGIONS } from "./protocol.js";
import { devoSpec } from "./spec.js";

/** Defaults of `devo file`, chosen by measurement (README: Performance). */
export const DEFAULT_BATCH_BYTES = 4 * 1024 * 1024;
export const DEFAULT_CONCURRENCY = 4;

/** Field key → commander attribute name of the flag that sets it. */
const FLAG_ATTRIBUTES: Record<string, string> = {
  endpoint: "endpoint",
  domain: "domain",
  tag: "tag",
  host: "host",
  token: "tokenFile",
  gzip: "gzip",
};

/** The field values the user actually passed as flags (a commander default never counts). */
export function passedFlags(command: Command): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  const opts = command.opts();
  for (const [key, attribute] of Object.entries(FLAG_ATTRIBUTES)) {
    if (command.getOptionValueSource(attribute) === "cli") flags[key] = opts[attribute];
  }
  return flags;
}

function addConnectionOptions(command: Command): Command {
  return command
    .option(
      "--endpoint <region|url>",
      `${Object.keys(DEVO_REGIONS).join(", ")}, or a base URL (default: us)`,
    )
    .option("--domain <domain>", "Devo domain (env EVSEND_DEVO_DOMAIN, profile devo.domain)")
    .option("--tag <tag>", "Devo tag, e.g. my.app.web.access (env EVSEND_DEVO_TAG)")
    .option("--host <name>", "sending host name (default: this machine's hostname)")
    .option(
      "--token-file <path|->",
      "read the token from a file, - for stdin (env EVSEND_DEVO_TOKEN, profile devo.token)",
    );
}

function registerSend(parent: Command, contextFor: Parameters<Service["register"]>[1]): void {
  const command = parent
    .command("send")
    .description("send one event (Devo event mode); 2xx means the event was accepted")
    .argument("[message...]", "the event text (words are joined by spaces); default: stdin")
    .addOption(
      new Option("--method <get|post>", "HTTP method; the message is the query string either way")
        .choices(["get", "post"])
        .default("get"),
    )
    .addHelpText(
      "after",
      "\nExamples:\n  evsend devo send --domain acme --tag my.app.test 'user logged in'\n  echo 'disk full' | evsend -p prod devo send",
    );
  addConnectionOptions(command).action(async (words: string[]) => {
    const ctx = contextFor(command);
    const { runDevoSend } = await import("./send.js");
    await runDevoSend(ctx, {
      words,
      method: command.opts().method === "post" ? "POST" : "GET",
      flags: passedFlags(command),
    });
  });
}

function registerFile(parent: Command, contextFor: Parameters<Service["register"]>[1]): void {
  const command = parent
    .command("file")
    .description(
      "stream lines from files, globs or stdin (Devo stream mode), in batches under 32 MB",
    )
    .argument(
      "<inputs...>",
      "files, globs (quote them) or - for stdin; .gz files are read decompressed",
    )
    .option("--exclude <glob>", "leave out files matching this glob (repeatable)", collect, [])
    .addOption(
      new Option("--batch-size <size>", "largest uncompressed request body, at most 32MB")
        .default(DEFAULT_BATCH_BYTES, "4m")
        .argParser(argParser(parseSize)),
    )
    .option("--gzip", "gzip-compress request bodies (profile devo.gzip)")
    .option("--no-gzip", "send uncompressed even when the profile says gzip")
    .addOption(
      new Option("--gzip-level <1-9>", "gzip compression level")
        .default(6)
        .argParser(argParser((text) => parseInteger(text, 1, 9))),
    )
    .addOption(
      new Option("--concurrency <n>", "requests in flight; reading pauses while they are")
        .default(DEFAULT_CONCURRENCY)
        .argParser(argParser((text) => parseInteger(text, 1, 64))),
    )
    .addHelpText(
      "after",
      "\nExamples:\n  evsend -p prod devo file 'logs/*.log' --exclude '*.debug.log' --gzip\n  zcat old.log.gz | evsend devo file -",
    );
  addConnectionOptions(command).action(async (inputs: string[]) => {
    const ctx = contextFor(command);
    const opts = command.opts<{
      exclude: string[];
      batchSize: number;
      gzipLevel: number;
      concurrency: number;
    }>();
    const { runDevoFile } = await import("./file.js");
    await runDevoFile(ctx, {
      inputs,
      exclude: opts.exclude,
      batchBytes: opts.batchSize,
      gzipLevel: opts.gzipLevel,
      concurrency: opts.concurrency,
      flags: passedFlags(command),
    });
  });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `evsend devo …`. */
export const devo: Service = {
  spec: devoSpec,
  register(program, contextFor) {
    const parent = program
      .command("devo")
      .description("Devo HTTP endpoint: single events and streamed files");
    registerSend(parent, contextFor);
    registerFile(parent, contextFor);
  },
  async emulator() {
    return (await import("./emulator.js")).devoEmulator;
  },
};
