import type { Context } from "../../context.js";
import { NotSent, type BatchAdapter } from "../../bulk/batch-adapter.js";
import { splitLines } from "../../input/lines.js";
import {
  ONE_PER_REQUEST,
  type BulkSpec,
  type RecordBatch,
  type RecordParser,
} from "../../bulk/records.js";
import type { BulkInputOptions } from "../../bulk/run-bulk-command.js";
import { describeSegments } from "../../bulk/segments.js";
import { formatBytes } from "../../units.js";
import { NO_CONTRACT_CODE, type SendResult } from "./answers.js";
import { eventProblem } from "./body.js";
import { deliverEvent, type EventTarget } from "./deliver.js";
import { keySource, type KeySource } from "./keys.js";
import { buildSendRequest, DRY_RUN_KEY, WARN_BODY_BYTES } from "./protocol.js";
import { resolveEventhosSettings } from "./settings.js";

/** What `eventhos send --ndjson` was asked to do. */
export interface EventhosBulkOptions extends BulkInputOptions {
  /** A line (one event) larger than this is rejected, never sent. */
  maxBody: number;
  /** Connection and credential fields passed as flags. */
  flags: Record<string, unknown>;
}

/**
 * One event per line, kept as the line's own text (sent byte for byte: re-serializing would
 * change numbers beyond double precision). A line that is not a JSON object or array, or is over
 * --max-body, is rejected with its line; blank lines are skipped.
 */
export function eventhosLines(
  maxBody: number,
  warn: (message: string) => void,
): RecordParser<string> {
  return async function* parse({ source, chunks, stats }) {
    for await (const { line, end, text, error, tooLong } of splitLines(chunks, stats, {
      maxLineBytes: maxBody,
    })) {
      if (error !== undefined) {
        yield { type: "rejected", line, end, reason: tooLong ? `${error} (--max-body)` : error };
        continue;
      }
      const problem = eventProblem(text);
      if (problem) {
        const where = problem.at ? `invalid JSON at column ${problem.at.column}: ` : "the event ";
        yield { type: "rejected", line, end, reason: `${where}${problem.reason}` };
        continue;
      }
      const bytes = Buffer.byteLength(text);
      if (bytes > WARN_BODY_BYTES)
        warn(`${source}:${line}: the event is ${formatBytes(bytes)}; bodies over a few MiB fail`);
      yield { type: "record", line, end, value: text, weight: 1 };
    }
  };
}

/**
 * One event → one request with the source's key (a refused token renewed once, see
 * deliverEvent); in --dry-run, the request with a placeholder key, no credential read.
 */
function eventAdapter(
  target: EventTarget,
  keys: KeySource | undefined,
): BatchAdapter<RecordBatch<string>, SendResult> {
  return {
    build: (batch) => ({
      request: buildSendRequest(target.base, target.event, DRY_RUN_KEY, batch.values[0]!),
      note: describeSegments(batch.segments),
    }),
    async exchange(batch, _built, send) {
      // Settings have credentials outside --dry-run, and a dry run exchanges nothing.
      if (!keys) throw new Error("eventhos: no credentials to send with");
      try {
        await keys.current(); // the same key deliverEvent then takes
      } catch (error) {
        throw new NotSent(error as Error); // no token: nothing was sent
      }
      return (await deliverEvent(send, target, keys, batch.values[0]!)).result;
    },
    interpret(result) {
      if (result.outcome !== "warned") return {};
      if (result.code !== NO_CONTRACT_CODE) return { warned: result.warning ?? "" };
      return {
        warned: `no contract is bound to event "${target.event}" (HTTP ${result.status}, code ${result.code})`,
      };
    },
  };
}

/**
 * Sends one event per NDJSON line, each its own request, `concurrency` at a time, on the shared
 * bulk engine: a bad line is reported with its file and line and skipped, the rest goes on; the
 * summary counts delivered, warned (no contract), rejected and failed events with line ranges.
 * --dry-run checks every line and shows each request without reading a credential.
 */
export async function runEventhosBulk(ctx: Context, options: EventhosBulkOptions): Promise<void> {
  const { runBulkCommand } = await import("../../bulk/run-bulk-command.js");
  await runBulkCommand<string>(ctx, {
    ...options,
    // Settings are resolved once the inputs are known to be usable.
    spec: async (): Promise<BulkSpec<string>> => {
      const settings = await resolveEventhosSettings(ctx, options.flags);
      if (!settings.credentials) ctx.redactor.add(DRY_RUN_KEY);
      const keys = settings.credentials
        ? keySource(ctx, settings.base, settings.credentials)
        : undefined;
      return {
        parse: eventhosLines(options.maxBody, (message) => ctx.output.warn(message)),
        limits: ONE_PER_REQUEST, // Eventhos takes one event per request
        ...eventAdapter(settings, keys),
        words: { record: "event", records: "events" },
      };
    },
  });
}
