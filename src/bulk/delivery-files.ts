/**
 * The files a bulk run keeps besides its inputs: `--state` (checkpoints) and `--rejects`. Opened
 * once per run, before anything is read; closed (state saved, lock released) however it ends.
 */
import { resolve } from "node:path";
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import type { InputSource } from "../input/sources.js";
import type { BulkRunFacts } from "../output/bulk-report.js";
import type { BulkOptions, BulkProgress, BulkReport } from "./bulk.js";
import type { Checkpoints, ResumePoint } from "./checkpoint/checkpoints.js";
import type { Deliverable, ResumeBy } from "./engine.js";
import type { RejectSource, RejectsFile } from "./rejects.js";
import { countLines, formatRuns } from "./runs.js";

/** What the delivery options ask of a run. */
export interface DeliveryOptions {
  inputs: string[];
  state?: string;
  rejects?: string;
  /** `--follow`: keep reading appended lines; needs checkpoints (in memory without --state). */
  follow?: object;
}

/** The run's `--state` and `--rejects` files, open. */
export interface DeliveryFiles {
  checkpoints: Checkpoints | undefined;
  rejects: RejectsFile | undefined;
  close(): Promise<void>;
}

/** stdin cannot be resumed, copied from or followed: a usage error before anything is read. */
export function refuseStdin(options: DeliveryOptions): void {
  if (!options.inputs.includes("-")) return;
  const refused: Array<[boolean, string, string]> = [
    [
      options.state !== undefined,
      "--state cannot resume stdin: it keeps offsets in files",
      "--state",
    ],
    [
      options.rejects !== undefined,
      "--rejects copies rejected records from their files; stdin is read once",
      "--rejects",
    ],
    [
      options.follow !== undefined,
      "--follow reads files as they grow; stdin is read to its end anyway",
      "--follow",
    ],
  ];
  for (const [applies, message, flag] of refused) {
    if (applies) {
      throw new UsageError(message, {
        hint: `pass the files themselves (paths or globs), or leave out ${flag} for stdin`,
      });
    }
  }
}

/** Locks and reads `--state`, opens `--rejects`; in a dry run neither is touched. */
export async function openDeliveryFiles(
  ctx: Context,
  options: DeliveryOptions,
): Promise<DeliveryFiles> {
  const { cwd } = ctx.runtime;
  let checkpoints: Checkpoints | undefined;
  let rejects: RejectsFile | undefined;
  if (!ctx.globals.dryRun && (options.state !== undefined || options.follow !== undefined)) {
    const { Checkpoints } = await import("./checkpoint/checkpoints.js");
    checkpoints =
      options.state !== undefined
        ? await Checkpoints.open(resolve(cwd, options.state), "offset")
        : Checkpoints.inMemory("offset");
  }
  try {
    if (!ctx.globals.dryRun && options.rejects !== undefined) {
      const { RejectsFile } = await import("./rejects.js");
      rejects = RejectsFile.open(resolve(cwd, options.rejects));
    }
  } catch (error) {
    await checkpoints?.close();
    throw error;
  }
  return {
    checkpoints,
    rejects,
    close: async () => {
      rejects?.close();
      await checkpoints?.close();
    },
  };
}

/** Where each file resumes; in a dry run, `--state` is read without locking or writing it. */
export async function resumePoints(
  ctx: Context,
  options: DeliveryOptions,
  files: DeliveryFiles,
  sources: InputSource[],
  resumeBy: ResumeBy,
): Promise<Map<InputSource, ResumePoint> | undefined> {
  const warn = (message: string): void => ctx.output.warn(message);
  const { checkpoints } = files;
  if (checkpoints) {
    checkpoints.resumeBy = resumeBy;
    return checkpoints.plan(sources, warn);
  }
  if (options.state === undefined) return undefined;
  const { planReadOnly } = await import("./checkpoint/checkpoints.js");
  return planReadOnly(resolve(ctx.runtime.cwd, options.state), sources, warn);
}

/**
 * Copies each rejected record, and the records of each batch the service refused for good, to the
 * rejects file (if any) before they are told: the run goes on past a refused batch.
 */
export function withRejects<B extends Deliverable>(
  tell: Pick<BulkOptions<B>, "onRejected" | "onWarned">,
  rejects: RejectsFile | undefined,
  sources: InputSource[],
  progress: BulkProgress,
): Pick<BulkOptions<B>, "onRejected" | "onWarned" | "onRefused"> {
  if (!rejects) return tell;
  const byName = new Map(sources.map((s) => [s.name, s]));
  const sourceOf = (name: string): RejectSource => ({
    path: byName.get(name)?.path,
    base: progress.starts.get(name)?.base ?? 0,
  });
  return {
    ...tell,
    onRejected(record) {
      rejects.copy(record, sourceOf(record.source));
      tell.onRejected(record);
    },
    onRefused(batch, error) {
      for (const segment of batch.segments) {
        const records = countLines(segment.lines);
        rejects.copyRange(segment.bytes, sourceOf(segment.source), records);
        // One record per request (Eventhos, Guance): the service's message says it all.
        const alone = records === 1 && batch.segments.length === 1;
        tell.onRejected({
          source: segment.source,
          lineNumber: segment.lines[0] ?? 0,
          reason: alone
            ? error.message
            : `refused with its batch (${formatRuns(segment.lines)}): ${error.message}`,
        });
      }
      return true;
    },
  };
}

/** What the summary says of the delivery files. */
export function deliveryFacts(
  options: DeliveryOptions,
  files: DeliveryFiles,
): Pick<BulkRunFacts, "statePath" | "rejects"> {
  const { rejects } = files;
  return {
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
  };
}

/** Adds a pass's totals to the run's (`--follow`). */
function addUp(into: BulkReport, pass: BulkReport): void {
  for (const key of Object.keys(into.totals) as Array<keyof BulkReport["totals"]>) {
    into.totals[key] += pass.totals[key];
  }
  into.requests += pass.requests;
  into.deliveredSize += pass.deliveredSize;
}

/** The inputs expanded again (`--follow`), without telling what the first expansion told. */
async function resolveQuietly(
  ctx: Context,
  options: { inputs: string[]; exclude: string[] },
): Promise<InputSource[]> {
  const { resolveInputs } = await import("../input/resolve-inputs.js");
  return resolveInputs(options.inputs, { exclude: options.exclude, cwd: ctx.runtime.cwd });
}

/**
 * `--follow`: passes of the engine (`run.pass`, which reports each one's files) until Ctrl-C,
 * the idle timeout or a failure; returns the passes added up, to report as the summary, and how
 * many files were followed.
 */
export async function followInputs(
  ctx: Context,
  options: {
    inputs: string[];
    exclude: string[];
    follow?: { flushIntervalMs: number; idleTimeoutMs?: number };
  },
  delivery: DeliveryFiles,
  sources: InputSource[],
  resumeBy: ResumeBy,
  run: {
    pass(sources: InputSource[], resume: Map<InputSource, ResumePoint>): Promise<BulkReport>;
    /** The report of a run that sent nothing. */
    empty(): BulkReport;
  },
): Promise<{ report: BulkReport; files: number }> {
  const { checkpoints } = delivery;
  if (!checkpoints || !options.follow) throw new Error("--follow runs with checkpoints");
  checkpoints.resumeBy = resumeBy;
  const { follow } = await import("./follow.js");
  const warn = (message: string): void => ctx.output.warn(message);
  let total: BulkReport | undefined;
  let looked = false;
  const everyFile = new Set<string>();
  const followed = await follow({
    flushIntervalMs: options.follow.flushIntervalMs,
    ...(options.follow.idleTimeoutMs !== undefined
      ? { idleTimeoutMs: options.follow.idleTimeoutMs }
      : {}),
    signal: ctx.runtime.signal,
    // The first pass reads the inputs as checked; later ones expand the globs again, quietly.
    sources: async () => (looked ? resolveQuietly(ctx, options) : ((looked = true), sources)),
    plan: (current) => checkpoints.plan(current, warn),
    rollover: () => checkpoints.rollover(),
    pass: async (current, resume) => {
      for (const point of resume.values()) everyFile.add(point.identity.id);
      const result = await run.pass(current, resume);
      if (total) addUp(total, result);
      else total = { ...result, inputs: [], totals: { ...result.totals } };
      return result;
    },
    warn,
  });
  const report = total ?? run.empty();
  report.inputs = [];
  report.failure = followed.failure;
  report.exitCode = followed.exitCode;
  return { report, files: everyFile.size };
}
