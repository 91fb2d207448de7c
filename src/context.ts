import type { Readable } from "node:stream";
import type { Command } from "commander";
import type { LoadedConfig, ResolvedValue, ServiceSpec } from "./config/types.js";
import type { SelectedProfile } from "./config/profile.js";
import { UsageError } from "./errors.js";
import { createOutput, type OutStream, type Output } from "./output/output.js";
import { Redactor, type SecretForms } from "./transport/redact.js";
import { createTransport, type Transport } from "./transport/send.js";

/** The process a command runs in; tests build one with buffers and a temporary HOME. */
export interface Runtime {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  homedir: string;
  hostname: string;
  stdin: Readable & { isTTY?: boolean };
  stdout: OutStream;
  stderr: OutStream;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  version: string;
  /**
   * The directory evsend's package is in (its package.json's), which holds `schema/` and
   * `completions/`; undefined in tests that need neither.
   */
  packageDir?: string;
  /** Set by a command that finished with a summary (e.g. 6 for partial delivery). */
  exitCode: number;
  /**
   * Set by a command while it runs: reports what it did so far, ending with `failure`, when evsend
   * has to stop before the command finishes (still busy after Ctrl-C). Unset: nothing to report.
   */
  reportNow?: (failure: Error) => void;
  /**
   * Set by `main` only (V8's flags are the process's; tests that call `run` keep V8's defaults):
   * holds V8's heap near a long record run's working size until the function it gives back is
   * called (src/bulk/heap-limit.ts).
   */
  limitHeap?: () => Promise<() => void>;
}

/** The global options, parsed once. */
export interface GlobalOptions {
  profile?: string;
  config?: string;
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  dryRun: boolean;
  timeoutMs: number;
  retries: number;
  color: boolean;
  caFile?: string;
}

/** What every command's run function receives besides its own options. */
export interface Context {
  runtime: Runtime;
  globals: GlobalOptions;
  output: Output;
  redactor: Redactor;
  /** The shared sender, created on first use. */
  transport(): Transport;
  /**
   * Resolves one service's settings (flag > env > profile > default); secrets are registered for
   * masking. With `readSecrets: false` (--dry-run) secrets are checked for where they would go,
   * but not read.
   */
  resolve(
    spec: ServiceSpec,
    flags: Record<string, unknown>,
    defaults?: Record<string, () => string | number | boolean | undefined>,
    options?: { readSecrets?: boolean },
  ): Promise<Resolved>;
  /**
   * Claims stdin for one reader (`what`: "the input -", "the message", "--token-file -"). Stdin
   * can be read once: a second, different claim is a usage error (exit 2) naming both readers.
   */
  claimStdin(what: string): void;
  /** The config file this run uses (loaded once, with its warnings reported): `config`'s commands. */
  config(): Promise<LoadedConfig>;
  /** Closes connections. */
  close(): Promise<void>;
}

/**
 * What the core knows of a service: its fields and how its secrets look. The services
 * (src/services/types.ts) are more; the composition root passes them in, and nothing here
 * imports one.
 */
export interface KnownService {
  spec: ServiceSpec;
  secretForms?: SecretForms | undefined;
}

/** A service's resolved settings and where they came from. */
export interface Resolved {
  values: Record<string, ResolvedValue | undefined>;
  profileName: string | undefined;
  configPath: string | undefined;
}

/** Global options from a command, with defaults applied. */
export function readGlobals(command: Command): GlobalOptions {
  const o = command.optsWithGlobals();
  return {
    profile: o.profile as string | undefined,
    config: o.config as string | undefined,
    json: !!o.json,
    quiet: !!o.quiet,
    verbose: !!o.verbose,
    dryRun: !!o.dryRun,
    timeoutMs: (o.timeout as number | undefined) ?? 30_000,
    retries: (o.retries as number | undefined) ?? 5,
    color: o.color !== false,
    caFile: o.caFile as string | undefined,
  };
}

/** The --verbose line that names the config file in use and how it was found. */
function describeConfigFile(config: LoadedConfig): string {
  if (config.filepath === undefined) {
    const where = config.searched?.length ? ` (searched ${config.searched.join(", ")})` : "";
    return `config: no config file found${where}`;
  }
  const how = {
    explicit: "named with --config or EVSEND_CONFIG",
    user: "your user config",
    project: "a project file found from the working directory",
  }[config.origin ?? "explicit"];
  return `config: ${config.filepath} (${how})`;
}

/** Loads the config file and reports its warnings, notes and (with --verbose) which file it is. */
async function loadRunConfig(
  runtime: Runtime,
  globals: GlobalOptions,
  services: readonly KnownService[],
  output: Output,
): Promise<LoadedConfig> {
  const { loadConfig } = await import("./config/load.js");
  const explicitPath = globals.config ?? (runtime.env.EVSEND_CONFIG || undefined);
  const config = await loadConfig({
    ...(explicitPath ? { explicitPath } : {}),
    cwd: runtime.cwd,
    env: runtime.env,
    homedir: runtime.homedir,
    ...(services[0] ? { exampleSection: services[0].spec.name } : {}),
    secretFields: services.flatMap(({ spec }) =>
      spec.fields.filter((f) => f.secret).map((f) => `${spec.name}.${f.key}`),
    ),
    signal: runtime.signal,
  });
  for (const warning of config.warnings) output.warn(warning);
  for (const note of config.notes ?? []) output.info(note);
  output.debug(describeConfigFile(config));
  return config;
}

/** A stdin claim: the first reader gets stdin; a second, different reader is a usage error. */
function createStdinClaim(): (what: string) => void {
  let stdinReader: string | undefined;
  return (what) => {
    if (stdinReader !== undefined && stdinReader !== what) {
      throw new UsageError(
        `stdin can be read only once, but both ${stdinReader} and ${what} read it`,
        {
          hint: "give one of them a file instead of -",
        },
      );
    }
    stdinReader = what;
  };
}

/** Which unknown-key warnings were given: the profile's once per run, each service section's once. */
interface KeyChecks {
  profile: boolean;
  /** Services whose profile section was checked: warned once, however often resolved. */
  fields: Set<string>;
}

/** Warns, once each, of keys the selected profile and the service's section do not know. */
async function warnUnknownKeys(
  checks: KeyChecks,
  profile: SelectedProfile,
  fullSpec: ServiceSpec,
  services: readonly KnownService[],
  output: Output,
): Promise<void> {
  const { unknownFields, unknownProfileKeys } = await import("./config/unknown-keys.js");
  if (profile.name !== undefined && !checks.profile) {
    checks.profile = true;
    const specs = services.map((s) => s.spec);
    for (const warning of unknownProfileKeys(profile.name, profile.data, specs))
      output.warn(warning);
  }
  if (!checks.fields.has(fullSpec.name)) {
    checks.fields.add(fullSpec.name);
    for (const warning of unknownFields(fullSpec, profile.data)) output.warn(warning);
  }
}

/** Builds the context for one command run of a program that speaks `services`. */
export function createContext(
  runtime: Runtime,
  globals: GlobalOptions,
  services: readonly KnownService[],
): Context {
  const redactor = new Redactor(services.flatMap((s) => (s.secretForms ? [s.secretForms] : [])));
  const output = createOutput({
    stdout: runtime.stdout,
    stderr: runtime.stderr,
    env: runtime.env,
    json: globals.json,
    quiet: globals.quiet,
    verbose: globals.verbose,
    color: globals.color,
    redactor,
  });
  let transport: Transport | undefined;
  let loaded: Promise<LoadedConfig> | undefined;
  const keyChecks: KeyChecks = { profile: false, fields: new Set() };
  const claimStdin = createStdinClaim();

  return {
    runtime,
    globals,
    output,
    redactor,
    transport() {
      transport ??= createTransport({
        timeoutMs: globals.timeoutMs,
        retries: globals.retries,
        userAgent: `evsend/${runtime.version}`,
        env: runtime.env,
        ...(globals.caFile ? { caFile: globals.caFile } : {}),
        redactor,
        onAttempt: (log) => output.attempt(log),
        onWarning: (message) => output.warn(message),
        signal: runtime.signal,
      });
      return transport;
    },
    async resolve(spec, flags, defaults, options) {
      const config = await (loaded ??= loadRunConfig(runtime, globals, services, output));
      const { selectProfile } = await import("./config/profile.js");
      const { resolveService } = await import("./config/resolve.js");
      const profile = selectProfile(
        config,
        globals.profile ?? (runtime.env.EVSEND_PROFILE || undefined),
      );
      // A caller may pass a part of the spec (Eventhos's client secret); judge keys by the whole one.
      const fullSpec = services.find((s) => s.spec.name === spec.name)?.spec ?? spec;
      await warnUnknownKeys(keyChecks, profile, fullSpec, services, output);
      const values = await resolveService(spec, {
        flags,
        env: runtime.env,
        profileName: profile.name,
        profile: profile.data,
        configPath: config.filepath,
        ...(config.origin ? { configOrigin: config.origin } : {}),
        stdin: () => runtime.stdin,
        claimStdin,
        signal: runtime.signal,
        homedir: runtime.homedir,
        cwd: runtime.cwd,
        ...(defaults ? { defaults } : {}),
        service: fullSpec,
        readSecrets: options?.readSecrets !== false,
      });
      for (const resolved of Object.values(values)) {
        if (resolved?.secret) redactor.add(String(resolved.value));
      }
      return { values, profileName: profile.name, configPath: config.filepath };
    },
    claimStdin,
    config() {
      return (loaded ??= loadRunConfig(runtime, globals, services, output));
    },
    async close() {
      await transport?.close();
    },
  };
}
