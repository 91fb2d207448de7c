import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import type { Context } from "../../context.js";
import { ExitCode, InterruptedError, UsageError, exitCodeOf } from "../../errors.js";
import type { Batch, BatchEvent, BatchStats } from "../../input/batcher.js";
import type { SendOutcome } from "../../input/deliver.js";
import type { LineLedger } from "../../input/ranges.js";
import type { InputSource } from "../../input/sources.js";
import { describeError } from "../../output/output.js";
import { formatBytes, formatDuration } from "../../parse.js";
import { buildStreamRequest, interpretResponse, STREAM_REQUEST_LIMIT } from "./protocol.js";
import { resolveDevoSettings } from "./settings.js";

const gzipAsync = promisify(gzipCallback);

/** What `devo file` was asked to do. */
export interface DevoFileOptions {
  inputs: string[];
  exclude: string[];
  /** Largest uncompressed request body. */
  batchBytes: number;
  concurrency: number;
  gzipLevel: number;
  /** Connection fields (and gzip) passed as flags. */
  flags: Record<string, unknown>;
}

/** Live counters for progress and the summary. */
interface Counters {
  bytesSent: number;
  inFlight: number;
  filesDone: number;
}

/** Reads every source in order as one stream of batch events, with per-file stats. */
async function* readAll(
  sources: InputSource[],
  stdin: NodeJS.ReadableStream,
  batchBytes: number,
  stats: Map<string, BatchStats>,
  counters: Counters,
): AsyncGenerator<BatchEvent> {
  const { openSource } = await import("../../input/sources.js");
  const { batchLines } = await import("../../input/batcher.js");
  for (const source of sources) {
    const fileStats: BatchStats = { lines: 0, emptyLines: 0, bytesRead: 0, rejected: 0 };
    stats.set(source.name, fileStats);
    const chunks = await openSource(source, stdin);
    yield* batchLines(chunks, { source: source.name, maxBatchBytes: batchBytes, stats: fileStats });
    counters.filesDone += 1;
  }
}

function checkOptions(options: DevoFileOptions): void {
  if (options.batchBytes > STREAM_REQUEST_LIMIT) {
    throw new UsageError(`--batch-size ${options.batchBytes} is over Devo's 32 MB request limit`, {
      hint: "use at most 32MB (the limit counts uncompressed bytes)",
    });
  }
  if (options.batchBytes < 1024) throw new UsageError("--batch-size must be at least 1k");
}

/** Streams files, globs and stdin to Devo's stream mode, in batches, with a full account of every line. */
export async function runDevoFile(ctx: Context, options: DevoFileOptions): Promise<void> {
  checkOptions(options);
  const { output, runtime, globals } = ctx;
  const { resolveInputs } = await import("../../input/sources.js");
  const sources = await resolveInputs(options.inputs, {
    exclude: options.exclude,
    cwd: runtime.cwd,
  });
  const { target, gzip } = await resolveDevoSettings(ctx, options.flags);
  const { LineLedger } = await import("../../input/ranges.js");
  const { deliverBatches } = await import("../../input/deliver.js");
  if (sources.some((s) => s.kind === "stdin") && runtime.stdin.isTTY) {
    output.info("reading lines from the terminal; end with Ctrl-D");
  }

  const ledger = new LineLedger();
  const stats = new Map<string, BatchStats>();
  const counters: Counters = { bytesSent: 0, inFlight: 0, filesDone: 0 };
  const started = performance.now();
  const progress = await output.progress("starting…");
  const tick = setInterval(() => {
    const totals = sumStats(stats);
    const seconds = (performance.now() - started) / 1000;
    progress.update(
      `${counters.filesDone}/${sources.length} files · ${totals.lines} lines · ` +
        `${formatBytes(totals.bytesRead)} · ${formatBytes(totals.bytesRead / seconds)}/s · ${counters.inFlight} in flight`,
    );
  }, 200);
  let rejectWarnings = 0;
  let failure: Error | undefined;

  const send = async (batch: Batch): Promise<SendOutcome> => {
    counters.inFlight += 1;
    try {
      const body =
        gzip && !globals.dryRun
          ? await gzipAsync(batch.body, { level: options.gzipLevel })
          : batch.body;
      const request = buildStreamRequest(target, body, gzip);
      const lines = `${batch.source} lines ${batch.lineNumbers[0]}-${batch.lineNumbers[batch.lineNumbers.length - 1]}`;
      if (globals.dryRun) {
        output.request({
          ...request,
          note: `${batch.lineNumbers.length} lines: ${lines}${gzip ? " (gzip-compressed when sent)" : ""}`,
        });
        counters.bytesSent += body.length;
        return { ok: true };
      }
      const response = await ctx.transport().send(request);
      counters.bytesSent += body.length;
      if (response.status === 413) return { ok: false, tooLarge: true };
      interpretResponse(response);
      output.debug(`delivered ${lines} (${formatBytes(body.length)})`);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: error as Error, fatal: true };
    } finally {
      counters.inFlight -= 1;
    }
  };

  try {
    const result = await deliverBatches(
      readAll(sources, runtime.stdin, options.batchBytes, stats, counters),
      {
        concurrency: options.concurrency,
        send,
        ledger,
        signal: runtime.signal,
        onRejected: (line) => {
          rejectWarnings += 1;
          if (rejectWarnings <= 20)
            output.warn(`${line.source}:${line.lineNumber}: ${line.reason}; not sent`);
        },
      },
    );
    failure = result.firstError;
    if (runtime.signal.aborted && !failure)
      failure = new InterruptedError("interrupted: stopped reading input");
    const requests = result.requests;
    clearInterval(tick);
    progress.stop();
    report(ctx, { sources, stats, ledger, counters, requests, started, failure, gzip });
  } finally {
    clearInterval(tick);
    progress.stop();
  }
}

function sumStats(stats: Map<string, BatchStats>): BatchStats {
  const total: BatchStats = { lines: 0, emptyLines: 0, bytesRead: 0, rejected: 0 };
  for (const s of stats.values()) {
    total.lines += s.lines;
    total.emptyLines += s.emptyLines;
    total.bytesRead += s.bytesRead;
    total.rejected += s.rejected;
  }
  return total;
}

interface RunReport {
  sources: InputSource[];
  stats: Map<string, BatchStats>;
  ledger: LineLedger;
  counters: Counters;
  requests: number;
  started: number;
  failure: Error | undefined;
  gzip: boolean;
}

/** Per-file results, the summary, and the exit code. */
function report(ctx: Context, run: RunReport): void {
  const { output, globals } = ctx;
  const perFile = new Map(run.ledger.summary().map((entry) => [entry.source, entry]));
  let delivered = 0;
  let undelivered = 0;
  const notDelivered: string[] = [];
  for (const source of run.sources) {
    const entry = perFile.get(source.name);
    const stats = run.stats.get(source.name);
    const read = stats !== undefined;
    delivered += entry?.deliveredLines ?? 0;
    undelivered += (entry?.failedLines ?? 0) + (entry?.rejectedLines ?? 0);
    const unsent =
      read && entry
        ? stats.lines - entry.deliveredLines - entry.failedLines - entry.rejectedLines
        : 0;
    const status = !read
      ? "not read"
      : entry && (entry.failedLines > 0 || entry.rejectedLines > 0 || unsent > 0)
        ? entry.deliveredLines > 0
          ? "partial"
          : "failed"
        : "delivered";
    if (entry?.failed) notDelivered.push(`${source.name} lines ${entry.failed} (failed)`);
    if (entry?.rejected) notDelivered.push(`${source.name} lines ${entry.rejected} (too long)`);
    if (!read || unsent > 0) {
      notDelivered.push(`${source.name}: ${read ? `${unsent} lines after the stop` : "not read"}`);
    }
    output.result(
      globals.dryRun
        ? undefined
        : `${source.name}: ${stats?.lines ?? 0} lines, ${status}` +
            (status === "partial" ? `; delivered: lines ${entry?.delivered}` : "") +
            (entry?.failed ? `; not delivered: lines ${entry.failed}` : "") +
            (entry?.rejected ? `; too long: lines ${entry.rejected}` : ""),
      {
        file: source.name,
        status,
        lines: stats?.lines ?? 0,
        emptyLines: stats?.emptyLines ?? 0,
        bytesRead: stats?.bytesRead ?? 0,
        delivered: entry?.delivered ?? "",
        failed: entry?.failed ?? "",
        rejected: entry?.rejected ?? "",
      },
    );
  }
  const totals = sumStats(run.stats);
  const ms = performance.now() - run.started;
  const failure = run.failure;
  const exitCode =
    failure instanceof InterruptedError
      ? ExitCode.interrupted
      : failure
        ? delivered > 0
          ? ExitCode.partial
          : exitCodeOf(failure)
        : undelivered === 0
          ? ExitCode.ok
          : delivered > 0
            ? ExitCode.partial
            : ExitCode.input;
  if (failure) output.problem(failure);
  const retries = globals.dryRun ? 0 : ctx.transport().stats.retries;
  const verb = globals.dryRun ? "would send" : "sent";
  const human = [
    `${verb} ${run.sources.length} file${run.sources.length === 1 ? "" : "s"}, ${delivered} lines` +
      ` (${totals.emptyLines} empty skipped, ${totals.rejected} rejected) in ${run.requests} request${run.requests === 1 ? "" : "s"}` +
      (globals.dryRun
        ? "; dry run, nothing sent"
        : `, ${retries} retr${retries === 1 ? "y" : "ies"}`),
    `read ${formatBytes(totals.bytesRead)}, ${verb} ${formatBytes(run.counters.bytesSent)}${run.gzip ? " gzip" : ""}` +
      ` in ${formatDuration(ms)} (${formatBytes(totals.bytesRead / Math.max(ms / 1000, 0.001))}/s)`,
    ...notDelivered.map((line) => `not delivered: ${line}`),
  ];
  output.summary(
    human,
    {
      dryRun: globals.dryRun,
      files: run.sources.length,
      lines: totals.lines,
      emptyLines: totals.emptyLines,
      delivered,
      rejected: totals.rejected,
      undelivered,
      bytesRead: totals.bytesRead,
      bytesSent: run.counters.bytesSent,
      requests: run.requests,
      retries,
      durationMs: Math.round(ms),
      ...(failure ? { error: describeError(failure) } : {}),
    },
    exitCode,
  );
  ctx.runtime.exitCode = exitCode;
}
