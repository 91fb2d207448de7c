/**
 * One evsend at a time per state file: `<state>.lock`, created exclusively, holding the owner's
 * pid. A lock whose process is gone (killed with -9) is taken over.
 */
import { hostname } from "node:os";
import { open, readFile, unlink } from "node:fs/promises";
import { InputError, UsageError } from "../../errors.js";

/** A lock held by this process; `release` removes it. */
export interface StateLock {
  path: string;
  /** The pid of a dead owner whose lock was taken over, if one was. */
  staleOwner?: number;
  release(): Promise<void>;
}

interface Owner {
  pid: number;
  host: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readOwner(path: string): Promise<Owner | undefined> {
  try {
    const owner = JSON.parse(await readFile(path, "utf8")) as Partial<Owner>;
    return Number.isSafeInteger(owner.pid) && typeof owner.host === "string"
      ? { pid: owner.pid as number, host: owner.host }
      : undefined;
  } catch {
    return undefined;
  }
}

async function create(path: string): Promise<boolean> {
  try {
    const handle = await open(path, "wx", 0o600);
    await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname() }) + "\n");
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new InputError(
      `cannot create the lock file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      { hint: "the directory of --state must be writable", cause: error },
    );
  }
}

/** Locks the state file `statePath`, or says which evsend holds it (exit 2). */
export async function lockState(statePath: string): Promise<StateLock> {
  const path = `${statePath}.lock`;
  let staleOwner: number | undefined;
  for (let attempt = 0; ; attempt++) {
    if (await create(path)) break;
    const owner = await readOwner(path);
    const here = owner?.host === hostname();
    if (owner && (!here || alive(owner.pid))) {
      throw new UsageError(
        `another evsend (pid ${owner.pid}${here ? "" : ` on ${owner.host}`}) is using the state file ${statePath}`,
        {
          hint:
            "two runs on one state would send lines twice; let it finish (from cron, run evsend " +
            `under flock), or remove ${path} if that process is gone`,
        },
      );
    }
    if (attempt > 0 || !owner) {
      throw new UsageError(
        `the state file ${statePath} is locked by ${path}, which is unreadable`,
        {
          hint: `if no evsend is running on this state, remove ${path}`,
        },
      );
    }
    // Its process is gone (killed, crashed): the lock is stale.
    staleOwner = owner.pid;
    await unlink(path).catch(() => {});
  }
  return {
    path,
    ...(staleOwner !== undefined ? { staleOwner } : {}),
    release: () => unlink(path).catch(() => {}),
  };
}
