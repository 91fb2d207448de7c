import { Option, type Command } from "commander";
import { argParser } from "../../cli/arg-parser.js";
import { bulkInputOptions, bulkOptions, noInputError } from "../../bulk/options.js";
import { addFieldOptions, fieldOption, passedFieldFlags } from "../../cli/field-option.js";
import { addExamples } from "../../cli/help.js";
import { parseInteger, parseSizeWithin } from "../../units.js";
import type { ContextFactory, Service } from "../types.js";
import { devoEmulation } from "./emulation.js";
import { MASK } from "../../transport/redact.js";
import { STREAM_REQUEST_LIMIT } from "./protocol.js";
import { devoSpec } from "./spec.js";

/** Defaults of `devo file`, chosen by measurement (README: Performance). */
export const DEFAULT_BATCH_BYTES = 4 * 1024 * 1024;
/** Smallest --batch-size: below it, requests are mostly overhead. */
const MIN_BATCH_BYTES = 1024;
/** Largest --batch-size typed: `32m` (32 MiB) means Devo's limit, 32,000,000 bytes (clamped). */
const MAX_BATCH_TYPED = 32 * 1024 * 1024;

/** A --batch-size: 1k to 32m; anything over Devo's request limit is that limit. */
export function parseBatchSize(text: string): number {
  return Math.min(parseSizeWithin(text, MIN_BATCH_BYTES, MAX_BATCH_TYPED), STREAM_REQUEST_LIMIT);
}

function addConnectionOptions(command: Command): Command {
  return addFieldOptions(command, devoSpec, ["endpoint", "domain", "tag", "host", "token"]);
}

function registerSend(parent: Command, contextFor: ContextFactory): void {
  const command = parent
    .command("send")
    .description("send one event (Devo event mode); 2xx means the event was accepted")
    .argument(
      "[message...]",
      "the event text (words are joined by spaces); - or none reads it from stdin",
    )
    .addOption(
      new Option("--method <get|post>", "HTTP method; the message is the query string either way")
        .choices(["get", "post"])
        .default("get"),
    );
  addExamples(command, [
    "evsend devo send --domain acme --tag my.app.test 'user logged in'",
    "echo 'disk full' | evsend -p prod devo send",
    "evsend devo send --method post --token-file ~/.config/evsend/devo.token 'deploy done'",
  ]);
  addConnectionOptions(command).action(async (words: string[]) => {
    const ctx = contextFor(command);
    const { runDevoSend } = await import("./send.js");
    await runDevoSend(ctx, {
      words,
      method: command.opts().method === "post" ? "POST" : "GET",
      flags: passedFieldFlags(command, ctx, devoSpec),
    });
  });
}

function registerFile(parent: Command, contextFor: ContextFactory): void {
  const shared = bulkOptions();
  const command = shared
    .inputs(
      parent
        .command("file")
        .description(
          "stream lines from files, globs or stdin (Devo stream mode), in batches under 32 MB",
        ),
    )
    .addOption(shared.exclude)
    .addOption(
      new Option(
        "--batch-size <size>",
        "largest uncompressed body of a request of several lines, 1k to 32m (32m: Devo's limit, " +
          "32,000,000 bytes); a longer line goes alone in its own request",
      )
        .default(DEFAULT_BATCH_BYTES, "4m")
        .argParser(argParser(parseBatchSize)),
    )
    .addOption(fieldOption(devoSpec, "gzip"))
    .addOption(
      fieldOption(devoSpec, "gzip", {
        flags: "--no-gzip",
        description: "send uncompressed even if env or profile say gzip",
      }),
    )
    .addOption(
      new Option("--gzip-level <1-9>", "gzip compression level")
        .default(6)
        .argParser(argParser((text) => parseInteger(text, 1, 9))),
    )
    .addOption(shared.concurrency("; reading pauses while all are busy"))
    .addOption(shared.state)
    .addOption(shared.rejects);
  addExamples(command, [
    "evsend -p prod devo file 'logs/*.log' --exclude '*.debug.log' --gzip",
    "zcat old.log.gz | evsend devo file -",
    "evsend devo file --tag my.app.archive --batch-size 16m old.log.gz",
  ]);
  addConnectionOptions(command).action(async (inputs: string[]) => {
    const ctx = contextFor(command);
    const opts = command.opts<{ batchSize: number; gzipLevel: number }>();
    const input = bulkInputOptions(command, inputs, () =>
      noInputError("files or globs", noInputHint(ctx.runtime.stdin.isTTY === true)),
    );
    const { runDevoFile } = await import("./file.js");
    await runDevoFile(ctx, {
      ...input,
      batchBytes: opts.batchSize,
      gzipLevel: opts.gzipLevel,
      flags: passedFieldFlags(command, ctx, devoSpec),
    });
  });
}

function noInputHint(stdinIsTerminal: boolean): string {
  return stdinIsTerminal
    ? "e.g. `evsend devo file app.log`; see `evsend devo file --help`"
    : // Not a terminal: a pipe, but also /dev/null or a closed stdin under cron and CI.
      "name the files to send, e.g. `evsend devo file app.log`; to read stdin (not a terminal here: a pipe, a file, or cron/CI), add -: `cat app.log | evsend devo file -`";
}

/** `evsend devo …`. */
export const devo: Service = {
  spec: devoSpec,
  summary: "Devo HTTP endpoint: single events and streamed files",
  register(program, contextFor) {
    const parent = program.command("devo").description(devo.summary);
    addExamples(parent, [
      "evsend devo send --domain acme --tag my.app.test 'user logged in'",
      "evsend -p prod devo file 'logs/*.log' --gzip",
      "evsend help devo file",
    ]);
    registerSend(parent, contextFor);
    registerFile(parent, contextFor);
  },
  secretForms: {
    // `token!<token>` in a URL path, raw or percent-encoded.
    patterns: [{ pattern: /token(!|%21)[^/?#\s]+/gi, replacement: `token$1${MASK}` }],
  },
  emulation: devoEmulation,
  async checkSettings(ctx) {
    const { resolveDevoSettings } = await import("./settings.js");
    await resolveDevoSettings(ctx, {});
  },
};
