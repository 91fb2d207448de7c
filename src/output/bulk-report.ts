import type { BulkReport, InputReport } from "../bulk/bulk.js";
import { formatRanges, type RecordStatus } from "../bulk/ledger.js";
import type { BulkCounter, BulkWords } from "../bulk/records.js";
import { formatBytes, formatDuration } from "../units.js";
import { shellQuote } from "../config/paths.js";
import { describeError, type Output } from "./output.js";

/** Facts about a bulk run that the input layer does not know. */
export interface BulkRunFacts {
  dryRun: boolean;
  gzip: boolean;
  bytesSent: number;
  retries: number;
  durationMs: number;
  /** How the service names its records (default: lines). */
  words?: BulkWords;
  /** The service's own totals (e.g. points delivered). */
  counters?: BulkCounter[];
  /** The `--state` file, if the run keeps checkpoints: how a stopped run resumes. */
  statePath?: string;
  /**
   * False: the results only, of the files that had something new (a pass of `--follow`; its
   * summary comes at the end).
   */
  summary?: boolean;
  /** Files in the summary, when not the results' (`--follow`: every file followed). */
  files?: number;
  /** The `--rejects` file and what was appended to it (or could not be). */
  rejects?: { path: string; appended: number; notCopied: number };
}

/** `2 rejected lines appended to rejects.log` (and what could not be copied). */
function rejectsLine(rejects: NonNullable<BulkRunFacts["rejects"]>, words: BulkWords): string {
  const n = rejects.appended;
  return (
    `${n} rejected ${n === 1 ? words.record : words.records} appended to ${rejects.path}` +
    (rejects.notCopied > 0
      ? ` (${rejects.notCopied} not: from a compressed input, or refused by the server; see the results)`
      : "")
  );
}

/** How to resume a run that stopped before it delivered everything, or undefined. */
export function resumeHint(report: BulkReport, statePath: string | undefined): string | undefined {
  const stopped = report.inputs.find(
    (i) => i.source.kind === "file" && (i.notSentFrom !== undefined || !i.finished),
  );
  if (report.exitCode === 0 || !stopped) return undefined;
  if (statePath !== undefined) {
    return `to resume, run the same command again: ${statePath} holds where each file stopped`;
  }
  return (
    `to resume, send each file from its deliveredOffset (--json), e.g. tail -c ` +
    `+${stopped.deliveredOffset + 1} ${stopped.source.name} | evsend … -; ` +
    "with --state <file> a rerun does it by itself"
  );
}

const LINES: BulkWords = { record: "line", records: "lines" };

type InputStatus = "delivered" | "warned" | "empty" | "partial" | "failed" | "not sent" | "planned";

function statusOf(input: InputReport, dryRun: boolean): InputStatus {
  const { counts } = input.ledger;
  const read = input.stats?.records ?? 0;
  const delivered = counts.delivered + counts.warned;
  if (input.finished && read === 0) return "empty";
  if (dryRun) return "planned";
  if (input.finished && delivered === read) return counts.warned > 0 ? "warned" : "delivered";
  if (delivered > 0) return "partial";
  return counts.failed > 0 || counts.rejected > 0 ? "failed" : "not sent";
}

/** An input's ranges of one status, the ones not kept counted too. */
function rangesOf(input: InputReport, status: RecordStatus): string {
  return formatRanges(input.ledger.ranges[status], 10, input.ledger.moreRanges[status]);
}

/** What was not delivered of one input, e.g. `lines 801-1000 failed; lines from 1001 not sent`. */
function undelivered(input: InputReport): string[] {
  const { ranges } = input.ledger;
  const parts: string[] = [];
  const say = (status: RecordStatus, word: string): void => {
    if (ranges[status].length) parts.push(`lines ${rangesOf(input, status)} ${word}`);
  };
  say("warned", "warned");
  say("failed", "failed");
  say("rejected", "rejected");
  say("unsent", "not sent");
  if (!input.stats) parts.push("not read (the run stopped before it)");
  else if (input.notSentFrom !== undefined)
    parts.push(`lines from ${input.notSentFrom} on not sent (the run stopped)`);
  return parts;
}

function plural(n: number, words: BulkWords): string {
  return `${n} ${n === 1 ? words.record : words.records}`;
}

/** The JSON word of a status: the human "not sent" is `notSent` (never `unsent`). */
function jsonStatus<T>(byStatus: Record<RecordStatus, T>): Record<string, T> {
  const { unsent, ...rest } = byStatus;
  return { ...rest, notSent: unsent };
}

/** Records read that were neither delivered, failed nor rejected: the run stopped first. */
function readNotSent(input: InputReport): number {
  const { delivered, warned, failed, rejected } = input.ledger.counts;
  return Math.max(0, (input.stats?.records ?? 0) - delivered - warned - failed - rejected);
}

/**
 * For a run that stopped before the end: what was not sent, and how to send it (each input from
 * the line where its not-sent part starts, or by running the same command again when `--state`
 * keeps checkpoints); none when every input was read to its end.
 */
function notSentLines(
  report: BulkReport,
  words: BulkWords,
  statePath: string | undefined,
): string[] {
  const parts: string[] = [];
  let example = "";
  for (const input of report.inputs) {
    const name = input.source.name;
    if (!input.stats) parts.push(`${name} (not read)`);
    else if (input.notSentFrom !== undefined) {
      parts.push(`${name} from line ${input.notSentFrom} on`);
      // A line of a file is a record there (not a CSV row, which needs its header first).
      if (!example && input.source.kind === "file" && words.record !== "row") {
        const file = shellQuote(name);
        const from = `tail -n +${input.notSentFrom}`;
        example = /\.gz$/i.test(name) ? `zcat ${file} | ${from}` : `${from} ${file}`;
      }
    }
  }
  if (parts.length === 0) return [];
  const notSent = report.inputs.reduce((n, input) => n + readNotSent(input), 0);
  const unread = report.inputs.some((input) => !input.finished) ? " and the rest not read" : "";
  if (statePath !== undefined) {
    // The checkpoints know where each file stopped: a rerun sends the rest.
    return [
      `not sent: ${plural(notSent, words)} read${unread}: ${parts.join(", ")}; ` +
        `to resume, run the same command again: ${statePath} holds where each file stopped`,
    ];
  }
  return [
    `not sent: ${plural(notSent, words)} read${unread}; to resume, send again: ${parts.join(", ")}` +
      (example ? ` (e.g. \`${example} | evsend … -\` with the same options)` : ""),
  ];
}

/** One input's `result`: its count, status and what was not delivered (JSON: ranges, offsets). */
function reportInput(
  output: Output,
  input: InputReport,
  facts: BulkRunFacts,
  words: BulkWords,
): void {
  const status = statusOf(input, facts.dryRun);
  // A pass of --follow tells only the files it read something of.
  if (facts.summary === false && status === "empty") return;
  const read = input.stats?.records ?? 0;
  const missing = facts.dryRun ? [] : undelivered(input);
  const { ranges, moreRanges } = input.ledger;
  const more = Object.entries(moreRanges).filter(([, n]) => n > 0);
  output.result(
    `${input.source.name}: ${plural(read, words)}, ${status}` +
      (status === "partial" && ranges.delivered.length
        ? `; delivered lines ${rangesOf(input, "delivered")}`
        : "") +
      (missing.length ? `; ${missing.join("; ")}` : ""),
    {
      file: input.source.name,
      status,
      [words.records]: read,
      emptyLines: input.stats?.emptyLines ?? 0,
      bytesRead: input.stats?.bytesRead ?? 0,
      ...jsonStatus(input.ledger.counts),
      ranges: jsonStatus(ranges),
      // Past the ranges kept of a status (a thousand), how many more there were.
      ...(more.length
        ? {
            moreRanges: Object.fromEntries(
              more.map(([k, n]) => [k === "unsent" ? "notSent" : k, n]),
            ),
          }
        : {}),
      ...(input.notSentFrom !== undefined ? { notSentFrom: input.notSentFrom } : {}),
      startOffset: input.startOffset,
      deliveredOffset: input.deliveredOffset,
    },
  );
}

/** Prints one `result` per input, the problem that stopped the run, and the summary. */
export function reportBulk(output: Output, report: BulkReport, facts: BulkRunFacts): void {
  const words = facts.words ?? LINES;
  for (const input of report.inputs) reportInput(output, input, facts, words);
  if (facts.summary === false) return;
  if (report.failure) output.problem(report.failure);

  const { totals } = report;
  const seconds = Math.max(facts.durationMs / 1000, 0.001);
  const files = facts.files ?? report.inputs.length;
  const verb = facts.dryRun ? "would send" : "delivered";
  const requests = `${report.requests} request${report.requests === 1 ? "" : "s"}`;
  const counters: BulkCounter[] = [...(facts.counters ?? [])];
  if (words.weight) {
    const value = report.deliveredSize;
    // "1 point delivered": the word is plural ("points"); one drops its final s.
    const word = value === 1 ? words.weight.replace(/s$/, "") : words.weight;
    const label = `${word} ${facts.dryRun ? "to send" : "delivered"}`;
    counters.unshift({ key: words.weight, label, value });
  }
  const extra = counters.map((c) => `${c.value} ${c.label}`);
  const stopped = facts.dryRun ? [] : notSentLines(report, words, facts.statePath);
  const read = stopped.length ? " read before the run stopped," : "";
  const resume = facts.dryRun ? undefined : resumeHint(report, facts.statePath);
  output.summary(
    [
      `${verb} ${totals.delivered} of ${totals.records} ${words.records}${read} from ${files} file${files === 1 ? "" : "s"} in ${requests}` +
        ` (${totals.emptyLines} empty skipped, ${totals.rejected} rejected` +
        (totals.warned > 0 ? `, ${totals.warned} with a warning` : "") +
        (facts.dryRun ? "; dry run, nothing sent)" : `, ${facts.retries} retries)`),
      ...stopped,
      ...(extra.length ? [extra.join(", ")] : []),
      `read ${formatBytes(totals.bytesRead)}, ${facts.dryRun ? "would send" : "sent"} ${formatBytes(facts.bytesSent)}` +
        `${facts.gzip && !facts.dryRun ? " gzip" : ""} in ${formatDuration(facts.durationMs)}` +
        ` (${formatBytes(totals.bytesRead / seconds)}/s)`,
      ...(facts.rejects ? [rejectsLine(facts.rejects, words)] : []),
      // The not-sent line says how to resume; a run stopped otherwise gets the hint alone.
      ...(resume && stopped.length === 0 ? [resume] : []),
    ],
    {
      dryRun: facts.dryRun,
      files,
      [words.records]: totals.records,
      emptyLines: totals.emptyLines,
      delivered: totals.delivered,
      warned: totals.warned,
      rejected: totals.rejected,
      failed: totals.failed,
      undelivered: facts.dryRun ? 0 : totals.undelivered,
      notSent: facts.dryRun ? 0 : report.inputs.reduce((n, input) => n + readNotSent(input), 0),
      ...Object.fromEntries(counters.map((c) => [c.key, c.value])),
      bytesRead: totals.bytesRead,
      bytesSent: facts.bytesSent,
      gzip: facts.gzip,
      requests: report.requests,
      retries: facts.retries,
      durationMs: Math.round(facts.durationMs),
      bytesPerSecond: Math.round(totals.bytesRead / seconds),
      ...(facts.statePath !== undefined ? { state: facts.statePath } : {}),
      ...(facts.rejects
        ? {
            rejectsFile: facts.rejects.path,
            rejectsAppended: facts.rejects.appended,
            rejectsNotCopied: facts.rejects.notCopied,
          }
        : {}),
      ...(resume ? { resume } : {}),
      ...(report.failure ? { error: describeError(report.failure) } : {}),
    },
    report.exitCode,
  );
}
