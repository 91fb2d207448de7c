import { statSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { stat } from "../fs-async.js";
import { ConfigError, InterruptedError } from "../errors.js";
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
import { readSmallFile } from "./read-small.js";
import { ownerWarning } from "./trust.js";
import type { ConfigOrigin, LoadedConfig } from "./types.js";
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
  /** A service's profile section, e.g. the first service's: the invalid-file hint's example. */
  exampleSection?: string;
  /** The current user; searched files owned by anyone else (but root) are ignored. Default: process.getuid(). */
  uid?: number;
  /** Ctrl-C/SIGTERM: stop waiting for a FIFO named as config (exit 130). */
  signal?: AbortSignal;
}

/** A file found and parsed, and how it was found. */
interface Found {
  filepath: string;
  raw: unknown;
  origin: ConfigOrigin;
}

const MISSING = new Set(["ENOENT", "ENOTDIR", "EISDIR"]);

function readError(filepath: string, error: unknown): ConfigError {
  return new ConfigError(`cannot read config file ${filepath}: ${fsReason(error)}`, {
    hint: `check its permissions: ls -l ${shellQuote(filepath)}`,
    cause: error,
  });
}

/** The file's text (at most 1 MiB), or undefined when there is no such file (a directory counts as none). */
async function readIfPresent(filepath: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    return await readSmallFile(filepath, signal);
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    if (MISSING.has((error as NodeJS.ErrnoException).code ?? "")) return undefined;
    throw readError(filepath, error);
  }
}

/**
 * Whether another user's file would have been used: only then is ignoring it worth a warning
 * (a foreign package.json without an `evsend` key is no one's config).
 */
async function holdsConfig(filepath: string, signal?: AbortSignal): Promise<boolean> {
  try {
    const text = await readIfPresent(filepath, signal);
    return text !== undefined && parseConfigText(filepath, text) !== undefined;
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    return true;
  }
}

/** The searched candidates in order: project files from `cwd` up to home, then the user file. */
function candidates(options: LoadOptions): Array<{ filepath: string; origin: ConfigOrigin }> {
  return [
    ...searchDirs(options.cwd, options.homedir).flatMap((dir) =>
      PROJECT_FILES.map((name) => ({ filepath: join(dir, name), origin: "project" as const })),
    ),
    ...USER_FILES.map((name) => ({
      filepath: join(userConfigDir(options.env, options.homedir), name),
      origin: "user" as const,
    })),
  ];
}

/**
 * The first non-empty configuration in the search order: project files from `cwd` up to the home
 * directory (only `cwd` when it is outside home), then the user file. Empty files and a
 * package.json without an `evsend` key are skipped, as cosmiconfig does. A file owned by another
 * user (not root) is skipped with a warning, as git does with `safe.directory`.
 */
export async function findConfig(
  options: LoadOptions,
  warnings: string[] = [],
): Promise<Found | undefined> {
  const uid = options.uid ?? process.getuid?.();
  const all = candidates(options);
  // Most candidates do not exist: one stat each rules them out. Synchronous: a few microseconds
  // each, and a one-off run then starts no thread pool for them.
  const absent = all.map(({ filepath }) => {
    try {
      statSync(filepath);
      return false;
    } catch (error) {
      return MISSING.has((error as NodeJS.ErrnoException).code ?? "");
    }
  });
  for (const [index, { filepath, origin }] of all.entries()) {
    if (absent[index]) continue;
    const owner = await ownerWarning(filepath, uid);
    if (owner !== undefined) {
      if (await holdsConfig(filepath, options.signal)) warnings.push(owner);
      continue;
    }
    const text = await readIfPresent(filepath, options.signal);
    if (text === undefined) continue;
    const raw = parseConfigText(filepath, text);
    if (raw !== undefined) return { filepath, raw, origin };
  }
  return undefined;
}

/** A note when a project file is used although the user has a config file of their own. */
async function overrideNote(found: Found, options: LoadOptions): Promise<string[]> {
  if (found.origin !== "project") return [];
  for (const name of USER_FILES) {
    const userFile = join(userConfigDir(options.env, options.homedir), name);
    const isFile = await stat(userFile).then(
      (s) => s.isFile(),
      () => false,
    );
    if (isFile) {
      return [
        `note: using the project config ${found.filepath} instead of your own ${userFile} (pass --config to choose)`,
      ];
    }
  }
  return [];
}

async function loadExplicit(path: string, options: LoadOptions): Promise<Found> {
  const filepath = resolve(options.cwd, expandHome(path, options.homedir));
  if (EXECUTABLE_EXTENSIONS.includes(extname(filepath))) {
    throw new ConfigError(`cannot use ${filepath}: evsend does not load executable config files`, {
      hint: "write the configuration as YAML or JSON",
    });
  }
  const text = await readIfPresent(filepath, options.signal);
  if (text === undefined) {
    throw new ConfigError(`config file ${filepath} not found`, {
      hint: "check --config or EVSEND_CONFIG, or unset them to search the usual places",
    });
  }
  return { filepath, raw: parseConfigText(filepath, text), origin: "explicit" };
}

/**
 * Finds, reads and validates the configuration. With `explicitPath` only that file is read;
 * otherwise the first file in the search order is used, and no file at all means no profiles.
 * YAML and JSON only, parsed by evsend (config/parse.ts): cosmiconfig gives the file names, but its
 * explorer is not used because it would load a JavaScript "meta config" from the working
 * directory, and a config file must never run code.
 */
export async function loadConfig(options: LoadOptions): Promise<LoadedConfig> {
  const searchWarnings: string[] = [];
  const found = options.explicitPath
    ? await loadExplicit(options.explicitPath, options)
    : await findConfig(options, searchWarnings);
  if (!found) {
    const searched = [
      ...searchDirs(options.cwd, options.homedir),
      userConfigDir(options.env, options.homedir),
    ];
    return { filepath: undefined, data: { profiles: {} }, warnings: searchWarnings, searched };
  }
  const { data, warnings } = validateConfig(found.raw, found.filepath, options.exampleSection);
  const { mode } = await stat(found.filepath);
  warnings.push(...permissionWarnings(found.filepath, mode, data, options.secretFields ?? []));
  return {
    filepath: found.filepath,
    origin: found.origin,
    data,
    warnings: [...searchWarnings, ...warnings],
    notes: await overrideNote(found, options),
  };
}
