import { dirname, isAbsolute, join, resolve } from "node:path";

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

/**
 * The directories searched for project files: `cwd` and its parents up to and including the home
 * directory, or up to the root when `cwd` is not inside the home directory.
 */
export function searchDirs(cwd: string, homedir: string): string[] {
  const home = resolve(homedir);
  const dirs: string[] = [];
  let dir = resolve(cwd);
  for (;;) {
    dirs.push(dir);
    const parent = dirname(dir);
    if (dir === home || parent === dir) return dirs;
    dir = parent;
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
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (code && FS_REASONS[code]) ?? code ?? "cannot read it";
}
