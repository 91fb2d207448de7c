import { resolve } from "node:path";
import { now } from "../clock.js";
import { UsageError } from "../errors.js";
import { formatBulkProgress } from "../output/progress.js";
import type { Context } from "../context.js";
import type { RejectedRecord } from "./batcher.js";
import type { BulkOptions, BulkProgress, BulkReport } from "./bulk.js";
import { batchSender, type BatchSend, type BulkRequests } from "./batch-adapter.js";
import type { BatchSource, BulkEngine, Deliverable, ResumeBy } from "./engine.js";
import type { BulkCounter, BulkSpec, BulkWords } from "./records.js";
import { describeSegments } from "./segments.js";
import type { InputSource } from "../input/sources.js";
import type { Checkpoints, ResumePoint } from "./checkpoint/checkpoints.js";
import type { RejectsFile } from "./rejects.js";

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

/** Copies each rejected record to the rejects file (if any) before it is told. */
function withRejects<B extends Deliverable>(
  tell: Pick<BulkOptions<B>, "onRejected" | "onWarned">,
  rejects: RejectsFile | undefined,
  sources: InputSource[],
  progress: BulkProgress,
): Pick<BulkOptions<B>, "onRejected" | "onWarned"> {
  if (!rejects) return tell;
  const byName = new Map(sources.map((s) => [s.name, s]));
  return {
    ...tell,
    onRejected(record) {
      const base = progress.starts.get(record.source)?.base ?? 0;
      rejects.copy(record, { path: byName.get(record.source)?.path, base });
      tell.onRejected(record);
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
 * input before the first byte is sent, notes a terminal on stdin, shows progress, runs the
 * engine, tells the first rejected records and warnings, reports every input and the summary,
 * and sets the exit code.
 */
export async function runBulkEngine<B extends Deliverable>(
  ctx: Context,
  options: BulkRunOptions,
  setup: (requests: BulkRequests) => Promise<BulkSetup<B>>,
): Promise<void> {
  if (options.state !== undefined && options.inputs.includes("-")) {
    throw new UsageError("--state cannot resume stdin: it keeps offsets in files", {
      hint: "pass the files themselves (paths or globs), or leave out --state for stdin",
    });
  }
  if (options.rejects !== undefined && options.inputs.includes("-")) {
    throw new UsageError("--rejects copies rejected records from their files; stdin is read once", {
      hint: "save stdin to a file first and pass that file, or leave out --rejects",
    });
  }
  const sources = await inputSources(ctx, options);
  let checkpoints: Checkpoints | undefined;
  if (options.state !== undefined && !ctx.globals.dryRun) {
    const { Checkpoints } = await import("./checkpoint/checkpoints.js");
    checkpoints = await Checkpoints.open(resolve(ctx.runtime.cwd, options.state), "offset");
  }
  try {
    await runWithCheckpoints(ctx, options, sources, setup, checkpoints);
  } finally {
    await checkpoints?.close();
  }
}

/** Where each file resumes (`--state`); in a dry run, read without locking or writing. */
async function resumePoints(
  ctx: Context,
  options: BulkRunOptions,
  sources: InputSource[],
  resumeBy: ResumeBy,
  checkpoints: Checkpoints | undefined,
): Promise<Map<InputSource, ResumePoint> | undefined> {
  if (options.state === undefined) return undefined;
  const warn = (message: string): void => ctx.output.warn(message);
  if (checkpoints) {
    checkpoints.resumeBy = resumeBy;
    if (checkpoints.staleOwner !== undefined) {
      ctx.output.info(
        `took over the lock of ${checkpoints.path} from pid ${checkpoints.staleOwner}, which ended without releasing it`,
      );
    }
    return checkpoints.plan(sources, warn);
  }
  const { planReadOnly } = await import("./checkpoint/checkpoints.js");
  return planReadOnly(resolve(ctx.runtime.cwd, options.state), sources, warn);
}

async function runWithCheckpoints<B extends Deliverable>(
  ctx: Context,
  options: BulkRunOptions,
  sources: InputSource[],
  setup: (requests: BulkRequests) => Promise<BulkSetup<B>>,
  checkpoints: Checkpoints | undefined,
): Promise<void> {
  const { runtime, globals } = ctx;
  const { requests, bytesSent } = countingRequests(ctx);
  let rejects: RejectsFile | undefined;
  if (options.rejects !== undefined && !globals.dryRun) {
    const { RejectsFile } = await import("./rejects.js");
    rejects = RejectsFile.open(resolve(runtime.cwd, options.rejects));
  }
  try {
    await runEngine(ctx, options, sources, setup, checkpoints, rejects, requests, bytesSent);
  } finally {
    rejects?.close();
  }
}

async function runEngine<B extends Deliverable>(
  ctx: Context,
  options: BulkRunOptions,
  sources: InputSource[],
  setup: (requests: BulkRequests) => Promise<BulkSetup<B>>,
  checkpoints: Checkpoints | undefined,
  rejects: RejectsFile | undefined,
  requests: BulkRequests,
  bytesSent: () => number,
): Promise<void> {
  const { output, runtime, globals } = ctx;
  const service = await setup(requests);
  const { words } = service;
  if (sources.some((s) => s.kind === "stdin") && runtime.stdin.isTTY) {
    output.info(`reading ${words.records} from the terminal; end with Ctrl-D`);
  }
  const { createBulkProgress, runBulk, summarizeBulk } = await import("./bulk.js");
  const { reportBulk } = await import("../output/bulk-report.js");

  let inFlight = 0;
  const send = batchSender(requests, service.send);
  const engine: BulkEngine<B> = {
    ...service.engine,
    async send(batch) {
      inFlight += 1;
      try {
        return await send(batch);
      } finally {
        inFlight -= 1;
      }
    },
  };
  const resume = await resumePoints(ctx, options, sources, service.engine.resumeBy, checkpoints);
  const started = now();
  const progress = createBulkProgress();
  if (checkpoints) {
    const saving = checkpoints;
    progress.acked.onAdvance = (source, input) => saving.advance(source, input);
  }
  const text = statusText(sources, progress, words, started, () => inFlight);
  const spinner = await output.progress("starting…");
  const tick = setInterval(() => spinner.update(text()), 200);
  const report = (result: BulkReport): void => {
    clearInterval(tick);
    spinner.stop();
    // Every HTTP request the run made (a token request, an event sent again with a new token),
    // not only one per batch; a retry after a network error, 429 or 5xx counts as a retry. (A
    // service that sends without the transport, as in tests, keeps the per-batch count.)
    const stats = globals.dryRun ? undefined : ctx.transport().stats;
    if (stats && stats.requests > 0) result.requests = stats.requests - stats.retries;
    reportBulk(output, result, {
      dryRun: globals.dryRun,
      gzip: service.gzip ?? false,
      bytesSent: bytesSent(),
      retries: stats?.retries ?? 0,
      durationMs: now() - started,
      words,
      ...(service.counters ? { counters: service.counters() } : {}),
      ...(options.state !== undefined ? { statePath: options.state } : {}),
      ...(rejects
        ? {
            rejects: {
              path: options.rejects ?? rejects.path,
              appended: rejects.appended,
              notCopied: rejects.notCopied,
            },
          }
        : {}),
    });
  };
  // Stopped before the end (Ctrl-C, then still busy): what was delivered so far is reported.
  runtime.reportNow = (failure) => report(summarizeBulk(sources, progress, failure));
  try {
    const result = await runBulk(
      {
        sources,
        stdin: () => runtime.stdin,
        engine,
        concurrency: options.concurrency,
        ...(options.ratePerMinute ? { ratePerMinute: options.ratePerMinute } : {}),
        signal: runtime.signal,
        ...(resume ? { resume } : {}),
        ...withRejects(tellers<B>(output, words), rejects, sources, progress),
        onWarning: (message) => output.warn(message),
      },
      progress,
    );
    delete runtime.reportNow;
    report(result);
    runtime.exitCode = result.exitCode;
  } finally {
    delete runtime.reportNow;
    clearInterval(tick);
    spinner.stop();
  }
}
