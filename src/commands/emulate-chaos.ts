import { Option, type Command } from "commander";
import { argParser } from "../cli/arg-parser.js";
import { UsageError } from "../errors.js";
import { parseFraction, parseStatuses, type ChaosOptions } from "../emulator/chaos.js";
import { formatDuration, parseDuration, parseInteger } from "../units.js";

/** The line that says the emulator misbehaves on purpose, with the seed to reproduce it. */
export function describeChaos(chaos: ChaosOptions): string {
  const parts = [];
  if (chaos.failRate > 0) {
    parts.push(
      `fails ${Math.round(chaos.failRate * 1000) / 10}% of requests with ${chaos.failStatuses.join("/")}` +
        (chaos.retryAfterSeconds === undefined ? "" : ` (Retry-After: ${chaos.retryAfterSeconds})`),
    );
  }
  if (chaos.dropRate > 0) {
    parts.push(`drops ${Math.round(chaos.dropRate * 1000) / 10}% of connections`);
  }
  if (chaos.latencyMs > 0) parts.push(`answers after ${formatDuration(chaos.latencyMs)}`);
  return `on purpose: ${parts.join(", ")}; --seed ${chaos.seed} repeats this run's choices`;
}

/** The chaos options of `evsend emulate`, in help's order. */
export function chaosOptions(): Option[] {
  return [
    new Option(
      "--fail-rate <rate>",
      "answer this share of API requests with an error instead (0.3 or 30%)",
    )
      .default(0, "0")
      .argParser(argParser(parseFraction)),
    new Option("--fail-status <codes>", "statuses for --fail-rate, one picked at random each time")
      .default([503], "503")
      .argParser(argParser(parseStatuses)),
    new Option(
      "--drop-rate <rate>",
      "destroy the connection of this share of API requests, without an answer",
    )
      .default(0, "0")
      .argParser(argParser(parseFraction)),
    new Option("--latency <duration>", "wait this long before answering each API request")
      .default(0, "0")
      .argParser(argParser(parseDuration)),
    new Option("--retry-after <seconds>", "send Retry-After with each --fail-rate error").argParser(
      argParser((text) => parseInteger(text, 0, 3600)),
    ),
    new Option(
      "--seed <n>",
      "seed of the random choices, to repeat a run exactly (default: random, printed)",
    ).argParser(argParser((text) => parseInteger(text, 0, 2 ** 32 - 1))),
  ];
}

/** The chaos options' values as the emulator takes them; a random seed when none was given. */
export function chaosOptionValues(command: Command): ChaosOptions {
  const opts = command.opts<{
    failRate: number;
    failStatus: number[];
    dropRate: number;
    latency: number;
    retryAfter?: number;
    seed?: number;
  }>();
  if (opts.failRate + opts.dropRate > 1) {
    throw new UsageError("--fail-rate and --drop-rate add up to more than 1", {
      hint: "together they are the share of requests that go wrong; keep their sum at most 1",
    });
  }
  return {
    failRate: opts.failRate,
    failStatuses: opts.failStatus,
    dropRate: opts.dropRate,
    latencyMs: opts.latency,
    ...(opts.retryAfter === undefined ? {} : { retryAfterSeconds: opts.retryAfter }),
    seed: opts.seed ?? Math.floor(Math.random() * 2 ** 32),
  };
}

/** What the stop line adds about failures on purpose: `; on purpose: 3 requests failed, …`. */
export function chaosStopText(counts: { failed: number; dropped: number }): string {
  const { failed, dropped } = counts;
  return (
    `; on purpose: ${failed} request${failed === 1 ? "" : "s"} failed, ` +
    `${dropped} connection${dropped === 1 ? "" : "s"} dropped`
  );
}
