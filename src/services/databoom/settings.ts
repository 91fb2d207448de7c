import type { ResolvedValue } from "../../config/types.js";
import type { Context } from "../../context.js";
import { EvsendError, UsageError } from "../../errors.js";
import { sourceText } from "../../field-option.js";
import { parseBaseUrl } from "../../transport/url.js";
import { DEFAULT_DATABOOM_URL, type DataboomTarget } from "./protocol.js";
import { databoomSpec } from "./spec.js";

/** Placeholder token in --dry-run, which needs no credentials. */
const DRY_RUN_TOKEN = "dry-run";

/** The base URL; a bad value names its source, and from a flag is a usage error. */
function urlOf(ctx: Context, resolved: ResolvedValue | undefined): string {
  const { value, source } = resolved ?? {
    value: DEFAULT_DATABOOM_URL,
    source: { kind: "default" } as const,
  };
  try {
    const base = parseBaseUrl(String(value), `the Databoom URL (from ${sourceText(source)})`);
    for (const secret of base.secrets) ctx.redactor.add(secret);
    return base.href;
  } catch (error) {
    if (source.kind === "flag" && error instanceof EvsendError) {
      throw new UsageError(error.message, error.hint === undefined ? {} : { hint: error.hint });
    }
    throw error;
  }
}

/** A plain-http URL to another machine sends the token in clear text: worth a warning. */
function clearTextWarning(url: string): string | undefined {
  const { protocol, hostname, origin } = new URL(url);
  const loopback = ["localhost", "[::1]"].includes(hostname) || hostname.startsWith("127.");
  if (protocol !== "http:" || loopback) return undefined;
  return `the Databoom URL ${origin} is plain http: the token travels in clear text; use https`;
}

/**
 * Resolves where to send (flag > env > profile > default). In --dry-run no secret is resolved
 * (no command runs, no file is read); a placeholder stands in for the token.
 */
export async function resolveDataboomSettings(
  ctx: Context,
  flags: Record<string, unknown>,
): Promise<DataboomTarget> {
  const { missingField } = await import("../../config/resolve.js");
  const dryRun = ctx.globals.dryRun;
  const spec = dryRun
    ? { ...databoomSpec, fields: databoomSpec.fields.filter((f) => !f.secret) }
    : databoomSpec;
  const resolved = await ctx.resolve(spec, flags, { url: () => DEFAULT_DATABOOM_URL });
  const need = (key: string): string => {
    const value = resolved.values[key]?.value;
    if (value === undefined || value === "")
      throw missingField(databoomSpec, key, resolved.profileName);
    return String(value);
  };
  const target: DataboomTarget = {
    url: urlOf(ctx, resolved.values.url),
    device: need("device"),
    token: dryRun ? DRY_RUN_TOKEN : need("token"),
  };
  if (dryRun) ctx.redactor.add(DRY_RUN_TOKEN);
  const warning = clearTextWarning(target.url);
  if (warning) ctx.output.warn(warning);
  ctx.output.debug(`databoom URL ${target.url} (profile ${resolved.profileName ?? "none"})`);
  return target;
}
