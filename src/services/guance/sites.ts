import { ConfigError } from "../../errors.js";
import { maskUrlUserinfo } from "../../transport/redact.js";
import { parseBaseUrl } from "../../transport/url.js";

/** Guance's OpenAPI hosts by site id (apis/guance.md), then TrueWatch's (same API, sold abroad). */
export const GUANCE_SITES: Readonly<Record<string, string>> = {
  cn1: "https://openapi.guance.com",
  cn2: "https://aws-openapi.guance.com",
  cn4: "https://cn4-openapi.guance.com",
  cn5: "https://cn5-openapi.guance.com",
  cn6: "https://cn6-openapi.guance.one",
  us1: "https://us1-openapi.guance.com",
  eu1: "https://eu1-openapi.guance.one",
  ap1: "https://ap1-openapi.guance.one",
  za1: "https://za1-openapi.guance.com",
  id1: "https://id1-openapi.guance.com",
  me1: "https://me1-openapi.guance.com",
  "truewatch-us1": "https://us1-openapi.truewatch.com",
  "truewatch-eu1": "https://eu1-openapi.truewatch.com",
  "truewatch-ap1": "https://ap1-openapi.truewatch.com",
  "truewatch-za1": "https://za1-openapi.truewatch.com",
  "truewatch-id1": "https://id1-openapi.truewatch.com",
};

/** The path every push goes to, under the host base. */
export const PUSH_PATH = "/api/v1/push-events/";

/** `tw-us1` is accepted for `truewatch-us1`: the short form people write. */
function canonicalSite(id: string): string {
  const lower = id.trim().toLowerCase();
  return lower.startsWith("tw-") ? `truewatch-${lower.slice(3)}` : lower;
}

/** A site id → its host; an unknown id is a ConfigError listing the sites. `from` names the source. */
export function siteHost(id: string, from: string): string {
  // An own key only: `constructor` or `__proto__` is an unknown site, not Object's member.
  const site = canonicalSite(id);
  if (Object.hasOwn(GUANCE_SITES, site)) return GUANCE_SITES[site]!;
  throw new ConfigError(`unknown Guance site "${id}" (from ${from})`, {
    hint: `use one of ${Object.keys(GUANCE_SITES).join(", ")}, or --url with the host of a private deployment`,
  });
}

/** A `--url` value taken apart: the host base, and the secret and subUri of a webhook URL. */
export interface GuanceUrl {
  /** Scheme, host, port and any path prefix, without a trailing slash. */
  host: string;
  /** Present when the URL was a whole webhook URL; register it for masking. */
  secret?: string;
  subUri?: string;
  /** Userinfo secrets of the URL, for masking. */
  secrets: string[];
}

function decodeSegment(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A host base URL, or the whole webhook URL copied from the monitor's page
 * (`<host>/api/v1/push-events/<secret>/<subUri>`), from which secret and subUri are taken. Pure:
 * the caller registers `secret` and `secrets` with the redactor before printing anything.
 * Errors never quote the secret.
 */
export function parseGuanceUrl(text: string, from: string): GuanceUrl {
  const trimmed = text.trim();
  const at = trimmed.indexOf(PUSH_PATH);
  if (at === -1) {
    const base = parseBaseUrl(trimmed, `the Guance URL (from ${from})`);
    return { host: base.href, secrets: base.secrets };
  }
  const rest = trimmed.slice(at + PUSH_PATH.length);
  const slash = rest.indexOf("/");
  const rawSecret = slash === -1 ? rest : rest.slice(0, slash);
  const rawSubUri = slash === -1 ? "" : rest.slice(slash + 1);
  const secret = decodeSegment(rawSecret);
  const shown = maskUrlUserinfo(`${trimmed.slice(0, at)}${PUSH_PATH}…`);
  if (!secret || !rawSubUri.replace(/\/+$/, "") || /[?#]/.test(rest)) {
    throw new ConfigError(
      `the Guance webhook URL (from ${from}) must end in ${PUSH_PATH}<secret>/<subUri>: "${shown}"`,
      {
        hint: "copy the whole URL from the monitor's page, or give the host only and set the secret and subUri",
      },
    );
  }
  const base = parseBaseUrl(trimmed.slice(0, at) || "/", `the Guance URL (from ${from})`);
  const subUri = rawSubUri.replace(/\/+$/, "").split("/").map(decodeSegment).join("/");
  const secrets = [...base.secrets, secret, ...(rawSecret === secret ? [] : [rawSecret])];
  return { host: base.href, secret, subUri, secrets };
}
