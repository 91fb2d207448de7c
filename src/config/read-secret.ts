import { dirname, resolve } from "node:path";
import { ConfigError, InterruptedError } from "../errors.js";
import { looksLikeSecret } from "./looks-like-secret.js";
import { expandHome, fsReason, shellQuote, userConfigDir } from "./paths.js";
import { readSmallFile } from "./read-small.js";
import { runSecretCommand } from "./secret-command.js";
import type { ConfigOrigin, SecretRef } from "./types.js";
import { isPlainObject } from "./validate.js";

const REF_KINDS = ["env", "file", "command"] as const;

/** The forms a profile secret may take, for messages. */
export const SECRET_FORMS = 'a string, { env: NAME }, { file: PATH } or { command: "..." }';

/** A profile value as a secret reference, or undefined when it is none of the accepted forms. */
export function parseSecretRef(raw: unknown): SecretRef | undefined {
  if (typeof raw === "string") return raw;
  if (!isPlainObject(raw)) return undefined;
  const keys = Object.keys(raw);
  const kind = REF_KINDS.find((k) => keys.length === 1 && keys[0] === k);
  const value = kind === undefined ? undefined : raw[kind];
  if (kind === undefined || typeof value !== "string" || value.trim() === "") return undefined;
  return { [kind]: value } as SecretRef;
}

/** Where a profile secret is, for messages: `devo.token in profile "p"` in `configPath`. */
export interface SecretSite {
  /** `<service>.<key>`. */
  field: string;
  profile: string;
  configPath: string;
  /** How the file was found; `{ command }` is refused from a project file found by the search. */
  origin?: ConfigOrigin;
}

/** Options for reading a profile's secret reference. */
export interface ReadSecretOptions {
  env: NodeJS.ProcessEnv;
  homedir: string;
  /** How long `{ command }` may run; 10 s unless a test shortens it. */
  commandTimeoutMs?: number;
  /** Aborted on Ctrl-C/SIGTERM: a running command is killed, a file read stops (exit 130). */
  signal?: AbortSignal;
}

/**
 * A project file found by searching from the working directory may come from a cloned
 * repository or another user: it may name values, but never a command for evsend to run.
 */
function untrustedCommand(
  where: string,
  site: SecretSite,
  options: ReadSecretOptions,
): ConfigError {
  const userDir = userConfigDir(options.env, options.homedir);
  return new ConfigError(
    `${where} is a { command } in ${site.configPath}, a project file found by searching from the working directory; evsend runs commands only from your own config file (${userDir}/config.yaml) or a file named with --config or EVSEND_CONFIG`,
    {
      hint: `move the profile to ${userDir}/config.yaml, or, if you trust this file, pass --config ${shellQuote(site.configPath)}`,
    },
  );
}

/** `{ env: <token> }` or `{ file: <token> }`: the secret was put where its name belongs; never echo it. */
function pastedIntoReference(where: string, kind: "env" | "file", change: string): ConfigError {
  const what = kind === "env" ? "a variable name" : "a path";
  return new ConfigError(
    `${where}: the { ${kind}: … } reference holds what looks like a secret (not shown), not ${what}`,
    { hint: `${change}: write the secret itself as the value, or ${what} that holds it` },
  );
}

/** Reads the secret a profile refers to. Every failure is a ConfigError naming profile and field. */
export async function readSecretRef(
  ref: SecretRef,
  site: SecretSite,
  options: ReadSecretOptions,
): Promise<string> {
  const where = `${site.field} in profile "${site.profile}"`;
  const change = `change ${site.field} in ${site.configPath}`;
  if (typeof ref === "string") return ref;
  if ("env" in ref) {
    const value = options.env[ref.env];
    if (value) return value;
    if (looksLikeSecret(ref.env)) throw pastedIntoReference(where, "env", change);
    throw new ConfigError(
      `${where} reads $${ref.env}, which is ${value === "" ? "empty" : "not set"}`,
      {
        hint: `export ${ref.env}=…, or ${change}`,
      },
    );
  }
  if ("file" in ref) {
    const path = resolve(dirname(site.configPath), expandHome(ref.file, options.homedir));
    let text: string;
    try {
      text = await readSmallFile(path, options.signal);
    } catch (error) {
      if (error instanceof InterruptedError) throw error;
      if (looksLikeSecret(ref.file)) throw pastedIntoReference(where, "file", change);
      throw new ConfigError(`${where}: cannot read ${path}: ${fsReason(error)}`, {
        hint: `create the file (chmod 600), or ${change}; a relative path is relative to the config file`,
      });
    }
    const secret = text.trimEnd();
    if (secret !== "") return secret;
    throw new ConfigError(`${where}: ${path} is empty`, {
      hint: `put the secret in it, or ${change}`,
    });
  }
  if (site.origin === "project") throw untrustedCommand(where, site, options);
  try {
    return await runSecretCommand(ref.command, {
      env: options.env,
      ...(options.commandTimeoutMs === undefined ? {} : { timeoutMs: options.commandTimeoutMs }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    throw new ConfigError(`${where}: the command ${(error as Error).message}`, {
      hint: `run the command from ${site.configPath} yourself to see why (evsend does not show its output: it may hold the secret)`,
    });
  }
}
