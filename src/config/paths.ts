import { TooLargeError } from "../input/open.js";
import { TOO_LARGE_REASON } from "./read-small.js";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/** Project files, in the order they are tried in each directory (cosmiconfig's conventions). */
export const PROJECT_FILES = [
  ".evsendrc",
  ".evsendrc.json",
  ".evsendrc.yaml",
  ".evsendrc.yml",
  "evsend.config.json",
  "evsend.config.yaml",
  "evsend.config.yml",
  "package.json",
];

/** User files in `$XDG_CONFIG_HOME/evsend/`, in the order they are tried. */
export const USER_FILES = ["config.yaml", "config.yml", "config.json"];

/** `~` and `~/…` → the home directory; anything else unchanged. */
export function expandHome(path: string, homedir: string): string {
  if (path === "~") return homedir;
  if (path.startsWith("~/")) return join(homedir, path.slice(2));
  return path;
}

/** True when `dir` is `home` or below it (both absolute). */
export function isInside(dir: string, home: string): boolean {
  const rel = relative(home, dir);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * The directories searched for project files: `cwd` and its parents up to and including the home
 * directory. When `cwd` is not inside the home directory (or home is `/`), only `cwd` itself: the
 * directories above it (`/tmp`, `/srv`, `/`) are shared with other users, and a file planted
 * there must not configure evsend.
 */
export function searchDirs(cwd: string, homedir: string): string[] {
  const home = resolve(homedir);
  const start = resolve(cwd);
  if (home === dirname(home) || !isInside(start, home)) return [start];
  const dirs: string[] = [];
  for (let dir = start; ; dir = dirname(dir)) {
    dirs.push(dir);
    if (dir === home) return dirs;
  }
}

/** `$XDG_CONFIG_HOME/evsend`; a relative or empty XDG_CONFIG_HOME is ignored, as the spec says. */
export function userConfigDir(env: NodeJS.ProcessEnv, homedir: string): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir, ".config");
  return join(base, "evsend");
}

/** Quotes a path for a shell command the user can paste. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./~-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

const FS_REASONS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a directory",
  ENOTDIR: "a parent is not a directory",
};

/** A short reason for a failed file read; never the file's contents. */
export function fsReason(error: unknown): string {
  if (error instanceof TooLargeError) return TOO_LARGE_REASON;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (code && FS_REASONS[code]) ?? code ?? "cannot read it";
}
