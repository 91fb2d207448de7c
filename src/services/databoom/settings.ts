import type { ResolvedValue } from "../../config/types.js";
import { asUsage, resolveSettings } from "../../config/settings.js";
import type { Context } from "../../context.js";
import { sourceText } from "../../cli/field-option.js";
import { clearTextWarning, parseBaseUrl } from "../../transport/url.js";
import { DEFAULT_DATABOOM_URL, type DataboomTarget } from "./protocol.js";
import { databoomSpec } from "./spec.js";

/** The base URL; a bad value names its source, and from a flag is a usage error. */
function urlOf(ctx: Context, resolved: ResolvedValue | undefined): string {
  const { value, source } = resolved ?? {
    value: DEFAULT_DATABOOM_URL,
    source: { kind: "default" } as const,
  };
  const base = asUsage(source, () =>
    parseBaseUrl(String(value), `the Databoom URL (from ${sourceText(source)})`),
  );
  for (const secret of base.secrets) ctx.redactor.add(secret);
  return base.href;
}

/**
 * Resolves where to send (flag > env > profile > default). In --dry-run no secret is resolved
 * (no command runs, no file is read); a placeholder stands in for the token.
 */
export async function resolveDataboomSettings(
  ctx: Context,
  flags: Record<string, unknown>,
): Promise<DataboomTarget> {
  const { resolved, need, secret, requireAll } = await resolveSettings(ctx, databoomSpec, flags, {
    url: () => DEFAULT_DATABOOM_URL,
  });
  requireAll(["device", "token"]);
  const target: DataboomTarget = {
    url: urlOf(ctx, resolved.values.url),
    device: need("device"),
    token: secret("token"),
  };
  const warning = clearTextWarning(target.url, "the Databoom URL", "token");
  if (warning) ctx.output.warn(warning);
  ctx.output.debug(
    `databoom URL ${target.url} (from ${sourceText(resolved.values.url?.source ?? { kind: "default" })})`,
  );
  return target;
}
