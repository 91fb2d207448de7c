import { now } from "../clock.js";
import { formatBulkProgress } from "../output/progress.js";
import type { Context } from "../context.js";
import type { RejectedRecord } from "./batcher.js";
import type { BulkOptions, BulkProgress, BulkReport } from "./bulk.js";
import { batchSender, type BatchSend, type BulkRequests } from "./batch-adapter.js";
import type { BatchSource, BulkEngine, Deliverable } from "./engine.js";
import type { BulkCounter, BulkSpec, BulkWords } from "./records.js";
import { describeSegments } from "./segments.js";
import type { InputSource } from "../input/sources.js";
import type { ResumePoint } from "./checkpoint/checkpoints.js";
import {
  deliveryFacts,
  followInputs,
  openDeliveryFiles,
  refuseStdin,
  resumePoints,
  withRejects,
  type DeliveryFiles,
} from "./delivery-files.js";

/** How many rejected records (and warned batches) are told one by one; the rest are counted. */
const SHOWN = 20;

export type { BulkRequests } from "./batch-adapter.js";

/** The pieces of a bulk run that a service provides. */
export interface BulkSetup<B extends Deliverable> {
  engine: BatchSource<B>;
  /** How a batch is sent (through the runner's `BulkRequests`). */
  send: BatchSend<B>;
  words: BulkWords;
  gzip?: boolean;
  counters?(): BulkCounter[];
}

/** What every bulk command takes besides its service part. */
export interface BulkInputOptions {
  /** Paths, globs and `-`. */
  inputs: string[];
  exclude: string[];
  /** Requests in flight at most. */
  concurrency: number;
  /** At most this many requests start per minute, evenly spaced (Guance); default no limit. */
  ratePerMinute?: number;
  /** `--state`: the checkpoints file (relative to the working directory). */
  state?: string;
  /** `--rejects`: where records that cannot be delivered are appended. */
  rejects?: string;
  /** `--follow`: keep reading what is appended, in passes (see follow.ts). */
  follow?: { flushIntervalMs: number; idleTimeoutMs?: number };
}

/** What the runner takes besides the service part: the shared options, and a check of the inputs. */
export interface BulkRunOptions extends BulkInputOptions {
  /**
   * Checks the inputs the globs expanded to before anything is told or read (e.g. that each
   * one's format is known); what it throws stops the run with no other message.
   */
  checkSources?(sources: InputSource[]): void;
}

/** A record-based bulk command: the shared options and the service's spec. */
export interface BulkCommandOptions<V> extends BulkRunOptions {
  /**
   * The service's part; or a function that makes it once the inputs were checked (resolve the
   * settings there: an unusable input is then reported before a missing credential), given the
   * `BulkRequests` to send through.
   */
  spec: BulkSpec<V> | ((requests: BulkRequests) => BulkSpec<V> | Promise<BulkSpec<V>>);
}

/** A record-based bulk command (`databoom history`, `… --ndjson`): see `runBulkEngine`. */
export async function runBulkCommand<V>(
  ctx: Context,
  options: BulkCommandOptions<V>,
): Promise<void> {
  const { recordEngine } = await import("./record-batcher.js");
  // A record run allocates fast and keeps little: V8's heap held near that (heap-limit.ts).
  const restoreHeap = await ctx.runtime.limitHeap?.();
  try {
    await runBulkEngine(ctx, options, async (requests) => {
      const spec = typeof options.spec === "function" ? await options.spec(requests) : options.spec;
      return {
        engine: recordEngine(spec),
        send: spec,
        words: spec.words,
        ...(spec.gzip !== undefined ? { gzip: spec.gzip } : {}),
        ...(spec.counters ? { counters: () => spec.counters?.() ?? [] } : {}),
      };
    });
  } finally {
    restoreHeap?.();
  }
}

/** Claims stdin for `-`, expands the globs and checks the inputs before anything is read. */
async function inputSources(ctx: Context, options: BulkRunOptions): Promise<InputSource[]> {
  // Before anything reads: `--token-file -` as well is then a usage error, not a lost input.
  if (options.inputs.includes("-")) ctx.claimStdin("the input -");
  const { output, runtime } = ctx;
  const { resolveInputs } = await import("../input/resolve-inputs.js");
  // What expanding the globs tells waits for the check, which may refuse the inputs first.
  const told: Array<() => void> = [];
  const tell = (say: (message: string) => void) => (message: string) =>
    options.checkSources ? told.push(() => say(message)) : say(message);
  const sources = await resolveInputs(options.inputs, {
    exclude: options.exclude,
    cwd: runtime.cwd,
    onWarning: tell((message) => output.warn(message)),
    onVerbose: tell((message) => output.debug(message)),
  });
  options.checkSources?.(sources);
  for (const say of told) say();
  return sources;
}

/** The `BulkRequests` of a run, and the body bytes sent (or shown, in --dry-run) so far. */
function countingRequests(ctx: Context): { requests: BulkRequests; bytesSent(): number } {
  const { output, globals } = ctx;
  let bytesSent = 0;
  const requests: BulkRequests = {
    dryRun: globals.dryRun,
    async send(request, note, sendOptions) {
      const size = request.body === undefined ? 0 : Buffer.byteLength(request.body);
      if (globals.dryRun) {
        output.request({ ...request, note });
        bytesSent += size;
        return undefined;
      }
      const response = await ctx.transport().send(request, sendOptions);
      bytesSent += size;
      return response;
    },
  };
  return { requests, bytesSent: () => bytesSent };
}

/** Tells the first rejected records and warned batches one by one, then only that there are more. */
function tellers<B extends Deliverable>(
  output: Context["output"],
  words: BulkWords,
): Pick<BulkOptions<B>, "onRejected" | "onWarned"> {
  let rejects = 0;
  let warned = 0;
  return {
    onRejected(record: RejectedRecord): void {
      rejects += 1;
      if (rejects <= SHOWN)
        output.warn(`${record.source}:${record.lineNumber}: ${record.reason}; not sent`);
      else if (rejects === SHOWN + 1)
        output.warn(`more ${words.records} rejected; see the summary`);
    },
    onWarned(batch: B, warning: string): void {
      warned += 1;
      if (warned <= SHOWN)
        output.warn(`${describeSegments(batch.segments)}: delivered, but ${warning}`);
      else if (warned === SHOWN + 1) output.warn("more warnings; see the summary");
    },
  };
}

/** The status line: what the service settled, not what was read ahead of a slow service. */
function statusText(
  sources: InputSource[],
  progress: BulkProgress,
  words: BulkWords,
  started: number,
  inFlight: () => number,
): () => string {
  const sizes = sources.map((s) => s.size);
  const totalBytes = sizes.every((s) => s !== undefined)
    ? sizes.reduce<number>((a, b) => a + (b ?? 0), 0)
    : undefined;
  return () => {
    let finishedFiles = 0;
    let bytesDone = 0;
    let storedDone = 0;
    for (const input of progress.acked.inputs.values()) {
      if (input.ended) finishedFiles += 1;
      bytesDone += input.bytes;
      storedDone += input.stored;
    }
    return formatBulkProgress({
      files: sources.length,
      finishedFiles,
      records: progress.acked.records,
      recordsWord: words.records,
      bytesDone,
      storedDone,
      totalBytes,
      elapsedMs: now() - started,
      inFlight: inFlight(),
    });
  };
}

/**
 * Everything a bulk command does around its service part: claims stdin for `-`, checks every
 * input before the first byte is sent, opens `--state` and `--rejects`, notes a terminal on
 * stdin, shows progress, runs the engine (once, or in passes with `--follow`), tells the first
 * rejected records and warnings, reports every input and the summary, and sets the exit code.
 */
export async function runBulkEngine<B extends Deliverable>(
  ctx: Context,
  options: BulkRunOptions,
  setup: (requests: BulkRequests) => Promise<BulkSetup<B>>,
): Promise<void> {
  refuseStdin(options);
  const sources = await inputSources(ctx, options);
  const files = await openDeliveryFiles(ctx, options);
  try {
    await runEngine(ctx, options, sources, setup, files);
  } finally {
    await files.close();
  }
}

/** Reports a run's files (and its summary, unless `summary` is false) with the run's facts. */
async function bulkReporter<B extends Deliverable>(
  ctx: Context,
  options: BulkRunOptions,
  service: BulkSetup<B>,
  delivery: DeliveryFiles,
  bytesSent: () => number,
): Promise<(result: BulkReport, summary?: boolean, files?: number) => void> {
  const { reportBulk } = await import("../output/bulk-report.js");
  const { output, globals } = ctx;
  const started = now();
  return (result, summary = true, files) => {
    // Every HTTP request the run made (a token request, an event sent again with a new token),
    // not only one per batch; a retry after a network error, 429 or 5xx counts as a retry. (A
    // service that sends without the transport, as in tests, keeps the per-batch count.)
    const stats = globals.dryRun ? undefined : ctx.transport().stats;
    if (summary && stats && stats.requests > 0) result.requests = stats.requests - stats.retries;
    reportBulk(output, result, {
      dryRun: globals.dryRun,
      gzip: service.gzip ?? false,
      bytesSent: bytesSent(),
      retries: stats?.retries ?? 0,
      durationMs: now() - started,
      words: service.words,
      ...(service.counters ? { counters: service.counters() } : {}),
      ...deliveryFacts(options, delivery),
      summary,
      ...(files !== undefined ? { files } : {}),
    });
  };
}

/** The service's engine, sending through `send`, and how many of its requests are in flight. */
function countingInFlight<B extends Deliverable>(
  engine: BatchSource<B>,
  send: BulkEngine<B>["send"],
): { engine: BulkEngine<B>; inFlight: () => number } {
  let inFlight = 0;
  return {
    engine: {
      ...engine,
      async send(batch) {
        inFlight += 1;
        try {
          return await send(batch);
        } finally {
          inFlight -= 1;
        }
      },
    },
    inFlight: () => inFlight,
  };
}

async function runEngine<B extends Deliverable>(
  ctx: Context,
  options: BulkRunOptions,
  sources: InputSource[],
  setup: (requests: BulkRequests) => Promise<BulkSetup<B>>,
  delivery: DeliveryFiles,
): Promise<void> {
  const { output, runtime } = ctx;
  const { requests, bytesSent } = countingRequests(ctx);
  const service = await setup(requests);
  const { words } = service;
  if (sources.some((s) => s.kind === "stdin") && runtime.stdin.isTTY) {
    output.info(`reading ${words.records} from the terminal; end with Ctrl-D`);
  }
  const { createBulkProgress, runBulk, summarizeBulk } = await import("./bulk.js");
  const owner = delivery.checkpoints?.staleOwner;
  if (owner !== undefined) {
    output.info(
      `took over the lock of ${delivery.checkpoints?.path} from pid ${owner}, which ended without releasing it`,
    );
  }
  const { engine, inFlight } = countingInFlight(
    service.engine,
    batchSender(requests, service.send),
  );
  const report = await bulkReporter(ctx, options, service, delivery, bytesSent);

  /** One run of the engine over `passSources`; reports their files (and the summary if `last`). */
  const pass = async (
    passSources: InputSource[],
    resume: Map<InputSource, ResumePoint> | undefined,
    last: boolean,
  ): Promise<BulkReport> => {
    const progress = createBulkProgress();
    const { checkpoints } = delivery;
    if (checkpoints) {
      progress.acked.onAdvance = (source, input) => checkpoints.advance(source, input);
    }
    const text = statusText(passSources, progress, words, now(), inFlight);
    const spinner = await output.progress("starting…");
    const tick = setInterval(() => spinner.update(text()), 200);
    const stop = (): void => {
      clearInterval(tick);
      spinner.stop();
    };
    // Stopped before the end (Ctrl-C, then still busy): what was delivered so far is reported.
    runtime.reportNow = (failure) => {
      stop();
      report(summarizeBulk(passSources, progress, failure));
    };
    try {
      const result = await runBulk(
        {
          sources: passSources,
          stdin: () => runtime.stdin,
          engine,
          concurrency: options.concurrency,
          ...(options.ratePerMinute ? { ratePerMinute: options.ratePerMinute } : {}),
          signal: runtime.signal,
          ...(resume ? { resume } : {}),
          ...withRejects(tellers<B>(output, words), delivery.rejects, passSources, progress),
          onWarning: (message) => output.warn(message),
        },
        progress,
      );
      delete runtime.reportNow;
      stop();
      report(result, last);
      return result;
    } finally {
      delete runtime.reportNow;
      stop();
    }
  };

  if (!options.follow) {
    const resume = await resumePoints(ctx, options, delivery, sources, service.engine.resumeBy);
    runtime.exitCode = (await pass(sources, resume, true)).exitCode;
    return;
  }
  const followed = await followInputs(ctx, options, delivery, sources, service.engine.resumeBy, {
    pass: (current, resume) => pass(current, resume, false),
    empty: () => summarizeBulk([], createBulkProgress(), undefined),
  });
  report(followed.report, true, followed.files);
  runtime.exitCode = followed.report.exitCode;
}
