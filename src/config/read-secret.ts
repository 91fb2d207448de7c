import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Readable } from "node:stream";
import { ConfigError } from "../errors.js";
import { formatDuration } from "../parse.js";
import { expandHome, fsReason } from "./paths.js";
import type { SecretRef } from "./types.js";
import { isPlainObject } from "./validate.js";

/** How long a `{ command }` secret may run. */
export const SECRET_COMMAND_TIMEOUT_MS = 10_000;

/** More output than any credential; stops a runaway command from filling memory. */
const MAX_COMMAND_OUTPUT = 1024 * 1024;

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

/**
 * Runs `sh -c command` and returns its stdout without one trailing newline. Rejects with a reason
 * that never includes the command's output, which may be the secret. stdin is closed and stderr
 * discarded; the command can still prompt on the terminal (pass, gpg, op do).
 */
export function runSecretCommand(
  command: string,
  options: { env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? SECRET_COMMAND_TIMEOUT_MS;
  return new Promise((resolvePromise, reject) => {
    const child = spawn("sh", ["-c", command], {
      env: options.env,
      stdio: ["ignore", "pipe", "ignore"],
    });
    const chunks: Buffer[] = [];
    let size = 0;
    // Rejects at once instead of waiting for the pipe to close: a grandchild may hold it open.
    const timer = setTimeout(() => fail(`timed out after ${formatDuration(timeoutMs)}`), timeoutMs);
    function fail(reason: string): void {
      clearTimeout(timer);
      child.stdout.destroy();
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      reject(new Error(reason));
    }
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_COMMAND_OUTPUT) fail("printed more than 1 MiB");
      else chunks.push(chunk);
    });
    child.on("error", (error: NodeJS.ErrnoException) =>
      fail(`could not start: ${error.code ?? error.message}`),
    );
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (signal) return reject(new Error(`was killed by ${signal}`));
      if (code !== 0) return reject(new Error(`exited with code ${code}`));
      const output = Buffer.concat(chunks)
        .toString("utf8")
        .replace(/\r?\n$/, "");
      if (output.trim() === "") return reject(new Error("printed nothing"));
      resolvePromise(output);
    });
  });
}

/** Where a profile secret is, for messages: `devo.token in profile "p"` in `configPath`. */
export interface SecretSite {
  /** `<service>.<key>`. */
  field: string;
  profile: string;
  configPath: string;
}

/** Options for reading a profile's secret reference. */
export interface ReadSecretOptions {
  env: NodeJS.ProcessEnv;
  homedir: string;
  /** How long `{ command }` may run; 10 s unless a test shortens it. */
  commandTimeoutMs?: number;
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
      text = await readFile(path, "utf8");
    } catch (error) {
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
  try {
    return await runSecretCommand(ref.command, {
      env: options.env,
      timeoutMs: options.commandTimeoutMs,
    });
  } catch (error) {
    throw new ConfigError(`${where}: the command ${(error as Error).message}`, {
      hint: `run the command from ${site.configPath} yourself to see why (evsend does not show its output: it may hold the secret)`,
    });
  }
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Reads a secret passed as `--<secret>-file <path|->`: the file, or all of stdin for `-`, without
 * trailing whitespace. `~` is expanded because `--token-file=~/x` reaches us unexpanded.
 */
export async function readSecretFlag(
  flag: string,
  path: string,
  options: { stdin: Readable; cwd: string; homedir: string },
): Promise<string> {
  const what = path === "-" ? `${flag} - (stdin)` : `${flag} ${path}`;
  let text: string;
  try {
    text =
      path === "-"
        ? await readAll(options.stdin)
        : await readFile(resolve(options.cwd, expandHome(path, options.homedir)), "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read ${what}: ${fsReason(error)}`, {
      hint: `${flag} takes a file that holds the secret, or - to read it from stdin`,
    });
  }
  const secret = text.trimEnd();
  if (secret === "")
    throw new ConfigError(`${what} is empty`, {
      hint: `${flag} takes a file that holds the secret`,
    });
  return secret;
}
