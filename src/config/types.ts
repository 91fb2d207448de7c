/** One setting of a service: profile key `<service>.<key>`, env `EVSEND_<SERVICE>_<KEY>`, a flag. */
export interface FieldSpec {
  /** camelCase key in the profile's service section, e.g. `token`, `clientSecret`. */
  key: string;
  /** How flags, variables and profile values are read. */
  type: "string" | "boolean";
  /**
   * Never accepted as a flag value: the flag names a file (`-` = stdin). The profile may hold a
   * reference instead of the value; resolved values are masked in every output.
   */
  secret?: boolean;
  /**
   * Decides where requests, and the secrets in them, go (a region, a URL): a searched project file
   * that sets it may not receive a secret it does not hold itself (see secret-destination.ts).
   */
  endpoint?: boolean;
  /** The command-line flag that sets it, e.g. `--domain` or `--token-file`. */
  flag?: string;
  /** The flag's value in help, e.g. `<domain>` or `<path|->`; none for a boolean flag. */
  value?: string;
  /**
   * The flag's help, e.g. `Devo domain, e.g. acme`; the option adds where else the field can be
   * set (env, profile key) and `defaultText`.
   */
  description: string;
  /** The default as help names it (the service applies it when it resolves): `us`. */
  defaultText?: string;
  /**
   * The fixed values it takes (`eu`, `us`, …): shell completion offers them and the config
   * schema lists them. The service still checks a value itself, wherever it comes from.
   */
  choices?: readonly string[];
  /**
   * What else a value may be besides `choices`, e.g. `a base URL`: the schema then accepts any
   * text. Absent: only `choices` are valid.
   */
  orElse?: string;
}

/** The configuration fields of one service. */
export interface ServiceSpec {
  /** Section name in a profile and the `<SERVICE>` of variable names, e.g. `devo`. */
  name: string;
  /** Human name for messages, e.g. `Devo`. */
  title: string;
  /** Every field the service reads; a profile key not listed here gets a warning. */
  fields: FieldSpec[];
}

/** A validated configuration file. */
export interface ConfigData {
  /** The profile used when neither --profile nor EVSEND_PROFILE is given. */
  defaultProfile?: string;
  /** Profile name → service name → that service's fields. */
  profiles: Record<string, Record<string, unknown>>;
}

/**
 * How the config file was found: named with --config/EVSEND_CONFIG, the user's own file in
 * `$XDG_CONFIG_HOME/evsend/`, or a project file found by searching from the working directory
 * (which may not run commands).
 */
export type ConfigOrigin = "explicit" | "user" | "project";

/** The result of looking for and reading the configuration. */
export interface LoadedConfig {
  /** The file read; undefined when no file was found. */
  filepath: string | undefined;
  /** How it was found; undefined when no file was found. */
  origin?: ConfigOrigin;
  /** Its validated contents (no profiles when no file was found). */
  data: ConfigData;
  /** Problems worth telling the user that do not stop the command (e.g. file permissions). */
  warnings: string[];
  /** When no file was found: the directories searched, for --verbose. */
  searched?: string[];
  /** Facts worth one line on stderr (not with --quiet), e.g. a project file used instead of the user's. */
  notes?: string[];
}

/** Where a resolved value came from, for `config show` and debug output. */
export type ValueSource =
  | { kind: "flag"; flag: string }
  | { kind: "env"; name: string }
  | { kind: "profile"; profile: string; file: string }
  | { kind: "default" };

/** One resolved field. */
export interface ResolvedValue {
  /** The value itself; for secrets the secret, which callers register for masking. */
  value: string | boolean;
  /** Which layer supplied it. */
  source: ValueSource;
  /** True for secret fields: never print `value`. */
  secret: boolean;
}

/** How a profile holds a secret: the literal value, or where to get it at run time. */
export type SecretRef = string | { env: string } | { file: string } | { command: string };
