import type { FieldSpec, ServiceSpec, ValueSource } from "./types.js";

/** Built-in defaults: field key → a function, called only when no other layer has the field. */
export type Defaults = Record<string, () => string | number | boolean | undefined>;

/** Flag > env > profile > default: which of two layers wins, e.g. a Guance site against a URL. */
export const LAYER_RANK: Record<ValueSource["kind"], number> = {
  flag: 3,
  env: 2,
  profile: 1,
  default: 0,
};

/** The layer that supplies a field, before anything is read or run. */
export type Candidate =
  | { kind: "flag"; flag: string; raw: unknown }
  | { kind: "env"; name: string; raw: string }
  | { kind: "profile"; raw: unknown }
  | { kind: "default"; raw: string | number | boolean };

/** `EVSEND_<SERVICE>_<FIELD>` in upper snake case: (devo, clientSecret) → EVSEND_DEVO_CLIENT_SECRET. */
export function envName(service: string, key: string): string {
  const snake = (text: string): string =>
    text
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .replace(/[^A-Za-z0-9]+/g, "_")
      .toUpperCase();
  return `EVSEND_${snake(service)}_${snake(key)}`;
}

/** true/false, 1/0, yes/no (any case); undefined for anything else. */
export function parseBoolean(text: string): boolean | undefined {
  const word = text.trim().toLowerCase();
  if (["true", "1", "yes"].includes(word)) return true;
  if (["false", "0", "no"].includes(word)) return false;
  return undefined;
}

/** The flag that sets a field, e.g. `--domain`; `--no-gzip` when a boolean flag was false. */
export function flagName(field: FieldSpec, value?: unknown): string {
  const flag = field.flag ?? `--${field.key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return field.type === "boolean" && value === false ? flag.replace(/^--/, "--no-") : flag;
}

/**
 * The highest layer that has the field: flag (only when passed) > env (non-empty) > profile
 * (non-empty) > default. Pure, so precedence is tested without files or commands.
 */
export function pickCandidate(
  spec: ServiceSpec,
  field: FieldSpec,
  layers: {
    flags: Record<string, unknown>;
    env: NodeJS.ProcessEnv;
    section: Record<string, unknown>;
    defaults?: Defaults;
  },
): Candidate | undefined {
  const { key } = field;
  const flagValue = Object.hasOwn(layers.flags, key) ? layers.flags[key] : undefined;
  if (flagValue !== undefined)
    return { kind: "flag", flag: flagName(field, flagValue), raw: flagValue };
  const name = envName(spec.name, key);
  const envValue = layers.env[name];
  if (envValue) return { kind: "env", name, raw: envValue };
  const profileValue = layers.section[key];
  if (profileValue !== undefined && profileValue !== null && profileValue !== "") {
    return { kind: "profile", raw: profileValue };
  }
  const fallback = layers.defaults?.[key]?.();
  return fallback === undefined ? undefined : { kind: "default", raw: fallback };
}

/** Where a picked candidate's value comes from; a profile's by its name and file. */
export function sourceOf(candidate: Candidate, profile: string, file: string): ValueSource {
  switch (candidate.kind) {
    case "flag":
      return { kind: "flag", flag: candidate.flag };
    case "env":
      return { kind: "env", name: candidate.name };
    case "profile":
      return { kind: "profile", profile, file };
    case "default":
      return { kind: "default" };
  }
}

/** Where a value came from, for messages: `--endpoint`, `env NAME`, `profile "p" in FILE`. */
export function sourceText(source: ValueSource): string {
  switch (source.kind) {
    case "flag":
      return source.flag;
    case "env":
      return `env ${source.name}`;
    case "profile":
      return `profile "${source.profile}" in ${source.file}`;
    case "default":
      return "the default";
  }
}
