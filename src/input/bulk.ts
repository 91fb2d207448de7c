import { ExitCode, InterruptedError, exitCodeOf } from "../errors.js";
import {
  batchInputs,
  emptyStats,
  type Batch,
  type BatchInput,
  type BatchStats,
  type RejectedLine,
} from "./batcher.js";
import { deliverBatches, type SendOutcome } from "./deliver.js";
import { BufferPool } from "./pool.js";
import { LineLedger, type LedgerEntry } from "./ranges.js";
import { openSource, type InputSource } from "./sources.js";

/** What a bulk run needs: inputs, batching, and a service-specific way to send one batch. */
export interface BulkOptions {
  sources: InputSource[];
  stdin: NodeJS.ReadableStream;
  maxBatchBytes: number;
  concurrency: number;
  /** Aborted on Ctrl-C: stops reading, even a read that waits on a pipe. */
  signal: AbortSignal;
  send(batch: Batch): Promise<SendOutcome>;
  onRejected(line: RejectedLine): void;
  /** Things worth telling the user that do not stop the run (e.g. an input that looks binary). */
  onWarning(message: string): void;
}

/** Live progress of a bulk run, updated in place. */
export interface BulkProgress {
  /** Per input, once it was opened. */
  stats: Map<InputSource, BatchStats>;
  /** Inputs read to the end. */
  finished: Set<InputSource>;
}

/** One input's outcome. */
export interface InputReport {
  source: InputSource;
  /** Undefined when the input was never opened (the run stopped before it). */
  stats: BatchStats | undefined;
  finished: boolean;
  ledger: LedgerEntry;
  /** Lines read or never read that were not delivered, rejected or failed: the run stopped. */
  notSentFrom: number | undefined;
}

/** The outcome of a bulk run: per input, totals, the failure that stopped it, the exit code. */
export interface BulkReport {
  inputs: InputReport[];
  totals: BatchStats & { delivered: number; failed: number; undelivered: number };
  requests: number;
  failure: Error | undefined;
  exitCode: number;
}

/** Passes chunks through; warns once when the start of the input holds NUL bytes. */
async function* sniffBinary(
  chunks: AsyncIterable<Buffer>,
  name: string,
  warn: (message: string) => void,
): AsyncGenerator<Buffer> {
  let first = true;
  for await (const chunk of chunks) {
    if (first && chunk.subarray(0, 8192).includes(0)) {
      warn(`${name} looks binary (it holds NUL bytes); sending it line by line, byte for byte`);
    }
    first = false;
    yield chunk;
  }
}

/** The inputs in order, each opened only when the batcher reaches it. */
function* inputsOf(options: BulkOptions, progress: BulkProgress): Generator<BatchInput> {
  for (const source of options.sources) {
    const stats = emptyStats();
    progress.stats.set(source, stats);
    const opened = openSource(source, options.stdin, options.signal);
    yield {
      source: source.name,
      stats,
      chunks: sniffBinary(opened, source.name, options.onWarning),
      onEnd: () => progress.finished.add(source),
    };
  }
}

/** A fresh progress object to pass to `runBulk` (and read while it runs). */
export function createBulkProgress(): BulkProgress {
  return { stats: new Map(), finished: new Set() };
}

/**
 * Reads every input in order, batches its lines and delivers the batches; returns a full account
 * of every line. Never throws for a failed request or a read error: the report carries it.
 */
export async function runBulk(options: BulkOptions, progress: BulkProgress): Promise<BulkReport> {
  const ledger = new LineLedger();
  const events = batchInputs(inputsOf(options, progress), {
    maxBatchBytes: options.maxBatchBytes,
    pool: new BufferPool(options.maxBatchBytes),
  });
  const result = await deliverBatches(events, {
    concurrency: options.concurrency,
    maxBatchBytes: options.maxBatchBytes,
    send: options.send,
    ledger,
    signal: options.signal,
    onRejected: options.onRejected,
  });
  let failure = result.firstError;
  if (!failure && options.signal.aborted) failure = new InterruptedError("interrupted");

  const totals = { ...emptyStats(), delivered: 0, failed: 0, undelivered: 0 };
  const inputs = options.sources.map((source): InputReport => {
    const stats = progress.stats.get(source);
    const entry = ledger.entry(source.name);
    const finished = progress.finished.has(source);
    const accounted = Object.values(entry.counts).reduce((a, b) => a + b, 0);
    const read = stats?.lines ?? 0;
    let notSentFrom: number | undefined;
    if (!finished || accounted < read) {
      const lastAccounted = Math.max(
        0,
        ...Object.values(entry.ranges)
          .flat()
          .map((r) => r[1]),
      );
      notSentFrom = lastAccounted + 1;
    }
    if (stats) {
      totals.lines += stats.lines;
      totals.emptyLines += stats.emptyLines;
      totals.bytesRead += stats.bytesRead;
      totals.rejected += entry.counts.rejected;
    }
    totals.delivered += entry.counts.delivered;
    totals.failed += entry.counts.failed;
    return { source, stats, finished, ledger: entry, notSentFrom };
  });
  totals.undelivered = totals.lines - totals.delivered;
  const undeliveredAny = totals.undelivered > 0 || inputs.some((i) => i.notSentFrom !== undefined);
  return {
    inputs,
    totals,
    requests: result.requests,
    failure,
    exitCode: bulkExitCode(failure, totals.delivered, undeliveredAny),
  };
}

/**
 * 130 when interrupted; 6 when some lines were delivered and some not; when none were, the
 * failure's own code (4 auth, 1 rejected, 7 unavailable, 5 input), or 5 when every line was
 * rejected as too long; 0 when everything read was delivered.
 */
export function bulkExitCode(
  failure: Error | undefined,
  delivered: number,
  undelivered: boolean,
): number {
  if (failure instanceof InterruptedError) return ExitCode.interrupted;
  if (!failure && !undelivered) return ExitCode.ok;
  if (delivered > 0) return ExitCode.partial;
  return failure ? exitCodeOf(failure) : ExitCode.input;
}
