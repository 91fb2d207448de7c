import type { Context } from "../../context.js";
import { formatBytes } from "../../units.js";
import { ServerValue } from "../../transport/redact.js";
import { answerFacts, serverWords } from "./answers.js";
import { readEventBody, type BodyOptions } from "./body.js";
import { deliverEvent, type Delivered } from "./deliver.js";
import { keySource } from "./keys.js";
import { buildSendRequest, DRY_RUN_KEY } from "./protocol.js";
import { resolveEventhosSettings } from "./settings.js";

/** What `eventhos send` was asked to do. */
export interface EventhosSendOptions extends BodyOptions {
  /** Connection and credential fields passed as flags. */
  flags: Record<string, unknown>;
}

/** Sends one JSON event to Eventhos. */
export async function runEventhosSend(ctx: Context, options: EventhosSendOptions): Promise<void> {
  const body = await readEventBody(ctx, options);
  const settings = await resolveEventhosSettings(ctx, options.flags);
  // Settings have credentials outside --dry-run; a dry run shows a placeholder key, masked.
  const { credentials } = settings;
  if (!credentials) ctx.redactor.add(DRY_RUN_KEY);
  const keys = credentials ? keySource(ctx, settings.base, credentials) : undefined;
  const { sendOneEvent } = await import("../../send-one.js");
  await sendOneEvent<Delivered>(ctx, {
    request: buildSendRequest(settings.base, settings.event, DRY_RUN_KEY, body.bytes),
    note: "(the access-key header carries the access key, or a token from POST /auth/token for the client credentials)",
    dryRun: {
      line: `dry run: 1 request built (${formatBytes(body.bytes.length)} of valid JSON), nothing sent`,
      json: { dryRun: true, requests: 1, bodyBytes: body.bytes.length },
    },
    async exchange(send) {
      if (!keys) throw new Error("eventhos: no credentials to send with");
      return deliverEvent(send, settings, keys, body.bytes);
    },
    interpret({ result, attempts, durationMs }) {
      const words = serverWords(result);
      const stored = result.outcome === "warned" ? "stored, no contract bound" : "stored";
      const warned = result.outcome === "warned" ? 1 : 0;
      return {
        ...(result.warning ? { warning: result.warning } : {}),
        text: `accepted: event "${settings.event}" ${stored} ${answerFacts(result)}, ${durationMs}ms${words ? `: ${words}` : ""}`,
        json: {
          service: "eventhos",
          event: settings.event,
          outcome: result.outcome,
          status: result.status,
          code: result.code ?? null,
          message: result.message ?? null,
          attempts,
          response: new ServerValue(result.body),
        },
        summary: { events: 1, delivered: 1 - warned, warned, durationMs },
      };
    },
  });
}
