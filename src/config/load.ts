import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { EXECUTABLE_EXTENSIONS, parseConfigText } from "./parse.js";
import {
  expandHome,
  fsReason,
  PROJECT_FILES,
  searchDirs,
  shellQuote,
  USER_FILES,
  userConfigDir,
} from "./paths.js";
import type { LoadedConfig } from "./types.js";
import { permissionWarnings, validateConfig } from "./validate.js";

/** Where to look for the configuration; everything comes from the runtime, nothing from globals. */
export interface LoadOptions {
  /** `--config` or `EVSEND_CONFIG`: read this one file and search nowhere else. */
  explicitPath?: string;
  /** Where the project search starts; relative paths are resolved against it. */
  cwd: string;
  /** Supplies XDG_CONFIG_HOME. */
  env: NodeJS.ProcessEnv;
  /** Where the project search stops, and what `~` means. */
  homedir: string;
  /** `<service>.<key>` of every secret field, for the file-permission warning. */
  secretFields?: string[];
}

const MISSING = new Set(["ENOENT", "ENOTDIR", "EISDIR"]);

function readError(filepath: string, error: unknown): ConfigError {
  return new ConfigError(`cannot read config file ${filepath}: ${fsReason(error)}`, {
    hint: `check its permissions: ls -l ${shellQuote(filepath)}`,
    cause: error,
  });
}

/** The file's text, or undefined when there is no such file (a directory counts as none). */
async function readIfPresent(filepath: string): Promise<string | undefined> {
  try {
    return await readFile(filepath, "utf8");
  } catch (error) {
    if (MISSING.has((error as NodeJS.ErrnoException).code ?? "")) return undefined;
    throw readError(filepath, error);
  }
}

/**
 * The first non-empty configuration in the search order: project files from `cwd` up to the home
 * directory, then the user file. Empty files and a package.json without an `evsend` key are
 * skipped, as cosmiconfig does.
 */
export async function findConfig(
  options: Pick<LoadOptions, "cwd" | "env" | "homedir">,
): Promise<{ filepath: string; raw: unknown } | undefined> {
  const candidates = [
    ...searchDirs(options.cwd, options.homedir).flatMap((dir) =>
      PROJECT_FILES.map((name) => join(dir, name)),
    ),
    ...USER_FILES.map((name) => join(userConfigDir(options.env, options.homedir), name)),
  ];
  for (const filepath of candidates) {
    const text = await readIfPresent(filepath);
    if (text === undefined) continue;
    const raw = parseConfigText(filepath, text);
    if (raw !== undefined) return { filepath, raw };
  }
  return undefined;
}

async function loadExplicit(
  path: string,
  options: LoadOptions,
): Promise<{ filepath: string; raw: unknown }> {
  const filepath = resolve(options.cwd, expandHome(path, options.homedir));
  if (EXECUTABLE_EXTENSIONS.includes(extname(filepath))) {
    throw new ConfigError(`cannot use ${filepath}: evsend does not load executable config files`, {
      hint: "write the configuration as YAML or JSON",
    });
  }
  const text = await readIfPresent(filepath);
  if (text === undefined) {
    throw new ConfigError(`config file ${filepath} not found`, {
      hint: "check --config or EVSEND_CONFIG, or unset them to search the usual places",
    });
  }
  return { filepath, raw: parseConfigText(filepath, text) };
}

/**
 * Finds, reads and validates the configuration. With `explicitPath` only that file is read;
 * otherwise the first file in the search order is used, and no file at all means no profiles.
 * YAML and JSON only: cosmiconfig's loaders parse, but its explorer is not used because it
 * would load a JavaScript "meta config" from the working directory, and a config file must
 * never run code.
 */
export async function loadConfig(options: LoadOptions): Promise<LoadedConfig> {
  const found = options.explicitPath
    ? await loadExplicit(options.explicitPath, options)
    : await findConfig(options);
  if (!found) return { filepath: undefined, data: { profiles: {} }, warnings: [] };
  const { data, warnings } = validateConfig(found.raw, found.filepath);
  const { mode } = await stat(found.filepath);
  warnings.push(...permissionWarnings(found.filepath, mode, data, options.secretFields ?? []));
  return { filepath: found.filepath, data, warnings };
}
