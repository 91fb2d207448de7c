import { ConfigError } from "../errors.js";
import { looksLikeSecret } from "./looks-like-secret.js";
import { shellQuote, userConfigDir } from "./paths.js";
import { parseSecretRef } from "./read-secret.js";
import {
  envName,
  flagName,
  LAYER_RANK,
  pickCandidate,
  type Candidate,
  type Defaults,
} from "./precedence.js";
import type { ConfigOrigin, FieldSpec, ServiceSpec } from "./types.js";

/** What the check needs: the layers a field is picked from, and the file the profile is in. */
export interface DestinationOptions {
  flags: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  section: Record<string, unknown>;
  defaults?: Defaults;
  profileName: string | undefined;
  configPath: string | undefined;
  configOrigin?: ConfigOrigin;
  homedir: string;
}

/**
 * Whether a value belongs to the project file rather than to the user. Flags, variables, defaults
 * and the user's own (or a named) file are the user's. In a searched project file, an endpoint is
 * the file's, and so is a secret written in it; a `{ env }` or `{ file }` reference reads the
 * user's secret. A `{ command }` counts as the file's: a project file may not run one, which
 * reading it reports.
 */
function fromProject(field: FieldSpec, candidate: Candidate, origin?: ConfigOrigin): boolean {
  if (candidate.kind !== "profile" || origin !== "project") return false;
  const ref = field.secret ? parseSecretRef(candidate.raw) : undefined;
  return !(typeof ref === "object" && ("env" in ref || "file" in ref));
}

/** The secret's source, for the message: `$EVSEND_DEVO_TOKEN`, `--token-file`, `devo.token's { env: $T }`. */
function secretOrigin(spec: ServiceSpec, field: FieldSpec, candidate: Candidate): string {
  if (candidate.kind === "flag") return candidate.flag;
  if (candidate.kind === "env") return `$${candidate.name}`;
  // Only a { env } or { file } reference in a profile is the user's secret (see fromProject).
  const ref = parseSecretRef(candidate.raw) as { env: string } | { file: string };
  const [kind, named] = "env" in ref ? ["env", ref.env] : ["file", ref.file];
  // A secret pasted where its name belongs is never echoed.
  const what = looksLikeSecret(named) ? "(not shown)" : kind === "env" ? `$${named}` : named;
  return `${spec.name}.${field.key}'s { ${kind}: ${what} }`;
}

/**
 * Refuses, before any secret is read or sent, to send a secret to an endpoint from a less trusted
 * source: as npm binds a token to its registry's host, an endpoint set by a project file found by
 * the search (a cloned repository's package.json) never receives the user's secret — from a flag,
 * a variable, or that file's `{ env }`/`{ file }`. `service` is the whole service (its endpoint
 * fields); `secrets` are the secret fields about to be read.
 */
export function checkSecretDestination(
  service: ServiceSpec,
  secrets: FieldSpec[],
  options: DestinationOptions,
): void {
  const pick = (field: FieldSpec): Candidate | undefined => pickCandidate(service, field, options);
  let endpoint: { field: FieldSpec; candidate: Candidate } | undefined;
  for (const field of service.fields.filter((f) => f.endpoint)) {
    const candidate = pick(field);
    if (
      candidate &&
      (!endpoint || LAYER_RANK[candidate.kind] > LAYER_RANK[endpoint.candidate.kind])
    )
      endpoint = { field, candidate };
  }
  if (!endpoint || !fromProject(endpoint.field, endpoint.candidate, options.configOrigin)) return;
  for (const field of secrets) {
    const candidate = pick(field);
    if (!candidate || fromProject(field, candidate, options.configOrigin)) continue;
    const file = options.configPath ?? "";
    const key = `${service.name}.${endpoint.field.key}`;
    const own = `${userConfigDir(options.env, options.homedir)}/config.yaml`;
    throw new ConfigError(
      `refusing to send the ${service.title} ${field.key} from ${secretOrigin(service, field, candidate)} to the endpoint set by ${key} in profile "${options.profileName}" in ${file}, a project file found by searching from the working directory: a secret goes only to an endpoint from a source at least as trusted as the secret's`,
      {
        hint: `if you trust that endpoint, pass it yourself (${flagName(endpoint.field)} or ${envName(service.name, endpoint.field.key)}), move the profile to ${own}, or name the file with --config ${shellQuote(file)} (or EVSEND_CONFIG), which makes it yours`,
      },
    );
  }
}
