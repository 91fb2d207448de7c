import { ConfigError } from "../errors.js";
import { shellQuote } from "./paths.js";
import type { ConfigData } from "./types.js";

const TOP_LEVEL_KEYS = ["defaultProfile", "profiles"];

/** True for `{ … }` (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping" : `a ${typeof value}`;
}

function invalid(filepath: string, problem: string, section: string): ConfigError {
  return new ConfigError(`invalid config file ${filepath}: ${problem}`, {
    hint: `expected \`defaultProfile: <name>\` and \`profiles: { <name>: { ${section}: { … } } }\`; see "Configuration" in the README`,
  });
}

/**
 * Checks the shape of a parsed file and returns it typed. An empty file, or an empty (null)
 * `profiles` or profile, counts as empty: YAML gives null for a key whose contents are all
 * commented out, which is what a template looks like.
 */
export function validateConfig(
  raw: unknown,
  filepath: string,
  /** A service's section name, for the hint's example (the first service's). */
  section = "<service>",
): { data: ConfigData; warnings: string[] } {
  if (raw === undefined || raw === null) return { data: { profiles: {} }, warnings: [] };
  if (!isPlainObject(raw))
    throw invalid(filepath, `the top level is ${describe(raw)}, not a mapping`, section);
  const warnings = Object.keys(raw)
    .filter((key) => !TOP_LEVEL_KEYS.includes(key))
    .map(
      (key) =>
        `unknown key "${key}" in ${filepath} is ignored; known: ${TOP_LEVEL_KEYS.join(", ")}`,
    );

  const data: ConfigData = { profiles: {} };
  const { defaultProfile, profiles } = raw;
  if (defaultProfile !== undefined && defaultProfile !== null) {
    if (typeof defaultProfile !== "string" || defaultProfile === "") {
      throw invalid(
        filepath,
        `defaultProfile must be a profile name, not ${describe(defaultProfile)}`,
        section,
      );
    }
    data.defaultProfile = defaultProfile;
  }
  if (profiles !== undefined && profiles !== null) {
    if (!isPlainObject(profiles)) {
      throw invalid(
        filepath,
        `profiles must be a mapping of profile names, not ${describe(profiles)}`,
        section,
      );
    }
    for (const [name, profile] of Object.entries(profiles)) {
      if (profile !== null && !isPlainObject(profile)) {
        throw invalid(
          filepath,
          `profile "${name}" must be a mapping of services, not ${describe(profile)}`,
          section,
        );
      }
      data.profiles[name] = profile ?? {};
    }
  }
  return { data, warnings };
}

/** The `<service>.<key>` secret fields that hold a literal value, with the profile holding it. */
export function literalSecrets(data: ConfigData, secretFields: string[]): string[] {
  const found: string[] = [];
  for (const [profileName, profile] of Object.entries(data.profiles)) {
    for (const field of secretFields) {
      const [service = "", key = ""] = field.split(".", 2);
      const section = profile[service];
      if (isPlainObject(section) && typeof section[key] === "string" && section[key] !== "") {
        found.push(`${field} in profile "${profileName}"`);
      }
    }
  }
  return found;
}

/**
 * Like ssh: a file that holds literal secrets should be readable by its owner only. `mode` is the
 * file's st_mode; the check is skipped on Windows, where it means nothing.
 */
export function permissionWarnings(
  filepath: string,
  mode: number,
  data: ConfigData,
  secretFields: string[],
  platform: NodeJS.Platform = process.platform,
): string[] {
  if (platform === "win32" || (mode & 0o077) === 0) return [];
  const literals = literalSecrets(data, secretFields);
  if (literals.length === 0) return [];
  const octal = (mode & 0o777).toString(8).padStart(3, "0");
  return [
    `${filepath} holds a literal secret (${literals.join(", ")}) and is readable by other users (mode ${octal}); fix with: chmod 600 ${shellQuote(filepath)}`,
  ];
}
