import { createHash, randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { chmod, lstat, mkdir, open, rename, unlink } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { headerValueProblem } from "../../transport/header-value.js";
import { isValidExpiry } from "./protocol.js";

/** A cached token is used until this long before its `exp`, so it never expires mid-request. */
export const EXPIRY_MARGIN_MS = 60_000;

/** A cache file is a few hundred bytes; anything larger is not ours. */
const MAX_CACHE_FILE_BYTES = 64 * 1024;

/** `$XDG_CACHE_HOME/evsend` (an absolute XDG_CACHE_HOME only, as the spec says), else `~/.cache/evsend`. */
export function tokenCacheDir(env: NodeJS.ProcessEnv, homedir: string): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir, ".cache"), "evsend");
}

/** What the cache reports for --verbose (never a token). */
export type CacheLog = (message: string) => void;

/** The cached token's file content. */
interface CacheEntry {
  baseUrl: string;
  clientId: string;
  token: string;
  /** The token's `exp`, in milliseconds. */
  expiresAt: number;
}

function isEntry(value: unknown): value is CacheEntry {
  const v = value as Partial<CacheEntry> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.baseUrl === "string" &&
    typeof v.clientId === "string" &&
    typeof v.token === "string" &&
    v.token !== "" &&
    // A token no header can carry would fail every run until the file was deleted.
    headerValueProblem(v.token) === undefined &&
    isValidExpiry(v.expiresAt)
  );
}

/**
 * Eventhos tokens, one private file per base URL and client id, so that a cron job asks for a
 * token once a day instead of every run. Files are 0600 in a 0700 directory, written atomically
 * (temporary file, then rename); a file that is corrupt, not a regular file, not the user's own
 * or readable by others is ignored (and replaced by the next token). Nothing here throws for a
 * cache problem: without a cache evsend just asks for a token each time.
 */
export class TokenCache {
  constructor(
    readonly dir: string,
    private readonly log: CacheLog,
    private readonly now: () => number = Date.now,
    private readonly uid: number | undefined = process.getuid?.(),
  ) {}

  /** The file for one base URL and client id (hashed: both may hold any character). */
  fileFor(baseUrl: string, clientId: string): string {
    const hash = createHash("sha256").update(`${baseUrl}\n${clientId}`).digest("hex");
    return join(this.dir, `eventhos-token-${hash.slice(0, 32)}.json`);
  }

  /** The cached token, if there is one for this URL and client that is valid for over a minute. */
  async read(baseUrl: string, clientId: string): Promise<string | undefined> {
    const file = this.fileFor(baseUrl, clientId);
    const ignore = (why: string): undefined => {
      this.log(`token cache: ignoring ${file}: ${why}`);
      return undefined;
    };
    let handle;
    try {
      // No symlink (O_NOFOLLOW), and no waiting on a FIFO planted there (O_NONBLOCK).
      handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === "ENOENT" ? undefined : ignore(code ?? String(error));
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) return ignore("not a regular file");
      if (this.uid !== undefined && info.uid !== this.uid) return ignore("not owned by you");
      if ((info.mode & 0o077) !== 0)
        return ignore(`mode ${(info.mode & 0o777).toString(8)}, not 600`);
      if (info.size > MAX_CACHE_FILE_BYTES) return ignore("too large");
      const buffer = Buffer.alloc(MAX_CACHE_FILE_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      let entry: unknown;
      try {
        entry = JSON.parse(buffer.toString("utf8", 0, bytesRead)) as unknown;
      } catch {
        return ignore("not valid JSON");
      }
      if (!isEntry(entry)) return ignore("not a token cache file");
      if (entry.baseUrl !== baseUrl || entry.clientId !== clientId)
        return ignore("written for another URL or client");
      const left = entry.expiresAt - EXPIRY_MARGIN_MS - this.now();
      if (left <= 0) {
        this.log("token cache: the cached token expires within a minute; getting a new one");
        return undefined;
      }
      this.log(
        `token cache: using the token cached in ${file} (valid until ${new Date(entry.expiresAt).toISOString()})`,
      );
      return entry.token;
    } finally {
      await handle.close();
    }
  }

  /** Stores a token atomically; returns a problem to report, or undefined when it was cached. */
  async write(
    baseUrl: string,
    clientId: string,
    token: string,
    expiresAt: number,
  ): Promise<string | undefined> {
    const file = this.fileFor(baseUrl, clientId);
    const problem = await this.prepareDir();
    if (problem) return problem;
    const temp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    const entry: CacheEntry = { baseUrl, clientId, token, expiresAt };
    try {
      const handle = await open(temp, "wx", 0o600);
      try {
        await handle.writeFile(JSON.stringify(entry) + "\n");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => {});
      return `cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
    }
    this.log(`token cache: token saved in ${file}`);
    return undefined;
  }

  /** Forgets the token of one URL and client (after the server refused it). */
  async drop(baseUrl: string, clientId: string): Promise<void> {
    const file = this.fileFor(baseUrl, clientId);
    await unlink(file).then(
      () => this.log(`token cache: removed ${file}`),
      () => {},
    );
  }

  /** Creates the directory 0700, or checks an existing one is the user's own and private. */
  private async prepareDir(): Promise<string | undefined> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const info = await lstat(this.dir);
      if (!info.isDirectory()) return `${this.dir} is not a directory`;
      if (this.uid !== undefined && info.uid !== this.uid) return `${this.dir} is not owned by you`;
      if ((info.mode & 0o077) !== 0) await chmod(this.dir, 0o700);
      return undefined;
    } catch (error) {
      return `cannot use ${this.dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
    }
  }
}
