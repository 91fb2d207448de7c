import type { Context } from "../../context.js";
import type { BatchAdapter } from "../../bulk/batch-adapter.js";
import { ndjsonParser } from "../../input/ndjson.js";
import { ONE_PER_REQUEST, type BulkSpec, type RecordBatch } from "../../bulk/records.js";
import type { BulkInputOptions } from "../../bulk/run-bulk-command.js";
import { describeSegments } from "../../bulk/segments.js";
import { bodyFromValue, type GuanceBody } from "./event.js";
import {
  buildPushRequest,
  interpretPushResponse,
  isRateLimited,
  type GuanceTarget,
} from "./protocol.js";
import { resolveGuanceSettings, SILENT_IGNORE_NOTE } from "./settings.js";

/** What `guance push --ndjson` was asked to do. */
export interface GuanceBulkOptions extends BulkInputOptions {
  /** Connection fields passed as flags. */
  flags: Record<string, unknown>;
}

/** One NDJSON line → the body to push, or every rule it breaks (reported with file and line). */
export function validateLine(value: unknown): GuanceBody | { error: string } {
  const { body, violations } = bodyFromValue(value);
  return violations.length === 0 ? (body as GuanceBody) : { error: violations.join("; ") };
}

/** One event → one request, its rate limit worth waiting for; a 2xx delivered it. */
function eventAdapter(target: GuanceTarget): BatchAdapter<RecordBatch<GuanceBody>> {
  return {
    build: (batch) => ({
      request: buildPushRequest(target, batch.values[0]!),
      note: describeSegments(batch.segments),
      options: { transient: isRateLimited },
    }),
    interpret(response) {
      interpretPushResponse(response);
    },
  };
}

/**
 * Pushes one event per NDJSON line (an event object or `{event, extraData}`), each line checked
 * against the field rules first (a bad line is reported and skipped, the rest goes on), paced to
 * `ratePerMinute` so that a long file never runs into Guance's rate limit.
 */
export async function runGuanceBulk(ctx: Context, options: GuanceBulkOptions): Promise<void> {
  const { runBulkCommand } = await import("../../bulk/run-bulk-command.js");
  const { ratePerMinute, ...input } = options;
  await runBulkCommand<GuanceBody>(ctx, {
    ...input,
    // One at a time: the pace, not parallelism, bounds the throughput, and order is kept.
    concurrency: 1,
    // A dry run sends nothing: no reason to wait.
    ...(ctx.globals.dryRun || ratePerMinute === undefined ? {} : { ratePerMinute }),
    // Settings are resolved once the inputs are known to be usable.
    spec: async (requests): Promise<BulkSpec<GuanceBody>> => {
      const target = await resolveGuanceSettings(ctx, options.flags);
      if (!requests.dryRun) ctx.output.debug(SILENT_IGNORE_NOTE);
      return {
        parse: ndjsonParser(validateLine),
        limits: ONE_PER_REQUEST, // no batch form
        ...eventAdapter(target),
        words: { record: "event", records: "events" },
      };
    },
  });
}
