// The package as users get it: the checkout (its files as they are now, committed or not) copied
// aside, packed with `npm pack` (prepack builds it), and the tarball installed into an empty
// prefix. Tests then run the installed `evsend`, not bin/evsend.js of the checkout.
import { execFile, spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** An installed copy of the package. */
export interface Installed {
  /** The tarball `npm pack` wrote. */
  tarball: string;
  /** The prefix it is installed into: `<prefix>/bin/evsend`, `<prefix>/lib/node_modules/evsend`. */
  prefix: string;
  /** `<prefix>/bin`. */
  binDir: string;
  /** PATH with the running node first (its `#!/usr/bin/env node` finds it), then `binDir`. */
  path: string;
  cleanup(): Promise<void>;
}

/** Runs npm with the running node (so a suite run on Node 24 packs and installs with it). */
async function npm(args: string[], cwd: string): Promise<string> {
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}` };
  const { stdout } = await run("npm", args, { cwd, env, maxBuffer: 16 << 20 });
  return stdout;
}

/**
 * Copies the checkout's files as they are now (tracked and untracked, not ignored) into `dir`,
 * with node_modules linked: a build there never touches the checkout's own dist/.
 */
export async function copyCheckout(dir: string): Promise<void> {
  const { stdout } = await run(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    { cwd: ROOT, maxBuffer: 16 << 20 },
  );
  for (const file of stdout.split("\0").filter(Boolean)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await cp(join(ROOT, file), join(dir, file)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error; // a file deleted but not yet committed
    });
  }
  await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"));
}

/**
 * Packs the checkout and installs the tarball into a new prefix. Dependencies come from npm's
 * cache when it has them (`npm ci` filled it), from the registry otherwise.
 */
export async function packAndInstall(): Promise<Installed> {
  const dir = await mkdtemp(join(tmpdir(), "evsend-installed-"));
  try {
    // A copy, so that prepack's `--clean` never empties the dist/ other tests are running.
    const checkout = join(dir, "checkout");
    await copyCheckout(checkout);
    const packed = await npm(["pack", "--silent", "--pack-destination", dir], checkout);
    const tarball = join(dir, packed.trim().split("\n").at(-1)!);
    const prefix = join(dir, "prefix");
    await npm(
      [
        "install",
        "--global",
        "--prefix",
        prefix,
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        tarball,
      ],
      dir,
    );
    const binDir = join(prefix, "bin");
    return {
      tarball,
      prefix,
      binDir,
      path: `${dirname(process.execPath)}:${binDir}:${process.env.PATH ?? ""}`,
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** What a command run on a pseudo-terminal wrote (stdout and stderr, as the terminal saw them). */
export interface PtyResult {
  code: number | null;
  transcript: string;
}

/**
 * Runs `command` (a shell command line) on a real pseudo-terminal with util-linux `script`, 160
 * columns wide, with `env`. `script -e` exits with the command's own code.
 */
export function runOnPty(command: string, env: NodeJS.ProcessEnv): Promise<PtyResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qefc", `stty cols 160 rows 40; ${command}`, "/dev/null"], {
      env: { TERM: "xterm-256color", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let transcript = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (transcript += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (transcript += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, transcript });
    });
  });
}

/** `text` without colours or cursor movements (CSI sequences). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
}

/** The texts a spinner drew, each frame on its own, without colours or cursor movements. */
export function spinnerFrames(transcript: string): string[] {
  return (
    transcript
      // Each redraw starts at column 1 (CSI 1G) or after a carriage return.
      .replaceAll("\u001b[1G", "\n")
      .split(/\r|\n/)
      .map((frame) => stripAnsi(frame).trim())
      .filter((frame) => / in flight$/.test(frame))
  );
}
