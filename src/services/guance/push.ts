import { addAbortSignal } from "node:stream";
import type { Context } from "../../context.js";
import { InputError, InterruptedError } from "../../errors.js";
import { collectBounded, TooLargeError } from "../../input/open.js";
import { bodyFromFlags, bodyFromJson, checkedBody, type EventFlags } from "./event.js";
import { buildPushRequest, interpretPushResponse, isRateLimited } from "./protocol.js";
import { resolveGuanceSettings, SILENT_IGNORE_NOTE } from "./settings.js";

/** Most bytes read from stdin for --message - or --event-json -: one event, not a file. */
export const STDIN_LIMIT = 1024 * 1024;

/** What `guance push` was asked to do: the event from flags, or from JSON. */
export interface GuancePushOptions {
  /** The event's flags; `message` `-` reads stdin. Unused with `eventJson`. */
  event: EventFlags;
  /** `--event-json`: JSON text, or `-` for stdin. */
  eventJson?: string;
  /** Connection fields passed as flags. */
  flags: Record<string, unknown>;
}

/** Reads stdin whole (at most STDIN_LIMIT bytes) as text; Ctrl-C stops the read. */
async function readStdin(ctx: Context, what: string): Promise<string> {
  const { stdin, signal } = ctx.runtime;
  ctx.claimStdin(what);
  if (ctx.runtime.stdin.isTTY)
    ctx.output.info(`reading ${what} from the terminal; end with Ctrl-D`);
  if (signal.aborted) throw new InterruptedError();
  addAbortSignal(signal, stdin);
  try {
    return (await collectBounded(stdin as AsyncIterable<Buffer>, STDIN_LIMIT)).toString("utf8");
  } catch (error) {
    if (signal.aborted) throw new InterruptedError(`interrupted while reading ${what}`);
    if (error instanceof TooLargeError)
      throw new InputError(`${what} on stdin is over ${STDIN_LIMIT} bytes`, {
        hint: "one event is small; to push many, put one per line in a file and use --ndjson",
      });
    throw error;
  }
}

/** The body to push, checked against every field rule (exit 5 listing them all). */
async function readBody(ctx: Context, options: GuancePushOptions) {
  if (options.eventJson !== undefined) {
    const text =
      options.eventJson === "-" ? await readStdin(ctx, "--event-json -") : options.eventJson;
    return checkedBody(bodyFromJson(text));
  }
  const event = { ...options.event };
  if (event.message === "-")
    event.message = (await readStdin(ctx, "the message")).replace(/\r?\n$/, "");
  return checkedBody(bodyFromFlags(event));
}

/** Pushes one event to a Guance external event monitor. */
export async function runGuancePush(ctx: Context, options: GuancePushOptions): Promise<void> {
  const body = await readBody(ctx, options);
  const target = await resolveGuanceSettings(ctx, options.flags);
  const { sendOneEvent } = await import("../../send-one.js");
  await sendOneEvent(ctx, {
    request: buildPushRequest(target, body),
    ...(target.apiKey === undefined
      ? { note: "DF-API-KEY is added when an API key is configured (not read in a dry run)" }
      : {}),
    options: { transient: isRateLimited },
    interpret(response) {
      const { traceId } = interpretPushResponse(response);
      const ms = Math.round(response.durationMs);
      return {
        text: `accepted: 1 event (HTTP ${response.status}, ${ms}ms${traceId ? `, traceId ${traceId}` : ""})`,
        json: {
          service: "guance",
          status: response.status,
          attempts: response.attempts,
          accepted: 1,
          traceId,
        },
        debug: SILENT_IGNORE_NOTE,
        summary: { events: 1, accepted: 1, delivered: 1, durationMs: ms },
      };
    },
  });
}
