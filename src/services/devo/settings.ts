import type { ResolvedValue } from "../../config/types.js";
import { asUsage, resolveSettings } from "../../config/settings.js";
import type { Context } from "../../context.js";
import { sourceText } from "../../cli/field-option.js";
import { resolveEndpoint, targetWarnings, type DevoTarget } from "./protocol.js";
import { devoSpec } from "./spec.js";

/** The Devo target and options resolved from flags, environment, profile and defaults. */
export interface DevoSettings {
  target: DevoTarget;
  gzip: boolean;
}

/** The endpoint's base URL; a bad value names its source, and from a flag is a usage error. */
function endpointOf(ctx: Context, resolved: ResolvedValue | undefined): string {
  // The "us" default means the endpoint is always resolved.
  const { value, source } = resolved ?? { value: "us", source: { kind: "default" } as const };
  const base = asUsage(source, () => resolveEndpoint(String(value), sourceText(source)));
  for (const secret of base.secrets) ctx.redactor.add(secret);
  return base.href;
}

/**
 * Resolves where to send (flag > env > profile > default) and prints the warnings about unusual
 * values. In --dry-run no secret is resolved (no command runs, no file is read).
 */
export async function resolveDevoSettings(
  ctx: Context,
  flags: Record<string, unknown>,
): Promise<DevoSettings> {
  const { resolved, dryRun, need, secret, requireAll } = await resolveSettings(
    ctx,
    devoSpec,
    flags,
    {
      endpoint: () => "us",
      host: () => ctx.runtime.hostname || "-",
      gzip: () => false,
    },
  );
  requireAll(["domain", "tag", "host", "token"]);
  const target: DevoTarget = {
    endpoint: endpointOf(ctx, resolved.values.endpoint),
    domain: need("domain"),
    tag: need("tag"),
    host: need("host"),
    token: secret("token"),
  };
  for (const warning of targetWarnings(target)) {
    if (!(dryRun && warning.includes("token is not"))) ctx.output.warn(warning);
  }
  ctx.output.debug(
    `devo endpoint ${target.endpoint} (from ${sourceText(resolved.values.endpoint?.source ?? { kind: "default" })})`,
  );
  return { target, gzip: resolved.values.gzip?.value === true };
}
