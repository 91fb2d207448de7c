import type { Command } from "commander";
import { Option } from "commander";
import { argParser } from "../arg-parser.js";
import type { Context } from "../context.js";
import { ExitCode, UsageError } from "../errors.js";
import { parseInteger } from "../parse.js";
import type { ContextFactory } from "../program.js";
import type { RecordedEvent } from "../emulator/types.js";

/** What `evsend emulate` was asked to do. */
export interface EmulateOptions {
  port: number;
  host: string;
  /** Accept only this Devo token (401 otherwise); any token when undefined. */
  devoToken?: string;
}

function describe(event: RecordedEvent): string {
  const where = Object.values(event.target).join(" ");
  const body = typeof event.event === "string" ? event.event : JSON.stringify(event.event);
  return `${event.service} ${event.mode} ${where}: ${body}`;
}

/** Runs the emulator until SIGINT/SIGTERM. */
export async function runEmulate(ctx: Context, options: EmulateOptions): Promise<void> {
  const { startEmulator } = await import("../emulator/server.js");
  const { services } = await import("../services/index.js");
  const { output, runtime } = ctx;
  ctx.redactor.add(options.devoToken);
  let emulator;
  try {
    emulator = await startEmulator({
      port: options.port,
      host: options.host,
      services: await Promise.all(services.map((s) => s.emulator())),
      settings: { devoToken: options.devoToken },
      onEvent: (event) => output.result(describe(event), { ...event }),
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(
      `cannot listen on ${options.host}:${options.port}: ${code ?? (error as Error).message}`,
      {
        hint:
          code === "EADDRINUSE"
            ? "pick another --port, or --port 0 for any free port"
            : "check --host and --port",
      },
    );
  }
  output.result(`listening on ${emulator.url}`, { event: "listening", url: emulator.url });
  output.info(`events recorded at ${emulator.url}/_emulator/events; stop with Ctrl-C`);
  await new Promise<void>((resolve) => {
    if (runtime.signal.aborted) resolve();
    runtime.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await emulator.close();
  output.info("emulator stopped");
  runtime.exitCode = ExitCode.interrupted;
}

/** `evsend emulate`. */
export function registerEmulate(program: Command, contextFor: ContextFactory): void {
  const command = program
    .command("emulate")
    .description(
      "a local receiver that speaks the ingestion APIs (now: Devo) — try evsend without an account",
    )
    .addOption(
      new Option("--port <n>", "port to listen on; 0 picks a free one")
        .default(4780)
        .argParser(argParser((text) => parseInteger(text, 0, 65535))),
    )
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option(
      "--devo-token <token>",
      "accept only this Devo token (401 otherwise); a test token, never printed",
    )
    .addHelpText(
      "after",
      "\nExample:\n  evsend emulate --port 0\n  curl http://127.0.0.1:<port>/_emulator/events",
    );
  command.action(async () => {
    const opts = command.opts<{ port: number; host: string; devoToken?: string }>();
    await runEmulate(contextFor(command), {
      port: opts.port,
      host: opts.host,
      ...(opts.devoToken ? { devoToken: opts.devoToken } : {}),
    });
  });
}
