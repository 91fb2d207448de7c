import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, readlink, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isolatedEnv } from "./isolate.js";

/** The built CLI, as a user runs it. */
export const BIN = fileURLToPath(new URL("../../bin/evsend.js", import.meta.url));

/** What a spawned evsend did. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** A temporary HOME (and XDG_CONFIG_HOME) so no real config is read. */
export interface TempHome {
  home: string;
  /** Environment with HOME, XDG_CONFIG_HOME and nothing evsend-specific or proxy-related. */
  env: NodeJS.ProcessEnv;
  /** Writes `~/.config/evsend/config.yaml` with mode 0600. */
  writeConfig(text: string, mode?: number): Promise<string>;
  cleanup(): Promise<void>;
}

/** Creates a temporary HOME; its `env` is the runner's environment isolated by `isolatedEnv`. */
export async function tempHome(): Promise<TempHome> {
  const home = await mkdtemp(join(tmpdir(), "evsend-home-"));
  const env = isolatedEnv(home);
  return {
    home,
    env,
    async writeConfig(text, mode = 0o600) {
      const dir = join(home, ".config", "evsend");
      await mkdir(dir, { recursive: true });
      const file = join(dir, "config.yaml");
      await writeFile(file, text);
      await chmod(file, mode);
      return file;
    },
    cleanup: () => rm(home, { recursive: true, force: true }),
  };
}

/** Spawns `bin/evsend.js` with the given args, env and stdin; resolves when it exits. */
export function runEvsend(
  args: string[],
  options: {
    env: NodeJS.ProcessEnv;
    stdin?: string | Buffer;
    cwd?: string;
    onSpawn?: (pid: number) => void;
    /** Node's own options, before the script (`--require`, V8 flags). */
    nodeArgs?: string[];
  },
): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
      env: options.env,
      cwd: options.cwd ?? options.env.HOME,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({ code, signal, stdout, stderr, durationMs: performance.now() - started }),
    );
    child.stdin.on("error", () => {});
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    else child.stdin.end();
    if (child.pid) options.onSpawn?.(child.pid);
  });
}

/**
 * Where a home's code cache of a bundle file goes on this Node (bin/code-cache.js), for a run that
 * may send (`sending`: on Node 20 such a run sets V8 flags and keeps its cache apart,
 * bin/evsend.js) or not.
 */
export function cacheFile(home: TempHome, file: string, sending = false): string {
  const flags = sending && Number(process.versions.node.split(".")[0]) < 22 ? "-liftoff" : "";
  const version = `${process.version}-${process.arch}${flags}`;
  return join(home.env.XDG_CACHE_HOME!, "evsend", "compile-cache", version, `${file}.cache`);
}

/** A request a test server received. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
  at: number;
}

/** A loopback HTTP server that records requests and answers with `handler`. */
export interface TestServer {
  url: string;
  requests: SeenRequest[];
  server: Server;
  close(): Promise<void>;
}

export async function startServer(
  handler: (req: SeenRequest, res: ServerResponse, index: number) => void,
): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const seen = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks),
        at: performance.now(),
      };
      requests.push(seen);
      handler(seen, res, requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Parses NDJSON stdout into objects. */
export function ndjson(text: string): Array<Record<string, unknown>> {
  return text
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Resolves once process `pid()` has `path` open (it waits on it), checked in /proc. */
export async function holding(pid: () => number, path: string): Promise<void> {
  for (let tries = 0; tries < 500; tries++) {
    const fds = pid() ? await readdir(`/proc/${pid()}/fd`).catch(() => []) : [];
    for (const fd of fds) {
      if ((await readlink(`/proc/${pid()}/fd/${fd}`).catch(() => "")) === path) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`process ${pid()} never opened ${path}`);
}
