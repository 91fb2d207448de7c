// Timing helpers shared by the benchmarks: whole processes, timed from outside.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";

/** What one run of a process came to: wall time and peak RSS (from /proc VmHWM). */
export interface Measured {
  ms: number;
  /** MiB; NaN when the process ended before its first sample (never a made-up 0). */
  rssMb: number;
}

/** Runs a command, returning wall time (ms) and peak RSS (MiB); throws when it exits non-zero. */
export async function measure(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<Measured> {
  const started = performance.now();
  const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"], env });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  let peakKb = 0;
  // Read synchronously: an asynchronous read can wait in libuv's thread pool until after the
  // process exited (a zombie has no VmHWM), and a short run (curl) would report 0.
  const sample = (): void => {
    try {
      const text = readFileSync(`/proc/${child.pid}/status`, "utf8");
      const kb = Number(/VmHWM:\s+(\d+)/.exec(text)?.[1] ?? 0);
      if (kb > peakKb) peakKb = kb;
    } catch {
      // gone already
    }
  };
  const poll = setInterval(sample, 10);
  sample();
  const [code] = (await once(child, "exit")) as [number];
  clearInterval(poll);
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${code}: ${stderr}`);
  return { ms, rssMb: peakKb > 0 ? peakKb / 1024 : Number.NaN };
}

/** A peak RSS for the report: `112 MiB`, or "not measured" when no sample was taken. */
export function formatRss(rssMb: number): string {
  return Number.isNaN(rssMb)
    ? "not measured (ended before the first sample)"
    : `${rssMb.toFixed(0)} MiB`;
}

/** The median of a non-empty list. */
export const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One comparison: our command against a baseline, timed in the same run. */
export interface Pair {
  name: string;
  ours: [string, string[]];
  base: [string, string[]];
  baseName: string;
  goal: string;
  /** The environment of each of our runs, when not the shared one (e.g. a fresh cache dir). */
  oursEnv?: () => NodeJS.ProcessEnv;
  /** Events each run sends: the time cells then also show events a second. */
  events?: number;
}

const seconds = (ms: number, events?: number): string =>
  (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`) +
  (events ? ` (${Math.round(events / (ms / 1000)).toLocaleString("en")}/s)` : "");

/**
 * Times each pair `runs` times, alternating which goes first so drift in machine load hits both
 * alike, and returns one table row per pair: medians of time and peak RSS, and the time ratio.
 * `time` runs our command (it may check what the run did); the baseline goes through `measure`.
 */
export async function comparePairs(
  pairs: Pair[],
  runs: number,
  env: NodeJS.ProcessEnv,
  time: (args: [string, string[]], env: NodeJS.ProcessEnv) => Promise<Measured>,
  onRow: (row: string[]) => void,
): Promise<string[][]> {
  const rows: string[][] = [];
  for (const pair of pairs) {
    const ours: Measured[] = [];
    const base: Measured[] = [];
    const mine = async (): Promise<Measured> => time(pair.ours, pair.oursEnv?.() ?? env);
    const baseline = (): Promise<Measured> => measure(pair.base[0], pair.base[1], env);
    for (let i = 0; i < runs; i++) {
      if (i % 2 === 0) {
        ours.push(await mine());
        base.push(await baseline());
      } else {
        base.push(await baseline());
        ours.push(await mine());
      }
    }
    const o = median(ours.map((m) => m.ms));
    const b = median(base.map((m) => m.ms));
    rows.push([
      pair.name,
      seconds(o, pair.events),
      formatRss(median(ours.map((m) => m.rssMb))),
      pair.baseName,
      seconds(b, pair.events),
      formatRss(median(base.map((m) => m.rssMb))),
      `**${(o / b).toFixed(2)}**`,
      pair.goal,
    ]);
    onRow(rows.at(-1)!);
  }
  return rows;
}

/** The header of `comparePairs`'s rows. */
export const PAIR_HEADER = [
  "evsend",
  "time",
  "peak RSS",
  "baseline",
  "time",
  "peak RSS",
  "ratio",
  "goal",
];
