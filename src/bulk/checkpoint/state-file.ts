/**
 * The `--state` file: one small JSON document, versioned and human-readable, written atomically
 * (a temporary file, then a rename) with mode 0600.
 */
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { InputError } from "../../errors.js";

/** The format written; a later evsend that changes it bumps it. */
export const STATE_VERSION = 1;

/** What marks the document as evsend's. */
const KIND = "evsend-checkpoints";

/** How far one file was delivered. */
export interface FileCheckpoint {
  /** The file's absolute path when it was last read (informative: `id` identifies it). */
  path: string;
  /** Device and inode (`dev:ino`). */
  id: string;
  /** `sha256:<hex>` of the file's first `fingerprintBytes` bytes (as stored). */
  fingerprint: string;
  fingerprintBytes: number;
  /** Everything before this byte offset (of the file as read, decompressed) was delivered. */
  offset: number;
  /** Lines before `offset`: a resumed run numbers the next one `lines + 1`. */
  lines: number;
  /** When the offset last moved (ISO 8601). */
  updatedAt: string;
}

/** The document. */
export interface StateDocument {
  kind: typeof KIND;
  version: number;
  files: FileCheckpoint[];
}

/** An empty state, for a first run. */
export function emptyState(): StateDocument {
  return { kind: KIND, version: STATE_VERSION, files: [] };
}

function refuse(path: string, why: string): InputError {
  return new InputError(`${path} is not a usable evsend state file: ${why}`, {
    hint:
      "evsend never starts over silently: pass another --state, or move this file away " +
      "(then every input is sent again from its start)",
  });
}

function isCheckpoint(value: unknown): value is FileCheckpoint {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  const count = (x: unknown): boolean => Number.isSafeInteger(x) && (x as number) >= 0;
  return (
    typeof v.path === "string" &&
    typeof v.id === "string" &&
    typeof v.fingerprint === "string" &&
    /^sha256:[0-9a-f]{64}$/.test(v.fingerprint) &&
    count(v.fingerprintBytes) &&
    count(v.offset) &&
    count(v.lines) &&
    typeof v.updatedAt === "string"
  );
}

/** Checks a parsed document; what is wrong is an InputError naming `path`. */
export function validateState(path: string, value: unknown): StateDocument {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw refuse(path, "it is not a JSON object");
  }
  const doc = value as Record<string, unknown>;
  if (doc.kind !== KIND) throw refuse(path, `it has no "kind": "${KIND}" (another program's?)`);
  if (doc.version !== STATE_VERSION) {
    throw refuse(
      path,
      typeof doc.version === "number" && doc.version > STATE_VERSION
        ? `it is version ${doc.version}, written by a newer evsend`
        : `its version ${JSON.stringify(doc.version)} is unknown`,
    );
  }
  if (!Array.isArray(doc.files)) throw refuse(path, `its "files" is not a list`);
  doc.files.forEach((entry, i) => {
    if (!isCheckpoint(entry)) throw refuse(path, `files[${i}] is not a checkpoint`);
  });
  return doc as unknown as StateDocument;
}

/** Reads the state at `path`: an empty one when there is no such file yet. */
export async function loadState(path: string): Promise<StateDocument> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return emptyState();
    throw new InputError(
      `cannot read the state file ${path}: ${code ?? (error as Error).message}`,
      {
        hint: "check the path given to --state and its permissions",
        cause: error,
      },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw refuse(path, `it is not JSON (${(error as Error).message})`);
  }
  return validateState(path, parsed);
}

/** The document as written: one file per line, so a diff or a glance shows what moved. */
export function formatState(doc: StateDocument): string {
  const files = doc.files.map((f) => `    ${JSON.stringify(f)}`).join(",\n");
  return (
    `{\n  "kind": ${JSON.stringify(doc.kind)},\n  "version": ${doc.version},\n` +
    `  "files": [${files ? `\n${files}\n  ` : ""}]\n}\n`
  );
}

/**
 * Writes `doc` to `path` atomically and synchronously, without waiting for the disk: a temporary
 * file next to it (mode 0600), renamed over it. A crash of evsend at any moment leaves the old
 * state or the new (the system writes both out; `writeState` also waits for the disk).
 */
export function writeStateNow(path: string, doc: StateDocument): void {
  const temporary = `${path}.tmp-${process.pid}`;
  const fd = openSync(temporary, "w", 0o600);
  try {
    writeSync(fd, formatState(doc));
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temporary, path);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Already gone.
    }
    throw error;
  }
}

/**
 * Writes `doc` to `path` atomically: a temporary file next to it (mode 0600) is written and
 * flushed to disk, then renamed over it. A crash at any moment leaves the old state or the new.
 */
export async function writeState(path: string, doc: StateDocument): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  const handle = await open(temporary, "w", 0o600);
  try {
    await handle.writeFile(formatState(doc));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
}
