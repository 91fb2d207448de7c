import { ExitCode, InterruptedError, exitCodeOf } from "../errors.js";
import { AckedProgress } from "./acked.js";
import type { BatchInput } from "./batch-inputs.js";
import { emptyStats, type BatchStats, type RejectedRecord } from "./batcher.js";
import { deliverBatches } from "./deliver.js";
import type { BulkEngine, Deliverable } from "./engine.js";
import { RecordLedger, type LedgerEntry } from "./ledger.js";
import { openSourceReader, type InputSource, type ResumeAt } from "../input/sources.js";
import type { ResumePoint } from "./checkpoint/checkpoints.js";

/** What a bulk run needs: inputs, and the engine that batches and sends them. */
export interface BulkOptions<B extends Deliverable> {
  sources: InputSource[];
  /** Called only for a `-` input: evaluating process.stdin opens it (and costs start-up). */
  stdin: () => NodeJS.ReadableStream;
  engine: BulkEngine<B>;
  concurrency: number;
  /** At most this many requests start per minute, evenly spaced (default: no limit). */
  ratePerMinute?: number;
  /** Aborted on Ctrl-C: stops reading, even a read that waits on a pipe. */
  signal: AbortSignal;
  onRejected(record: RejectedRecord): void;
  /** A batch the service took with a warning. */
  onWarned?(batch: B, warning: string): void;
  /**
   * A batch the service refused for good (`RejectedError`, e.g. a 400): true when its records
   * were kept (`--rejects`): they count as rejected and the run goes on. Otherwise the run stops.
   */
  onRefused?(batch: B, error: Error): boolean;
  /** Things worth telling the user that do not stop the run (e.g. an input that looks binary). */
  onWarning(message: string): void;
  /** `--state`: where each file resumes; its unterminated last line is held back. */
  resume?: Map<InputSource, ResumePoint>;
}

/** Live progress of a bulk run, updated in place. */
export interface BulkProgress {
  /** Per input, once it was opened. */
  stats: Map<InputSource, BatchStats>;
  /** Inputs read to the end. */
  finished: Set<InputSource>;
  /** What became of each record so far. */
  ledger: RecordLedger;
  /** Requests made and the size delivered so far (see deliverBatches). */
  counts: { requests: number; deliveredSize: number };
  /** What the service settled so far, in input order: what the status line counts. */
  acked: AckedProgress;
  /**
   * Per resumed input (by name): the offset this run started delivering at, and what its marks
   * count from (that offset when reading started there, 0 when it re-read from the start).
   */
  starts: Map<string, { startOffset: number; base: number }>;
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
  /** Where this run started in the input (a checkpoint's offset, or 0), in bytes as read. */
  startOffset: number;
  /** Everything before this offset was delivered (or rejected for good), in order. */
  deliveredOffset: number;
}

/** Totals of a run; `delivered` includes `warned` (both reached the service). */
export interface BulkTotals extends BatchStats {
  delivered: number;
  warned: number;
  failed: number;
  undelivered: number;
}

/** The outcome of a bulk run: per input, totals, the failure that stopped it, the exit code. */
export interface BulkReport {
  inputs: InputReport[];
  totals: BulkTotals;
  requests: number;
  /** The sum of the delivered batches' sizes (the records' weights: points, for Databoom). */
  deliveredSize: number;
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
      warn(`${name} looks binary (it holds NUL bytes); reading it line by line anyway`);
    }
    first = false;
    yield chunk;
  }
}

/** The inputs in order, each opened only when the batcher reaches it. */
function* inputsOf<B extends Deliverable>(
  options: BulkOptions<B>,
  progress: BulkProgress,
): Generator<BatchInput> {
  for (const source of options.sources) {
    const stats = emptyStats();
    progress.stats.set(source, stats);
    const point = options.resume?.get(source);
    if (point) {
      const base = options.engine.resumeBy === "offset" ? point.bytes : 0;
      progress.starts.set(source.name, { startOffset: point.bytes, base });
    }
    const opened = openSourceReader(
      source,
      options.stdin,
      options.signal,
      (bytes) => {
        stats.sourceBytes += bytes;
      },
      point && resumeAt(point, options.engine.resumeBy),
    );
    yield {
      source: source.name,
      stats,
      // The binary check looks at the first chunk only, which is always read as a chunk.
      chunks: sniffBinary(opened.chunks, source.name, options.onWarning),
      direct: opened.direct,
      onEnd: () => progress.finished.add(source),
      ...(point ? { start: { bytes: point.bytes, lines: point.lines } } : {}),
      // A compressed file is complete: it does not grow.
      ...(point && !point.identity.gzip ? { holdBack: true } : {}),
    };
  }
}

/** How the reader starts a resumed file: the identity it must have, and where it reads from. */
function resumeAt(point: ResumePoint, resumeBy: BulkEngine<Deliverable>["resumeBy"]): ResumeAt {
  const at: ResumeAt = { expectId: point.identity.id };
  if (resumeBy === "offset" && point.bytes > 0) {
    if (point.identity.gzip) at.skip = point.bytes;
    else at.position = point.bytes;
  }
  return at;
}

/** A fresh progress object to pass to `runBulk` (and read while it runs). */
export function createBulkProgress(): BulkProgress {
  return {
    stats: new Map(),
    finished: new Set(),
    ledger: new RecordLedger(),
    counts: { requests: 0, deliveredSize: 0 },
    acked: new AckedProgress(),
    starts: new Map(),
  };
}

/** Where the run stopped in an input: the line after the last one accounted for. */
function stoppedAt(entry: LedgerEntry): number {
  return entry.last + 1;
}

/**
 * Reads every input in order, batches it with the engine and delivers the batches; returns a
 * full account of every record. Never throws for a failed request or a read error: the report
 * carries it.
 */
export async function runBulk<B extends Deliverable>(
  options: BulkOptions<B>,
  progress: BulkProgress,
): Promise<BulkReport> {
  const { engine } = options;
  const result = await deliverBatches(engine.batches(inputsOf(options, progress)), {
    kind: engine.kind,
    concurrency: options.concurrency,
    send: (batch) => engine.send(batch),
    ledger: progress.ledger,
    counts: progress.counts,
    acked: progress.acked,
    signal: options.signal,
    onRejected: options.onRejected,
    ...(options.onWarned ? { onWarned: options.onWarned } : {}),
    ...(options.onRefused ? { onRefused: options.onRefused } : {}),
    ...(options.ratePerMinute ? { ratePerMinute: options.ratePerMinute } : {}),
  });
  let failure = result.firstError;
  if (!failure && options.signal.aborted) failure = new InterruptedError("interrupted");
  return summarizeBulk(options.sources, progress, failure);
}

/**
 * The account of a bulk run from its progress: at its end, or while requests are still in flight
 * (evsend forced to stop), when the records they carry count as not sent.
 */
export function summarizeBulk(
  sources: InputSource[],
  progress: BulkProgress,
  failure: Error | undefined,
): BulkReport {
  const { ledger } = progress;
  const totals: BulkTotals = {
    ...emptyStats(),
    delivered: 0,
    warned: 0,
    failed: 0,
    undelivered: 0,
  };
  const inputs = sources.map((source): InputReport => {
    const stats = progress.stats.get(source);
    const entry = ledger.entry(source.name);
    const finished = progress.finished.has(source);
    const accounted = Object.values(entry.counts).reduce((a, b) => a + b, 0);
    const read = stats?.records ?? 0;
    const notSentFrom = !finished || accounted < read ? stoppedAt(entry) : undefined;
    if (stats) {
      totals.records += stats.records;
      totals.emptyLines += stats.emptyLines;
      totals.bytesRead += stats.bytesRead;
      totals.sourceBytes += stats.sourceBytes;
      totals.rejected += entry.counts.rejected;
    }
    totals.delivered += entry.counts.delivered + entry.counts.warned;
    totals.warned += entry.counts.warned;
    totals.failed += entry.counts.failed;
    const start = progress.starts.get(source.name);
    const acked = progress.acked.inputs.get(source.name)?.bytes ?? 0;
    const startOffset = start?.startOffset ?? 0;
    const deliveredOffset = Math.max(startOffset, (start?.base ?? 0) + acked);
    return { source, stats, finished, ledger: entry, notSentFrom, startOffset, deliveredOffset };
  });
  totals.undelivered = totals.records - totals.delivered;
  const undeliveredAny = totals.undelivered > 0 || inputs.some((i) => i.notSentFrom !== undefined);
  return {
    inputs,
    totals,
    requests: progress.counts.requests,
    deliveredSize: progress.counts.deliveredSize,
    failure,
    exitCode: bulkExitCode(failure, totals.delivered, undeliveredAny),
  };
}

/**
 * 130 when interrupted; 6 when some records were delivered and some not; when none were, the
 * failure's own code (4 auth, 1 rejected, 7 unavailable, 5 input), or 5 when every record was
 * rejected (too long, invalid); 0 when everything read was delivered.
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
