import type { ResolvedValue } from "../../config/types.js";
import { asUsage, resolveSettings } from "../../config/settings.js";
import type { Context } from "../../context.js";
import { missingSetting, type MissingSetting } from "../../config/resolve.js";
import { sourceText } from "../../cli/field-option.js";
import { parseEventhosUrl, plainHttpWarning, type EventhosCredentials } from "./protocol.js";
import { eventhosSpec } from "./spec.js";

/** Where to send, and (not in --dry-run) with which credentials. */
export interface EventhosSettings {
  /** Base URL without a trailing slash. */
  base: string;
  event: string;
  /** Undefined in --dry-run, which reads no secret. */
  credentials: EventhosCredentials | undefined;
}

const fieldsOf = (...keys: string[]): typeof eventhosSpec => ({
  ...eventhosSpec,
  fields: eventhosSpec.fields.filter((f) => keys.includes(f.key)),
});

const NO_URL_HINT =
  "Eventhos is self-hosted, so there is no default: your Eventhos administrator gives the URL, " +
  "e.g. --url https://eventhos.example.com";

/** No access key and no client id: either pair of settings will do. */
const NO_CREDENTIALS: MissingSetting = {
  name: "credentials",
  ways:
    "an access key (--access-key-file <path|->, EVSEND_EVENTHOS_ACCESS_KEY or eventhos.accessKey), " +
    "or a client id and secret (--client-id, EVSEND_EVENTHOS_CLIENT_ID or eventhos.clientId, with " +
    "--client-secret-file <path|->, EVSEND_EVENTHOS_CLIENT_SECRET or eventhos.clientSecret)",
};

function urlOf(ctx: Context, resolved: ResolvedValue): string {
  const base = asUsage(resolved.source, () =>
    parseEventhosUrl(String(resolved.value), sourceText(resolved.source)),
  );
  const warning = plainHttpWarning(base);
  if (warning) ctx.output.warn(warning);
  return base;
}

/**
 * Resolves the URL, the event and the credentials (flag > env > profile). Secrets are read only
 * when needed: an access key wins over client credentials, whose secret (maybe a command) is then
 * never read; --dry-run reads none.
 */
export async function resolveEventhosSettings(
  ctx: Context,
  flags: Record<string, unknown>,
  options: { needEvent?: boolean } = {},
): Promise<EventhosSettings> {
  // The client secret (maybe a command) is resolved later, and only when no access key is set.
  const first = await resolveSettings(
    ctx,
    fieldsOf("url", "event", "clientId", "accessKey"),
    flags,
  );
  const { dryRun, requireAll } = first;
  const profile = first.resolved.profileName;
  const url = first.resolved.values.url;
  const event = first.resolved.values.event?.value;
  const accessKey = first.resolved.values.accessKey?.value;
  const clientId = first.resolved.values.clientId?.value;
  const keyGiven = typeof accessKey === "string" && accessKey !== "";
  const idGiven = clientId !== undefined && clientId !== "";
  requireAll([
    url === undefined || url.value === ""
      ? { ...missingSetting(eventhosSpec, "url", profile), hint: NO_URL_HINT }
      : undefined,
    options.needEvent !== false ? "event" : undefined,
    dryRun || keyGiven || idGiven
      ? undefined
      : flags.clientSecret !== undefined
        ? missingSetting(eventhosSpec, "clientId", profile)
        : NO_CREDENTIALS,
  ]);
  const settings = { base: urlOf(ctx, url!), event: String(event ?? "") };
  ctx.output.debug(`eventhos url ${settings.base} (from ${sourceText(url!.source)})`);
  if (dryRun) {
    // Reads nothing; refuses, as the real run would, a client secret bound for a project's URL.
    await resolveSettings(ctx, fieldsOf("clientSecret"), flags);
    return { ...settings, credentials: undefined };
  }

  if (keyGiven) {
    if (clientId !== undefined)
      ctx.output.debug(
        "eventhos: an access key and client credentials are both configured; using the access key",
      );
    return { ...settings, credentials: { kind: "key", accessKey } };
  }
  const clientSecret = (await resolveSettings(ctx, fieldsOf("clientSecret"), flags)).need(
    "clientSecret",
  );
  return {
    ...settings,
    credentials: { kind: "client", clientId: String(clientId), clientSecret },
  };
}
