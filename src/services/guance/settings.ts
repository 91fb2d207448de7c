import type { ResolvedValue, ValueSource } from "../../config/types.js";
import { LAYER_RANK } from "../../config/precedence.js";
import { asUsage, DRY_RUN_SECRET, resolveSettings } from "../../config/settings.js";
import type { Context } from "../../context.js";
import type { MissingSetting } from "../../config/resolve.js";
import { ConfigError } from "../../errors.js";
import { sourceText } from "../../cli/field-option.js";
import type { GuanceTarget } from "./protocol.js";
import { GUANCE_SITES, parseGuanceUrl, siteHost, type GuanceUrl } from "./sites.js";
import { guanceSpec } from "./spec.js";
import { clearTextWarning } from "../../transport/url.js";

/** What the user is told with -v on every push: a 200 does not prove an event was created. */
export const SILENT_IGNORE_NOTE =
  "note: Guance silently ignores an event whose secret and subUri match no monitor, and still answers 200; check the monitor if no event appears";

/** One value and where it came from. */
interface Sourced {
  value: string;
  source: ValueSource;
}

/**
 * The value of the higher layer; two different values from the same layer are ambiguous (a
 * webhook URL and a separate secret in one profile), so a ConfigError naming both.
 */
function pick(
  name: string,
  a: Sourced | undefined,
  b: Sourced | undefined,
  hint = "keep one: a webhook URL already holds the secret and subUri",
): Sourced | undefined {
  if (!a || !b) return a ?? b;
  if (LAYER_RANK[a.source.kind] !== LAYER_RANK[b.source.kind])
    return LAYER_RANK[a.source.kind] > LAYER_RANK[b.source.kind] ? a : b;
  if (a.value === b.value) return a;
  throw new ConfigError(
    `the Guance ${name} is set twice with different values, in ${sourceText(a.source)} and in ${sourceText(b.source)}`,
    { hint },
  );
}

function sourced(resolved: ResolvedValue | undefined): Sourced | undefined {
  return resolved && { value: String(resolved.value), source: resolved.source };
}

function missingHost(profileName: string | undefined): MissingSetting {
  const where = profileName === undefined ? "a profile" : `profile "${profileName}"`;
  return {
    name: "site or URL",
    ways: `--site or --url, EVSEND_GUANCE_SITE or EVSEND_GUANCE_URL, or guance.site or guance.url in ${where}`,
    hint: `sites: ${Object.keys(GUANCE_SITES).join(", ")}; --url also takes the webhook URL copied from the monitor's page`,
  };
}

/**
 * Resolves where and as whom to push. In --dry-run no secret field is resolved (no command runs,
 * no file is read); a secret inside a webhook URL is registered for masking like any other.
 */
export async function resolveGuanceSettings(
  ctx: Context,
  flags: Record<string, unknown>,
): Promise<GuanceTarget> {
  const { resolved, dryRun, requireAll } = await resolveSettings(ctx, guanceSpec, flags);
  const url = sourced(resolved.values.url);
  let parsed: GuanceUrl | undefined;
  if (url) {
    parsed = asUsage(url.source, () => parseGuanceUrl(url.value, sourceText(url.source)));
    for (const secret of parsed.secrets) ctx.redactor.add(secret);
  }
  const site = sourced(resolved.values.site);
  const fromUrl = (value: string | undefined): Sourced | undefined =>
    url && value !== undefined ? { value, source: url.source } : undefined;
  const hostChoice = pick(
    "site or URL",
    site,
    parsed && { value: parsed.host, source: url!.source },
    "keep one: --site for Guance's own sites, --url for a webhook URL or a private deployment",
  );
  const secret = pick("secret", sourced(resolved.values.secret), fromUrl(parsed?.secret));
  const subUri = pick("subUri", sourced(resolved.values.subUri), fromUrl(parsed?.subUri));
  // A site id is looked up only when it wins: a lower layer's typo does not break a --url.
  const host =
    site !== undefined && hostChoice === site
      ? asUsage(site.source, () => siteHost(site.value, sourceText(site.source)))
      : hostChoice?.value;
  requireAll([
    host === undefined ? missingHost(resolved.profileName) : undefined,
    subUri ? undefined : "subUri",
    secret || dryRun ? undefined : "secret",
  ]);
  // requireAll threw if either is unset.
  const target: GuanceTarget = {
    host: host!,
    secret: secret?.value ?? DRY_RUN_SECRET,
    subUri: asUsage(subUri!.source, () => checkSubUri(subUri!.value, sourceText(subUri!.source))),
  };
  if (!secret) ctx.redactor.add(DRY_RUN_SECRET);
  const apiKey = resolved.values.apiKey?.value;
  if (typeof apiKey === "string" && apiKey !== "") target.apiKey = apiKey;
  if (url?.source.kind === "flag" && parsed?.secret !== undefined)
    ctx.output.warn(
      "--url holds the monitor's secret, which shows in ps and shell history; put the webhook URL in EVSEND_GUANCE_URL or guance.url instead",
    );
  const clear = clearTextWarning(target.host, "the Guance URL", "secret");
  if (clear) ctx.output.warn(clear);
  ctx.output.debug(`guance host ${target.host} (from ${sourceText(hostChoice!.source)})`);
  return target;
}

/** subUri without leading/trailing slashes; `.` and `..` segments would be resolved away by URL parsing. */
export function checkSubUri(value: string, from: string): string {
  const subUri = value.trim().replace(/^\/+|\/+$/g, "");
  if (subUri === "" || subUri.split("/").some((s) => s === "." || s === ".." || s === ""))
    throw new ConfigError(`invalid Guance subUri "${value}" (from ${from})`, {
      hint: "use the monitor's subUri as shown on its page, e.g. datakit/push",
    });
  return subUri;
}
