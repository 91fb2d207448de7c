import { pickCandidate, sourceOf } from "./precedence.js";
import { parseSecretRef } from "./read-secret.js";
import type { ServiceSpec, ValueSource } from "./types.js";
import { isPlainObject } from "./validate.js";

/** One field as `config show` prints it: the value (none for a secret), and where it comes from. */
export interface FieldView {
  key: string;
  /** The value as text; undefined for a secret (never shown) and for a field no layer sets. */
  value?: string;
  secret: boolean;
  /** Where it comes from; undefined when no layer sets it. */
  source?: ValueSource;
  /** For a secret: where it is read from (`env DEVO_TOKEN`, `file ~/t`, `command`, `literal`). */
  reference?: string;
}

/** Where a profile secret is read from, never its value (nor a command's text, which may hold one). */
function referenceOf(raw: unknown): string {
  const ref = parseSecretRef(raw);
  if (ref === undefined) return "not a secret reference";
  if (typeof ref === "string") return "literal, in the file";
  if ("env" in ref) return `env ${ref.env}`;
  if ("file" in ref) return `file ${ref.file}`;
  return "command";
}

/**
 * Every field of `spec` with its winning layer (flag > env > profile > default: `defaultText` is
 * the default shown), read from the layers alone: no secret is read, no command runs.
 */
export function describeFields(
  spec: ServiceSpec,
  layers: {
    flags?: Record<string, unknown>;
    env: NodeJS.ProcessEnv;
    profileName: string | undefined;
    profile: Record<string, unknown>;
    configPath: string | undefined;
  },
): FieldView[] {
  const section = layers.profile[spec.name];
  const defaults = Object.fromEntries(
    spec.fields.filter((f) => f.defaultText !== undefined).map((f) => [f.key, () => f.defaultText]),
  );
  return spec.fields.map((field) => {
    const candidate = pickCandidate(spec, field, {
      flags: layers.flags ?? {},
      env: layers.env,
      section: layers.profileName !== undefined && isPlainObject(section) ? section : {},
      defaults,
    });
    const view: FieldView = { key: field.key, secret: field.secret === true };
    if (!candidate) return view;
    view.source = sourceOf(candidate, layers.profileName ?? "", layers.configPath ?? "");
    if (!field.secret) view.value = String(candidate.raw);
    else if (candidate.kind === "profile") view.reference = referenceOf(candidate.raw);
    return view;
  });
}
