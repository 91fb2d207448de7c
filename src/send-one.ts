import type { Context } from "./context.js";
import { ExitCode } from "./errors.js";
import type { HttpRequest, SendOptions, SentResponse } from "./transport/send.js";

/** Sends one request through the shared transport; Ctrl-C aborts it. */
export type SendOne = (request: HttpRequest, options?: SendOptions) => Promise<SentResponse>;

/** What a service tells of its accepted event. */
export interface Accepted {
  /** Shown as a warning before the result (the event was taken all the same). */
  warning?: string;
  /** The result line, and its JSON. */
  text: string;
  json: Record<string, unknown>;
  /** Shown with -v after the result. */
  debug?: string;
  /** The JSON summary (`--json` only; a human run ends with the result line). */
  summary: Record<string, unknown>;
}

/** One event of a service: its request, how it is sent and what an answer means. */
export interface OneEvent<A = SentResponse> {
  request: HttpRequest;
  /** Shown with the request in --dry-run. */
  note?: string;
  /** Transport options for the request (e.g. which answers are worth retrying). */
  options?: SendOptions;
  /** The --dry-run summary line and JSON; default: 1 request built, nothing sent. */
  dryRun?: { line: string; json: Record<string, unknown> };
  /** Instead of sending `request` once: how the event is delivered (e.g. with a renewed token). */
  exchange?(send: SendOne): Promise<A>;
  /** Reads the answer: throws the typed error of a refusal, or tells what was accepted. */
  interpret(answer: A): Accepted;
}

/**
 * Sends one event for any service: in --dry-run shows the request and says nothing was sent;
 * otherwise sends it (Ctrl-C aborts), then warns, tells the result and, with --json, the summary.
 */
export async function sendOneEvent<A = SentResponse>(
  ctx: Context,
  event: OneEvent<A>,
): Promise<void> {
  const { output } = ctx;
  if (ctx.globals.dryRun) {
    output.request({ ...event.request, ...(event.note !== undefined ? { note: event.note } : {}) });
    const { line, json } = event.dryRun ?? {
      line: "dry run: 1 request built, nothing sent",
      json: { dryRun: true, requests: 1 },
    };
    output.summary([line], json, ExitCode.ok);
    return;
  }
  const transport = ctx.transport();
  const send: SendOne = (request, options) =>
    transport.send(request, { ...options, abortOnSignal: true });
  const answer = event.exchange
    ? await event.exchange(send)
    : ((await send(event.request, event.options)) as A);
  const accepted = event.interpret(answer);
  if (accepted.warning) output.warn(accepted.warning);
  output.result(accepted.text, accepted.json);
  if (accepted.debug !== undefined) output.debug(accepted.debug);
  if (output.json) output.summary([], accepted.summary, ExitCode.ok);
}
