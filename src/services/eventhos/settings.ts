import type { ResolvedValue } from "../../config/types.js";
import { asUsage, resolveSettings } from "../../config/settings.js";
import type { Context } from "../../context.js";
import { ConfigError } from "../../errors.js";
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

function noCredentials(): ConfigError {
  return new ConfigError(
    "missing Eventhos credentials: set an access key, or a client id and secret",
    {
      hint:
        "access key: --access-key-file <path|->, EVSEND_EVENTHOS_ACCESS_KEY or eventhos.accessKey; " +
        "client credentials: --client-id, EVSEND_EVENTHOS_CLIENT_ID or eventhos.clientId, with " +
        "--client-secret-file <path|->, EVSEND_EVENTHOS_CLIENT_SECRET or eventhos.clientSecret",
    },
  );
}

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
  const { dryRun, missing } = first;
  const profile = first.resolved.profileName;
  const url = first.resolved.values.url;
  if (url === undefined || url.value === "") {
    const noUrl = missing("url");
    throw new ConfigError(noUrl.message, {
      hint: [NO_URL_HINT, noUrl.hint].filter(Boolean).join("; "),
    });
  }
  const event = first.resolved.values.event?.value;
  if ((event === undefined || event === "") && options.needEvent !== false) throw missing("event");
  const settings = { base: urlOf(ctx, url), event: String(event ?? "") };
  ctx.output.debug(`eventhos url ${settings.base} (profile ${profile ?? "none"})`);
  if (dryRun) {
    // Reads nothing; refuses, as the real run would, a client secret bound for a project's URL.
    await resolveSettings(ctx, fieldsOf("clientSecret"), flags);
    return { ...settings, credentials: undefined };
  }

  const accessKey = first.resolved.values.accessKey?.value;
  const clientId = first.resolved.values.clientId?.value;
  if (typeof accessKey === "string" && accessKey !== "") {
    if (clientId !== undefined)
      ctx.output.debug(
        "eventhos: an access key and client credentials are both configured; using the access key",
      );
    return { ...settings, credentials: { kind: "key", accessKey } };
  }
  if (clientId === undefined || clientId === "") {
    const secretGiven = flags.clientSecret !== undefined;
    throw secretGiven ? missing("clientId") : noCredentials();
  }
  const clientSecret = (await resolveSettings(ctx, fieldsOf("clientSecret"), flags)).need(
    "clientSecret",
  );
  return {
    ...settings,
    credentials: { kind: "client", clientId: String(clientId), clientSecret },
  };
}
