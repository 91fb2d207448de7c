import type { BulkReport, InputReport } from "../input/bulk.js";
import { formatRanges } from "../input/ranges.js";
import { formatBytes, formatDuration } from "../parse.js";
import { describeError, type Output } from "./output.js";

/** Facts about a bulk run that the input layer does not know. */
export interface BulkRunFacts {
  dryRun: boolean;
  gzip: boolean;
  bytesSent: number;
  retries: number;
  durationMs: number;
}

type InputStatus = "delivered" | "empty" | "partial" | "failed" | "not sent" | "planned";

function statusOf(input: InputReport, dryRun: boolean): InputStatus {
  const { counts } = input.ledger;
  const lines = input.stats?.lines ?? 0;
  if (input.finished && lines === 0) return "empty";
  if (dryRun) return "planned";
  if (input.finished && counts.delivered === lines) return "delivered";
  if (counts.delivered > 0) return "partial";
  return counts.failed > 0 || counts.rejected > 0 ? "failed" : "not sent";
}

/** What was not delivered of one input, e.g. `lines 801-1000 failed; lines from 1001 not sent`. */
function undelivered(input: InputReport): string[] {
  const { ranges } = input.ledger;
  const parts: string[] = [];
  if (ranges.failed.length) parts.push(`lines ${formatRanges(ranges.failed)} failed`);
  if (ranges.rejected.length) parts.push(`lines ${formatRanges(ranges.rejected)} rejected`);
  if (ranges.unsent.length) parts.push(`lines ${formatRanges(ranges.unsent)} not sent`);
  if (!input.stats) parts.push("not read (the run stopped before it)");
  else if (input.notSentFrom !== undefined)
    parts.push(`lines from ${input.notSentFrom} on not sent (the run stopped)`);
  return parts;
}

/** Prints one `result` per input, the problem that stopped the run, and the summary. */
export function reportBulk(output: Output, report: BulkReport, facts: BulkRunFacts): void {
  for (const input of report.inputs) {
    const status = statusOf(input, facts.dryRun);
    const lines = input.stats?.lines ?? 0;
    const missing = facts.dryRun ? [] : undelivered(input);
    const delivered = input.ledger.ranges.delivered;
    output.result(
      `${input.source.name}: ${lines} line${lines === 1 ? "" : "s"}, ${status}` +
        (status === "partial" ? `; delivered lines ${formatRanges(delivered)}` : "") +
        (missing.length ? `; ${missing.join("; ")}` : ""),
      {
        file: input.source.name,
        status,
        lines,
        emptyLines: input.stats?.emptyLines ?? 0,
        bytesRead: input.stats?.bytesRead ?? 0,
        ...input.ledger.counts,
        ranges: input.ledger.ranges,
        ...(input.notSentFrom !== undefined ? { notSentFrom: input.notSentFrom } : {}),
      },
    );
  }
  if (report.failure) output.problem(report.failure);

  const { totals } = report;
  const seconds = Math.max(facts.durationMs / 1000, 0.001);
  const files = report.inputs.length;
  const verb = facts.dryRun ? "would send" : "delivered";
  const requests = `${report.requests} request${report.requests === 1 ? "" : "s"}`;
  output.summary(
    [
      `${verb} ${totals.delivered} of ${totals.lines} lines from ${files} file${files === 1 ? "" : "s"} in ${requests}` +
        ` (${totals.emptyLines} empty skipped, ${totals.rejected} rejected` +
        (facts.dryRun ? "; dry run, nothing sent)" : `, ${facts.retries} retries)`),
      `read ${formatBytes(totals.bytesRead)}, ${facts.dryRun ? "would send" : "sent"} ${formatBytes(facts.bytesSent)}` +
        `${facts.gzip && !facts.dryRun ? " gzip" : ""} in ${formatDuration(facts.durationMs)}` +
        ` (${formatBytes(totals.bytesRead / seconds)}/s)`,
    ],
    {
      dryRun: facts.dryRun,
      files,
      lines: totals.lines,
      emptyLines: totals.emptyLines,
      delivered: totals.delivered,
      rejected: totals.rejected,
      failed: totals.failed,
      undelivered: facts.dryRun ? 0 : totals.undelivered,
      bytesRead: totals.bytesRead,
      bytesSent: facts.bytesSent,
      gzip: facts.gzip,
      requests: report.requests,
      retries: facts.retries,
      durationMs: Math.round(facts.durationMs),
      bytesPerSecond: Math.round(totals.bytesRead / seconds),
      ...(report.failure ? { error: describeError(report.failure) } : {}),
    },
    report.exitCode,
  );
}
