import type { Context, Resolved } from "../context.js";
import { EvsendError, UsageError, type ConfigError } from "../errors.js";
import { sourceText } from "./precedence.js";
import type { MissingSetting } from "./resolve.js";
import type { ServiceSpec, ValueSource } from "./types.js";

/** Stands in for a secret in --dry-run, which reads none; masked like a real one. */
export const DRY_RUN_SECRET = "dry-run";

/** One service's resolved fields, with the checks every service's settings make on them. */
export interface ServiceSettings {
  resolved: Resolved;
  dryRun: boolean;
  /** The error for a required field that no layer supplied, naming every way to set it. */
  missing(key: string): ConfigError;
  /**
   * Checks every required setting of a command at once: each key of `required` that is unset or
   * empty (a secret only outside --dry-run), and each setting the caller found missing itself (a
   * `MissingSetting`; undefined entries are skipped), in the order given. Throws one error naming
   * them all, each with its flag, variable and profile key.
   */
  requireAll(required: ReadonlyArray<string | MissingSetting | undefined>): void;
  /** A required field's value as text; unset or empty is the `missing` error. */
  need(key: string): string;
  /**
   * A required secret's value; in --dry-run, which resolved no secret, a placeholder registered
   * for masking instead.
   */
  secret(key: string): string;
}

/**
 * Resolves a service's fields (flag > env > profile > default). In --dry-run the secret fields are
 * not read, so no secret command runs and no secret file is read; where they would go is checked
 * all the same, so a dry run refuses what the real run would.
 */
export async function resolveSettings(
  ctx: Context,
  spec: ServiceSpec,
  flags: Record<string, unknown>,
  defaults?: Parameters<Context["resolve"]>[2],
): Promise<ServiceSettings> {
  const { missingField, missingSetting, missingSettings } = await import("./resolve.js");
  const dryRun = ctx.globals.dryRun;
  const resolved = await ctx.resolve(spec, flags, defaults, { readSecrets: !dryRun });
  // -v: where each value came from (never the value: a secret, or a URL's password not yet
  // registered for masking).
  const sources = spec.fields.flatMap((field) => {
    const value = resolved.values[field.key];
    return value ? [`${field.key} from ${sourceText(value.source)}`] : [];
  });
  if (sources.length > 0) ctx.output.debug(`${spec.name} settings: ${sources.join(", ")}`);
  const missing = (key: string): ConfigError => missingField(spec, key, resolved.profileName);
  const need = (key: string): string => {
    const value = resolved.values[key]?.value;
    if (value === undefined || value === "") throw missing(key);
    return String(value);
  };
  const secret = (key: string): string => {
    if (!dryRun) return need(key);
    ctx.redactor.add(DRY_RUN_SECRET);
    return DRY_RUN_SECRET;
  };
  const unset = (key: string): boolean => {
    if (dryRun && spec.fields.find((f) => f.key === key)?.secret) return false;
    const value = resolved.values[key]?.value;
    return value === undefined || value === "";
  };
  const requireAll = (required: ReadonlyArray<string | MissingSetting | undefined>): void => {
    const absent: MissingSetting[] = [];
    for (const item of required) {
      if (typeof item === "string") {
        if (unset(item)) absent.push(missingSetting(spec, item, resolved.profileName));
      } else if (item !== undefined) absent.push(item);
    }
    if (absent.length > 0) throw missingSettings(spec, absent, resolved.profileName);
  };
  return { resolved, dryRun, missing, requireAll, need, secret };
}

/**
 * Runs `read` on a value from `source`: a bad value the user typed as a flag is a usage error
 * (exit 2); from the environment or a profile the error stays as thrown (a config error, exit 3).
 */
export function asUsage<T>(source: ValueSource, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (source.kind === "flag" && error instanceof EvsendError)
      throw new UsageError(error.message, error.hint === undefined ? {} : { hint: error.hint });
    throw error;
  }
}
