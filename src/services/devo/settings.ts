import type { ResolvedValue } from "../../config/types.js";
import type { Context } from "../../context.js";
import { EvsendError, UsageError } from "../../errors.js";
import { sourceText } from "../../field-option.js";
import { resolveEndpoint, targetWarnings, type DevoTarget } from "./protocol.js";
import { devoSpec } from "./spec.js";

/** Placeholder token in --dry-run, which needs no credentials. */
const DRY_RUN_TOKEN = "dry-run";

/** The Devo target and options resolved from flags, environment, profile and defaults. */
export interface DevoSettings {
  target: DevoTarget;
  gzip: boolean;
}

/** The endpoint's base URL; a bad value names its source, and from a flag is a usage error. */
function endpointOf(ctx: Context, resolved: ResolvedValue | undefined): string {
  // The "us" default means the endpoint is always resolved.
  const { value, source } = resolved ?? { value: "us", source: { kind: "default" } as const };
  try {
    const base = resolveEndpoint(String(value), sourceText(source));
    for (const secret of base.secrets) ctx.redactor.add(secret);
    return base.href;
  } catch (error) {
    if (source.kind === "flag" && error instanceof EvsendError) {
      throw new UsageError(error.message, error.hint === undefined ? {} : { hint: error.hint });
    }
    throw error;
  }
}

/**
 * Resolves where to send (flag > env > profile > default) and prints the warnings about unusual
 * values. In --dry-run no secret is resolved (no command runs, no file is read).
 */
export async function resolveDevoSettings(
  ctx: Context,
  flags: Record<string, unknown>,
): Promise<DevoSettings> {
  const { missingField } = await import("../../config/resolve.js");
  const dryRun = ctx.globals.dryRun;
  const spec = dryRun
    ? { ...devoSpec, fields: devoSpec.fields.filter((f) => !f.secret) }
    : devoSpec;
  const resolved = await ctx.resolve(spec, flags, {
    endpoint: () => "us",
    host: () => ctx.runtime.hostname || "-",
    gzip: () => false,
  });
  const need = (key: string): string => {
    const value = resolved.values[key]?.value;
    if (value === undefined || value === "")
      throw missingField(devoSpec, key, resolved.profileName);
    return String(value);
  };
  const target: DevoTarget = {
    endpoint: endpointOf(ctx, resolved.values.endpoint),
    domain: need("domain"),
    tag: need("tag"),
    host: need("host"),
    token: dryRun ? DRY_RUN_TOKEN : need("token"),
  };
  if (dryRun) ctx.redactor.add(DRY_RUN_TOKEN);
  for (const warning of targetWarnings(target)) {
    if (!(dryRun && warning.includes("token is not"))) ctx.output.warn(warning);
  }
  ctx.output.debug(`devo endpoint ${target.endpoint} (profile ${resolved.profileName ?? "none"})`);
  return { target, gzip: resolved.values.gzip?.value === true };
}
