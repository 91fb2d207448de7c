import type { Readable } from "node:stream";
import { ConfigError } from "../errors.js";
import { CREATE_PROFILE_HINT } from "./profile.js";
import { parseSecretRef, readSecretRef, SECRET_FORMS } from "./read-secret.js";
import { checkSecretDestination } from "./secret-destination.js";
import { readSecretFlag } from "./secret-flag.js";
import {
  envName,
  flagName,
  parseBoolean,
  pickCandidate,
  sourceOf,
  type Candidate,
  type Defaults,
} from "./precedence.js";
import type { ConfigOrigin, FieldSpec, ResolvedValue, ServiceSpec } from "./types.js";
import { isPlainObject } from "./validate.js";

/** Everything one service's fields are resolved from. */
export interface ResolveOptions {
  /** Field key → value, only for flags the user actually passed (a commander default never counts). */
  flags: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  profileName: string | undefined;
  /** The whole selected profile; this service's section is `profile[spec.name]`. */
  profile: Record<string, unknown>;
  configPath: string | undefined;
  /** How the config file was found; a project file may not run `{ command }` secrets. */
  configOrigin?: ConfigOrigin;
  /** Read for a secret flag given as `-` (called only then: opening process.stdin costs start-up). */
  stdin: () => Readable;
  /** Claims stdin before a secret flag `-` reads it (a second reader is exit 2). */
  claimStdin?: (what: string) => void;
  /** Ctrl-C/SIGTERM: a running secret command is killed and stdin reads stop (exit 130). */
  signal?: AbortSignal;
  homedir: string;
  /** Base of a relative secret-file flag; the process's working directory when absent. */
  cwd?: string;
  defaults?: Defaults;
  /**
   * The whole service, whose endpoint fields decide where the secrets go, when `spec` is a part
   * of it (Eventhos resolves its client secret on its own); `spec` itself when absent.
   */
  service?: ServiceSpec;
  /** False in --dry-run: secret fields are checked (see checkSecretDestination) but not read. */
  readSecrets?: boolean;
  /** How long a `{ command }` secret may run (10 s); tests shorten it. */
  commandTimeoutMs?: number;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  return isPlainObject(value) ? "a mapping" : `a ${typeof value}`;
}

async function materialize(
  spec: ServiceSpec,
  field: FieldSpec,
  candidate: Candidate,
  options: ResolveOptions,
): Promise<string | boolean> {
  const id = `${spec.name}.${field.key}`;
  const where = `${id} in profile "${options.profileName}"`;
  const { raw } = candidate;
  if (field.type === "boolean") {
    if (candidate.kind === "env") {
      const value = parseBoolean(candidate.raw);
      if (value !== undefined) return value;
      throw new ConfigError(
        `${candidate.name} must be true or false (or 1/0, yes/no), not "${candidate.raw}"`,
      );
    }
    if (typeof raw === "boolean") return raw;
    if (candidate.kind === "profile")
      throw new ConfigError(`${where} must be true or false, not ${kindOf(raw)}`, {
        hint: `edit ${options.configPath}`,
      });
    return Boolean(raw);
  }
  if (field.secret && candidate.kind === "flag") {
    const site = { flag: candidate.flag, envName: envName(spec.name, field.key), profileField: id };
    return readSecretFlag(site, String(raw), {
      stdin: options.stdin,
      cwd: options.cwd ?? process.cwd(),
      homedir: options.homedir,
      ...(options.claimStdin ? { claimStdin: options.claimStdin } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }
  if (candidate.kind !== "profile") return String(raw);
  if (field.secret) {
    const ref = parseSecretRef(raw);
    if (ref === undefined) {
      throw new ConfigError(`${where} must be ${SECRET_FORMS}, not ${kindOf(raw)}`, {
        hint: `edit ${options.configPath}${typeof raw === "number" ? "; quote a secret that looks like a number" : ""}`,
      });
    }
    return readSecretRef(
      ref,
      {
        field: id,
        profile: options.profileName ?? "",
        configPath: options.configPath ?? "",
        ...(options.configOrigin ? { origin: options.configOrigin } : {}),
      },
      options,
    );
  }
  if (typeof raw === "string") return raw;
  if (typeof raw === "number" && Number.isFinite(raw)) return String(raw);
  throw new ConfigError(`${where} must be a string, not ${kindOf(raw)}`, {
    hint: `edit ${options.configPath}`,
  });
}

/**
 * Resolves every field of `spec` (flag > env > profile > default). A secret is read only from the
 * layer that wins, so a flag or variable spares running the profile's command, and only once its
 * destination is known to be trusted enough for it. Undefined marks a field no layer has (or an
 * unread secret); callers decide whether it is required (see missingField).
 */
export async function resolveService(
  spec: ServiceSpec,
  options: ResolveOptions,
): Promise<Record<string, ResolvedValue | undefined>> {
  const rawSection = options.profileName === undefined ? undefined : options.profile[spec.name];
  if (rawSection !== undefined && rawSection !== null && !isPlainObject(rawSection)) {
    throw new ConfigError(
      `${spec.name} in profile "${options.profileName}" must be a mapping of fields, not ${kindOf(rawSection)}`,
      {
        hint: `edit ${options.configPath}; ${spec.name} holds fields: ${spec.fields.map((f) => f.key).join(", ")}`,
      },
    );
  }
  const section = rawSection ?? {};
  const layers = {
    flags: options.flags,
    env: options.env,
    section,
    ...(options.defaults ? { defaults: options.defaults } : {}),
  };
  const secrets = spec.fields.filter((f) => f.secret);
  checkSecretDestination(options.service ?? spec, secrets, { ...options, ...layers });
  const values: Record<string, ResolvedValue | undefined> = {};
  for (const field of spec.fields) {
    if (field.secret && options.readSecrets === false) continue;
    const candidate = pickCandidate(spec, field, layers);
    values[field.key] = candidate && {
      value: await materialize(spec, field, candidate, options),
      source: sourceOf(candidate, options.profileName ?? "", options.configPath ?? ""),
      secret: field.secret === true,
    };
  }
  return values;
}

/** A required setting no layer supplied: its name, every way to set it, and how to fill it in. */
export interface MissingSetting {
  /** The setting's name in messages: a field key (`domain`) or a choice (`site or URL`). */
  name: string;
  /** Every way to set it: `--domain, EVSEND_DEVO_DOMAIN or devo.domain in profile "prod"`. */
  ways: string;
  hint?: string;
}

function profileWords(profileName: string | undefined): string {
  return profileName === undefined ? "a profile" : `profile "${profileName}"`;
}

/** A required field of `spec` that no layer supplied, with its flag, variable and profile key. */
export function missingSetting(
  spec: ServiceSpec,
  key: string,
  profileName: string | undefined,
): MissingSetting {
  const field = spec.fields.find((f) => f.key === key);
  const ways = [
    ...(field ? [flagName(field)] : []),
    envName(spec.name, key),
    `${spec.name}.${key} in ${profileWords(profileName)}`,
  ];
  return {
    name: key,
    ways: `${ways.slice(0, -1).join(", ")} or ${ways.at(-1)}`,
    ...(field?.secret
      ? {
          hint: `in a profile, ${spec.name}.${key} can be ${SECRET_FORMS}; ${flagName(field)} - reads it from stdin`,
        }
      : {}),
  };
}

/**
 * One error for every required setting of a command that no layer supplied, so that a first run
 * learns them all at once: one line per setting, each with its flag, variable and profile key.
 */
export function missingSettings(
  spec: ServiceSpec,
  missing: readonly MissingSetting[],
  profileName: string | undefined,
): ConfigError {
  const hints = [...new Set(missing.flatMap((m) => (m.hint ? [m.hint] : [])))];
  if (profileName === undefined)
    hints.push(
      `no profile is in use: pass --profile <name> (or EVSEND_PROFILE), or ${CREATE_PROFILE_HINT}`,
    );
  const options = hints.length > 0 ? { hint: hints.join("; ") } : {};
  const [only] = missing;
  if (missing.length === 1 && only) {
    return new ConfigError(`missing ${spec.title} ${only.name}: set ${only.ways}`, options);
  }
  const names = missing.map((m) => m.name);
  const list = `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return new ConfigError(
    [
      `missing ${missing.length} ${spec.title} settings, ${list}:`,
      ...missing.map((m) => `  ${m.name}: set ${m.ways}`),
    ].join("\n"),
    options,
  );
}

/** The error for a required field that no layer supplied, naming every way to set it. */
export function missingField(
  spec: ServiceSpec,
  key: string,
  profileName: string | undefined,
): ConfigError {
  return missingSettings(spec, [missingSetting(spec, key, profileName)], profileName);
}
