/**
 * `--follow`: like `tail -F`, in passes. Every `--flush-interval` the inputs are expanded again
 * (new files matching the globs), each file is recognised by its identity (rotation), and a pass
 * of the ordinary engine sends what was appended since the last one, from the checkpoints — so a
 * partial batch is flushed at the end of each pass, and the state is saved as batches settle.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { now } from "../clock.js";
import { ExitCode, InputError, InterruptedError } from "../errors.js";
import type { InputSource } from "../input/sources.js";
import type { BulkReport } from "./bulk.js";
import type { ResumePoint } from "./checkpoint/checkpoints.js";

/** How `--follow` runs. */
export interface FollowOptions {
  /** Time between passes: how long a partial batch waits at most. */
  flushIntervalMs: number;
  /** End (exit 0) after this long with nothing new; default never. */
  idleTimeoutMs?: number;
  signal: AbortSignal;
  /** The inputs as they are now (globs expanded again). */
  sources(): Promise<InputSource[]>;
  /** Where each one resumes (`Checkpoints.plan`). */
  plan(sources: InputSource[]): Promise<Map<InputSource, ResumePoint>>;
  /** The checkpoints of this pass become what the next one resumes from. */
  rollover(): void;
  /** Runs one pass and reports its files. */
  pass(sources: InputSource[], resume: Map<InputSource, ResumePoint>): Promise<BulkReport>;
  /** Told once per distinct problem that a pass skipped over (an input missing for a moment). */
  warn(message: string): void;
}

/** What following came to: every pass's report, added up, and why it ended. */
export interface FollowResult {
  reports: number;
  last: BulkReport | undefined;
  failure: Error | undefined;
  exitCode: number;
}

/** Something changed since the last look: a new file, or one whose size moved. */
function changed(resume: Map<InputSource, ResumePoint>, sizes: Map<string, number>): boolean {
  let any = false;
  const seen = new Set<string>();
  for (const point of resume.values()) {
    const { id, size } = point.identity;
    seen.add(id);
    if (sizes.get(id) !== size) any = true;
    sizes.set(id, size);
  }
  for (const id of sizes.keys()) if (!seen.has(id)) sizes.delete(id);
  return any;
}

/** Follows the inputs until Ctrl-C (130), the idle timeout (0) or a failed pass (its code). */
export async function follow(options: FollowOptions): Promise<FollowResult> {
  const sizes = new Map<string, number>();
  const told = new Set<string>();
  let lastNews = now();
  let reports = 0;
  let last: BulkReport | undefined;
  /** A pass that rejected records (6, 5) leaves its code, even when later ones are clean. */
  let worst: number = ExitCode.ok;
  for (let first = true; ; first = false) {
    let sources: InputSource[] | undefined;
    try {
      sources = await options.sources();
    } catch (error) {
      // An input missing for a moment (rotation in progress): look again next time.
      if (first || !(error instanceof InputError)) throw error;
      if (!told.has(error.message)) options.warn(error.message);
      told.add(error.message);
    }
    if (sources) {
      const resume = await options.plan(sources);
      if (changed(resume, sizes) || first) {
        last = await options.pass(sources, resume);
        reports += 1;
        lastNews = now();
        if (last.failure) {
          return { reports, last, failure: last.failure, exitCode: last.exitCode };
        }
        if (worst === ExitCode.ok) worst = last.exitCode;
      }
    }
    if (options.signal.aborted) break;
    const idle = options.idleTimeoutMs;
    if (idle !== undefined && now() - lastNews >= idle) {
      return { reports, last, failure: undefined, exitCode: worst };
    }
    const wait =
      idle === undefined
        ? options.flushIntervalMs
        : Math.min(options.flushIntervalMs, Math.max(1, idle - (now() - lastNews)));
    try {
      await sleep(wait, undefined, { signal: options.signal });
    } catch {
      break;
    }
    options.rollover();
  }
  return {
    reports,
    last,
    failure: new InterruptedError("interrupted"),
    exitCode: ExitCode.interrupted,
  };
}
