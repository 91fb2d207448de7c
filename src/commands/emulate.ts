import type { Command } from "commander";
import { Option } from "commander";
import { argParser } from "../cli/arg-parser.js";
import { addExamples } from "../cli/help.js";
import type { Context } from "../context.js";
import { ExitCode, UsageError } from "../errors.js";
import { chaosWanted, type ChaosOptions } from "../emulator/chaos.js";
import { DEFAULT_MAX_STORED_BYTES, type StoredEvent } from "../emulator/store.js";
import { formatBytes, formatDuration, parseInteger, parseSize } from "../units.js";
import type {
  ContextFactory,
  EmulatorOptionValues,
  Service,
  ServiceEmulation,
} from "../services/types.js";
import { serviceOptions, serviceOptionValues } from "./emulate-options.js";
import { chaosOptions, chaosOptionValues, chaosStopText, describeChaos } from "./emulate-chaos.js";

/** What `evsend emulate` was asked to do. */
export interface EmulateOptions {
  port: number;
  host: string;
  /** Forget the oldest events past this many JSON bytes. */
  maxStoredBytes: number;
  /** Each service's emulation and the values of its options. */
  services: ReadonlyArray<{ emulation: ServiceEmulation; values: EmulatorOptionValues }>;
  /** Failures on purpose, in front of every API. */
  chaos: ChaosOptions;
}

/** Global options that mean something to the emulator; the others are hidden from its help and refused. */
const APPLIES = new Set(["json", "quiet", "verbose", "color"]);

function describe(event: StoredEvent): string {
  const where = Object.values(event.target).join(" ");
  const body = typeof event.event === "string" ? event.event : JSON.stringify(event.event);
  return `${event.service} ${event.mode} ${where}: ${body}`;
}

/** Why the emulator could not listen, and what to change. */
function cannotListen(options: EmulateOptions, error: unknown): UsageError {
  const code = (error as { code?: string }).code;
  return new UsageError(
    `cannot listen on ${options.host}:${options.port}: ${code ?? (error as Error).message}`,
    {
      hint:
        code === "EADDRINUSE"
          ? "pick another --port, or --port 0 for any free port"
          : "check --host and --port",
    },
  );
}

/** Runs the emulator until SIGINT/SIGTERM. */
export async function runEmulate(ctx: Context, options: EmulateOptions): Promise<void> {
  const { startEmulator } = await import("../emulator/server.js");
  const { createChaos } = await import("../emulator/chaos.js");
  const chaos = chaosWanted(options.chaos) ? createChaos(options.chaos) : undefined;
  const { output, runtime } = ctx;
  for (const { emulation, values } of options.services) {
    for (const option of emulation.options) {
      if (option.kind === "secret") ctx.redactor.add(values.text(option));
    }
  }
  // In order: a service's config file that cannot be read stops the run before any listens.
  const routes = [];
  for (const { emulation, values } of options.services) routes.push(await emulation.start(values));
  let received = 0;
  let forgotten = 0;
  let emulator;
  try {
    emulator = await startEmulator({
      port: options.port,
      host: options.host,
      routes,
      maxStoredBytes: options.maxStoredBytes,
      ...(chaos ? { chaos } : {}),
      // The output layer masks the token in the path, as in every URL evsend prints.
      onRequest: (r) =>
        output.debug(`${r.method} ${r.path} → ${r.status} (${formatDuration(r.ms)})`),
      onEvent: (event) => {
        received += 1;
        // Through the output layer only: it escapes control characters the sender put in events.
        output.result(describe(event), { ...event });
      },
      onDropped: (count) => {
        if (forgotten === 0) {
          output.warn(
            `the emulator keeps at most ${formatBytes(options.maxStoredBytes)} of events: ` +
              "forgetting the oldest (GET /_emulator/events counts them as dropped; see --max-stored)",
          );
        }
        forgotten += count;
      },
    });
  } catch (error) {
    throw cannotListen(options, error);
  }
  // The address is the command's output (with --port 0, the only way to learn the port): shown
  // with --quiet too.
  output.result(
    `listening on ${emulator.url}`,
    { event: "listening", url: emulator.url },
    { whenQuiet: true },
  );
  output.info(`events recorded at ${emulator.url}/_emulator/events; stop with Ctrl-C`);
  if (chaos) output.info(describeChaos(options.chaos));
  await new Promise<void>((resolve) => {
    if (runtime.signal.aborted) resolve();
    runtime.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await emulator.close();
  output.info(
    `emulator stopped: ${received} event${received === 1 ? "" : "s"} received` +
      (forgotten ? `, ${forgotten} of them forgotten to stay under --max-stored` : "") +
      (chaos ? chaosStopText(chaos.counts) : ""),
  );
  // With --json the last line is always a summary, here too.
  output.summary(
    [],
    {
      received,
      dropped: forgotten,
      ...(chaos
        ? { failedOnPurpose: chaos.counts.failed, droppedOnPurpose: chaos.counts.dropped }
        : {}),
    },
    ExitCode.interrupted,
  );
  runtime.exitCode = ExitCode.interrupted;
}

function parseStoreSize(text: string): number {
  const bytes = parseSize(text);
  if (bytes < 1) throw new Error(`"${text}" keeps nothing; use e.g. 64m`);
  return bytes;
}

/** Global options given on the command line that the emulator would silently ignore. */
function inapplicable(command: Command): string[] {
  const root = command.parent;
  if (!root) return [];
  return root.options
    .filter((o) => !APPLIES.has(o.attributeName()))
    .filter((o) => root.getOptionValueSource(o.attributeName()) === "cli")
    .map((o) => o.long ?? o.flags);
}

/** `emulate`'s summary: what help says of it. */
function emulateSummary(services: readonly Service[]): string {
  const titles = services.map((s) => s.spec.title);
  const names =
    titles.length === 1
      ? `${titles[0]} API`
      : `${titles.slice(0, -1).join(", ")} and ${titles.at(-1)} APIs`;
  return (
    `a local receiver that speaks the ${names} on one port, prints and records what it ` +
    "receives — try evsend, or test a pipeline, without an account"
  );
}

/**
 * `emulate` as the root help lists it (`emulate [options]` and its summary), for a run that shows
 * only that help: no options are built (program.ts).
 */
export function listEmulate(program: Command, services: readonly Service[]): Command {
  return program.command("emulate").usage("[options]").description(emulateSummary(services));
}

/** `evsend emulate`, with every service's emulator and options. */
export function registerEmulate(
  program: Command,
  contextFor: ContextFactory,
  services: readonly Service[],
): void {
  const command = listEmulate(program, services);
  command
    .addOption(
      new Option("--port <n>", "TCP port to listen on; 0 picks a free one and prints it")
        .default(4780)
        .argParser(argParser((text) => parseInteger(text, 0, 65535))),
    )
    .addOption(
      new Option(
        "--host <address>",
        "address to listen on; 0.0.0.0 or :: also accepts other machines",
      ).default("127.0.0.1", "127.0.0.1"),
    );
  addEmulatorOptions(command, services);
  command.action(async () => {
    const refused = inapplicable(command);
    if (refused.length) {
      throw new UsageError(`${refused.join(", ")} does not apply to evsend emulate`, {
        hint: "run `evsend emulate --help` for its options",
      });
    }
    const opts = command.opts<{ port: number; host: string; maxStored: number }>();
    const chaos = chaosOptionValues(command);
    const values = serviceOptionValues(command);
    await runEmulate(contextFor(command), {
      port: opts.port,
      host: opts.host,
      maxStoredBytes: opts.maxStored,
      services: services.map(({ emulation }) => ({ emulation, values })),
      chaos,
    });
  });
}

/** The emulator's options past where it listens: the services', failures on purpose, the store; its help. */
function addEmulatorOptions(command: Command, services: readonly Service[]): void {
  for (const option of serviceOptions(services)) command.addOption(option);
  for (const option of chaosOptions()) command.addOption(option);
  command
    .addOption(
      new Option(
        "--max-stored <size>",
        "bytes of events (as JSON) kept for GET /_emulator/events; the oldest are forgotten first",
      )
        .default(DEFAULT_MAX_STORED_BYTES, "64m")
        .argParser(argParser(parseStoreSize)),
    )
    .addHelpText(
      "after",
      "\nEndpoints besides the APIs:\n" +
        "  GET /_emulator/events?after=<seq>&limit=<n>   recorded events, oldest first, a page at a time\n" +
        "  DELETE /_emulator/events                      forget them",
    );
  addExamples(command, [
    "evsend emulate --port 0    # any free port; prints it",
    "evsend --json emulate --port 0 --max-stored 16m",
    "curl -fsS 'http://127.0.0.1:4780/_emulator/events?limit=100'",
  ]);
  command.configureHelp({
    ...command.configureHelp(),
    visibleGlobalOptions: (cmd: Command) =>
      (cmd.parent?.options ?? []).filter((o) => !o.hidden && APPLIES.has(o.attributeName())),
  });
}
