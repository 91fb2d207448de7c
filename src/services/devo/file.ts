import { promisify } from "node:util";
import type { Context } from "../../context.js";
import type { BatchAdapter } from "../../bulk/batch-adapter.js";
import type { Batch } from "../../bulk/batcher.js";
import type { BulkInputOptions } from "../../bulk/run-bulk-command.js";
import { countSegmentRecords, describeSegments } from "../../bulk/segments.js";
import { formatBytes } from "../../units.js";
import {
  buildStreamRequest,
  interpretResponse,
  STREAM_REQUEST_LIMIT,
  type DevoTarget,
} from "./protocol.js";
import { resolveDevoSettings } from "./settings.js";

/**
 * zlib's async gzip, which runs on libuv's thread pool, so batches in flight compress in
 * parallel. node:zlib is loaded by the first batch compressed, not by every run.
 *
 * Its output comes back in chunks of `chunkSize`, each a hop from the pool to the main thread and
 * back before zlib goes on: 16 KiB by default, ~35 hops for a 4 MiB batch of log lines (~560 KB
 * compressed). One MiB makes it one or two; the bytes are the same.
 */
const GZIP_CHUNK_BYTES = 1024 * 1024;
let gzipAsync:
  ((body: Buffer, options: { level: number; chunkSize: number }) => Promise<Buffer>) | undefined;
async function gzipBody(body: Buffer, level: number): Promise<Buffer> {
  gzipAsync ??= promisify((await import("node:zlib")).gzip);
  return gzipAsync(body, { level, chunkSize: GZIP_CHUNK_BYTES });
}

/** What `devo file` was asked to do. */
export interface DevoFileOptions extends BulkInputOptions {
  /** Largest uncompressed body of a batch of several lines. */
  batchBytes: number;
  gzipLevel: number;
  /** Connection fields (and gzip) passed as flags. */
  flags: Record<string, unknown>;
}

/** Devo's part of a bulk run: one batch of raw lines → one stream-mode request. */
function devoAdapter(
  ctx: Context,
  dryRun: boolean,
  target: DevoTarget,
  gzip: boolean,
  gzipLevel: number,
): BatchAdapter<Batch> {
  const { output } = ctx;
  const bodySize = (built: { request: { body?: Buffer | string } }): string =>
    formatBytes(Buffer.byteLength(built.request.body ?? ""));
  return {
    async build(batch) {
      const compress = gzip && !dryRun;
      const body = compress ? await gzipBody(batch.body, gzipLevel) : batch.body;
      const lines = describeSegments(batch.segments);
      return {
        request: buildStreamRequest(target, body, gzip),
        note: `${countSegmentRecords(batch.segments)} lines: ${lines}${gzip ? " (gzip-compressed when sent)" : ""}`,
      };
    },
    halveOn413: true,
    onTooLarge(batch, built) {
      const lines = describeSegments(batch.segments);
      output.debug(`${lines}: HTTP 413, the ${bodySize(built)} body is too large`);
    },
    interpret(response, batch, built) {
      interpretResponse(response);
      output.debug(`delivered ${describeSegments(batch.segments)} (${bodySize(built)})`);
    },
  };
}

/**
 * Streams files, globs and stdin to Devo's stream mode in batches, accounting for every line: the
 * shared bulk engine with Devo's zero-copy line batcher. A line longer than the batch size goes
 * alone in its own request, up to Devo's request limit.
 */
export async function runDevoFile(ctx: Context, options: DevoFileOptions): Promise<void> {
  const { runBulkEngine } = await import("../../bulk/run-bulk-command.js");
  const { lineEngine } = await import("../../bulk/line-engine.js");
  await runBulkEngine(ctx, options, async (requests) => {
    const { target, gzip } = await resolveDevoSettings(ctx, options.flags);
    return {
      engine: lineEngine({ maxBatchBytes: options.batchBytes, hardBytes: STREAM_REQUEST_LIMIT }),
      send: devoAdapter(ctx, requests.dryRun, target, gzip, options.gzipLevel),
      words: { record: "line", records: "lines" },
      gzip,
    };
  });
}
