import { constants, type Stats } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { access, stat } from "../fs-async.js";
import type FastGlob from "fast-glob";
import { InputError, UsageError } from "../errors.js";
import { ExcludeRules, loadMicromatch } from "./exclude.js";
import type { InputSource } from "./sources.js";

/** How inputs are expanded. */
export interface ResolveOptions {
  /** `--exclude` patterns: inputs they match (glob matches and plain paths) are left out. */
  exclude: string[];
  cwd: string;
  /** Told about an `--exclude` that left out nothing (the run goes on). */
  onWarning?(message: string): void;
  /** Told, for `--verbose`, what was left out or skipped and why. */
  onVerbose?(message: string): void;
}

/** What `stat` says about a path: a reason it cannot be read, or its device:inode id. */
async function inspect(
  path: string,
  info?: Stats,
): Promise<{ problem?: string; id?: string; size?: number }> {
  try {
    info ??= await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === "ENOENT" ? "no such file" : `cannot read it (${code ?? "error"})` };
  }
  if (info.isDirectory()) return { problem: "is a directory (pass a glob such as 'dir/*.log')" };
  // Pipes (`mkfifo`, `<(command)`) and devices are read as streams; sockets and block devices not.
  if (!info.isFile() && !info.isFIFO() && !info.isCharacterDevice())
    return { problem: "is not a regular file, a pipe or a character device" };
  try {
    await access(path, constants.R_OK);
  } catch {
    return { problem: "is not readable (permission denied)" };
  }
  return { id: `${info.dev}:${info.ino}`, ...(info.isFile() ? { size: info.size } : {}) };
}

/**
 * Expands paths, globs and `-` into the list of inputs, in the order given (a glob's matches
 * sorted). A file is read once however it is named (two paths, a symbolic link, a glob and a
 * path): inputs are told apart by device and inode. Globs match regular files and symbolic links
 * to files, and never descend into a linked folder (like `find` without `-L`), so a link loop
 * cannot make them run forever. Every input is checked before anything is read or sent: all
 * problems are reported together as one InputError (exit 5).
 */
export async function resolveInputs(
  inputs: string[],
  options: ResolveOptions,
): Promise<InputSource[]> {
  const { cwd } = options;
  const verbose = options.onVerbose ?? (() => {});
  const sources: InputSource[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const exclude = new ExcludeRules(
    options.exclude,
    options.exclude.length > 0 ? await loadMicromatch() : undefined,
  );
  let glob: typeof FastGlob | undefined;

  /** Adds a readable file unless excluded or already named; true unless excluded. */
  const add = (name: string, path: string, id: string, size?: number): boolean => {
    const pattern = exclude.match(isAbsolute(name) ? name : relative(cwd, path) || name, path);
    if (pattern !== undefined) {
      verbose(`${name}: left out by --exclude '${pattern}'`);
      return false;
    }
    const first = seen.get(id);
    if (first !== undefined) verbose(`${name} is the same file as ${first}: read once`);
    else {
      seen.set(id, name);
      sources.push({ kind: "file", name, path, id, ...(size !== undefined ? { size } : {}) });
    }
    return true;
  };

  for (const input of inputs) {
    if (input === "-") {
      if (sources.some((s) => s.kind === "stdin")) {
        throw new UsageError("stdin (-) is named more than once", {
          hint: "stdin can be read only once; pass - a single time",
        });
      }
      sources.push({ kind: "stdin", name: "stdin" });
      continue;
    }
    const path = resolve(cwd, input);
    const { problem, id, size } = await inspect(path);
    // A name that exists is a file even when it contains glob characters; fast-glob is loaded
    // only for a name that does not exist.
    if (problem !== undefined) glob ??= (await import("fast-glob")).default;
    if (id !== undefined) add(input, path, id, size);
    else if (!glob?.isDynamicPattern(input)) problems.push(`${input}: ${problem}`);
    else problems.push(...(await expand(glob, input, options, add, verbose)));
  }
  for (const pattern of exclude.unused())
    options.onWarning?.(`--exclude '${pattern}' matched no input`);
  if (problems.length > 0) {
    throw new InputError(
      `${problems.length === 1 ? "an input is" : `${problems.length} inputs are`} unusable, nothing was sent:\n  ${problems.join("\n  ")}`,
      { hint: "check the paths and globs (quote globs so evsend expands them, not the shell)" },
    );
  }
  if (sources.length === 0 && inputs.length > 0) {
    throw new InputError("every input was left out by --exclude, nothing was sent", {
      hint: "check the --exclude patterns (-v lists what each one left out)",
    });
  }
  return sources;
}

/** One glob's matching files, passed to `add`; returns its problems. */
async function expand(
  glob: typeof FastGlob,
  pattern: string,
  options: ResolveOptions,
  add: (name: string, path: string, id: string, size?: number) => boolean,
  verbose: (message: string) => void,
): Promise<string[]> {
  const { cwd } = options;
  // followSymbolicLinks: false — fast-glob then does not descend into linked folders (a link to
  // `..` would loop forever), but with onlyFiles it would also drop links to files: so every
  // entry comes back and `stat` (which follows links) decides what is a file.
  const entries = await glob(pattern, {
    cwd,
    onlyFiles: false,
    followSymbolicLinks: false,
    dot: false,
    objectMode: true,
  });
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const problems: string[] = [];
  let files = 0;
  let kept = 0;
  for (const entry of entries) {
    if (entry.dirent.isDirectory()) continue;
    const path = resolve(cwd, entry.path);
    const name = isAbsolute(pattern) ? path : relative(cwd, path) || entry.path;
    let info: Stats;
    try {
      info = await stat(path);
    } catch {
      verbose(`${name}: skipped, a symbolic link to nothing`);
      continue;
    }
    if (!info.isFile()) {
      if (!info.isDirectory()) verbose(`${name}: skipped, not a regular file`);
      continue;
    }
    files += 1;
    const { problem, id, size } = await inspect(path, info);
    if (id === undefined) problems.push(`${name}: ${problem}`);
    else if (add(name, path, id, size)) kept += 1;
  }
  if (files === 0) problems.push(`${pattern}: the glob matched no file`);
  else if (kept === 0 && problems.length === 0) {
    const all = files === 1 ? "1 file, left out" : `${files} files, all left out`;
    problems.push(`${pattern}: the glob matched ${all} by --exclude`);
  }
  return problems;
}
