import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import type { Context } from "../../context.js";
import type { Batch } from "../../input/batcher.js";
import type { BulkProgress } from "../../input/bulk.js";
import type { SendOutcome } from "../../input/deliver.js";
import { countSegmentLines, describeSegments } from "../../input/segments.js";
import { formatBytes } from "../../parse.js";
import { buildStreamRequest, interpretResponse } from "./protocol.js";
import { resolveDevoSettings } from "./settings.js";

// zlib's async gzip runs on libuv's thread pool, so batches in flight compress in parallel.
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

function progressText(progress: BulkProgress, files: number, inFlight: number, ms: number): string {
  let lines = 0;
  let bytes = 0;
  for (const stats of progress.stats.values()) {
    lines += stats.lines;
    bytes += stats.bytesRead;
  }
  const rate = bytes / Math.max(ms / 1000, 0.001);
  return (
    `${progress.finished.size}/${files} files · ${lines} lines · ${formatBytes(bytes)} · ` +
    `${formatBytes(rate)}/s · ${inFlight} in flight`
  );
}

/** Streams files, globs and stdin to Devo's stream mode in batches, accounting for every line. */
export async function runDevoFile(ctx: Context, options: DevoFileOptions): Promise<void> {
  // Before anything reads: `--token-file -` as well is then a usage error, not a lost input.
  if (options.inputs.includes("-")) ctx.claimStdin("the input -");
  const { output, runtime, globals } = ctx;
  const { resolveInputs } = await import("../../input/resolve-inputs.js");
  const sources = await resolveInputs(options.inputs, {
    exclude: options.exclude,
    cwd: runtime.cwd,
    onWarning: (message) => output.warn(message),
    onVerbose: (message) => output.debug(message),
  });
  const { target, gzip } = await resolveDevoSettings(ctx, options.flags);
  if (sources.some((s) => s.kind === "stdin") && runtime.stdin.isTTY) {
    output.info("reading lines from the terminal; end with Ctrl-D");
  }
  const { createBulkProgress, runBulk } = await import("../../input/bulk.js");
  const { reportBulk } = await import("../../output/bulk-report.js");

  let bytesSent = 0;
  let inFlight = 0;
  let rejectWarnings = 0;
  const send = async (batch: Batch): Promise<SendOutcome> => {
    inFlight += 1;
    try {
      const compress = gzip && !globals.dryRun;
      const body = compress
        ? await gzipAsync(batch.body, { level: options.gzipLevel })
        : batch.body;
      const request = buildStreamRequest(target, body, gzip);
      const lines = describeSegments(batch.segments);
      if (globals.dryRun) {
        output.request({
          ...request,
          note: `${countSegmentLines(batch.segments)} lines: ${lines}${gzip ? " (gzip-compressed when sent)" : ""}`,
        });
        bytesSent += body.length;
        return { ok: true };
      }
      const response = await ctx.transport().send(request);
      bytesSent += body.length;
      if (response.status === 413) {
        output.debug(`${lines}: HTTP 413, the ${formatBytes(body.length)} body is too large`);
        return { ok: false, tooLarge: true };
      }
      interpretResponse(response);
      output.debug(`delivered ${lines} (${formatBytes(body.length)})`);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: error as Error };
    } finally {
      inFlight -= 1;
    }
  };

  const started = performance.now();
  const progress = createBulkProgress();
  const spinner = await output.progress("starting…");
  const tick = setInterval(
    () =>
      spinner.update(progressText(progress, sources.length, inFlight, performance.now() - started)),
    200,
  );
  try {
    const report = await runBulk(
      {
        sources,
        stdin: runtime.stdin,
        maxBatchBytes: options.batchBytes,
        concurrency: options.concurrency,
        signal: runtime.signal,
        send,
        onRejected: (line) => {
          rejectWarnings += 1;
          if (rejectWarnings <= 20)
            output.warn(`${line.source}:${line.lineNumber}: ${line.reason}; not sent`);
          else if (rejectWarnings === 21) output.warn("more lines rejected; see the summary");
        },
        onWarning: (message) => output.warn(message),
      },
      progress,
    );
    clearInterval(tick);
    spinner.stop();
    reportBulk(output, report, {
      dryRun: globals.dryRun,
      gzip,
      bytesSent,
      retries: globals.dryRun ? 0 : ctx.transport().stats.retries,
      durationMs: performance.now() - started,
    });
    runtime.exitCode = report.exitCode;
  } finally {
    clearInterval(tick);
    spinner.stop();
  }
}
