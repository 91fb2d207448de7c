import type { Context } from "../../context.js";
import { ExitCode } from "../../errors.js";
import { formatBytes } from "../../parse.js";
import { ServerValue } from "../../transport/redact.js";
import { answerFacts, serverWords } from "./answers.js";
import { readEventBody, type BodyOptions } from "./body.js";
import { deliverEvent } from "./deliver.js";
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
  const { output } = ctx;
  const body = await readEventBody(ctx, options);
  const settings = await resolveEventhosSettings(ctx, options.flags);
  if (!settings.credentials) {
    ctx.redactor.add(DRY_RUN_KEY);
    output.request({
      ...buildSendRequest(settings.base, settings.event, DRY_RUN_KEY, body.bytes),
      note: "(the access-key header carries the access key, or a token from POST /auth/token for the client credentials)",
    });
    output.summary(
      [`dry run: 1 request built (${formatBytes(body.bytes.length)} of valid JSON), nothing sent`],
      { dryRun: true, requests: 1, bodyBytes: body.bytes.length },
      ExitCode.ok,
    );
    return;
  }
  const keys = keySource(ctx, settings.base, settings.credentials);
  const transport = ctx.transport();
  const { result, attempts, durationMs } = await deliverEvent(
    (request, options) => transport.send(request, { ...options, abortOnSignal: true }),
    settings,
    keys,
    body.bytes,
  );
  if (result.warning) output.warn(result.warning);
  const words = serverWords(result);
  const stored = result.outcome === "warned" ? "stored, no contract bound" : "stored";
  output.result(
    `accepted: event "${settings.event}" ${stored} ${answerFacts(result)}, ${durationMs}ms${words ? `: ${words}` : ""}`,
    {
      service: "eventhos",
      event: settings.event,
      outcome: result.outcome,
      status: result.status,
      code: result.code ?? null,
      message: result.message ?? null,
      attempts,
      response: new ServerValue(result.body),
    },
  );
  if (output.json) {
    const warned = result.outcome === "warned" ? 1 : 0;
    output.summary([], { events: 1, delivered: 1 - warned, warned, durationMs }, ExitCode.ok);
  }
}
