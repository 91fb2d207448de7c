import { constants, createReadStream } from "node:fs";
import { access, open, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import type FastGlob from "fast-glob";
import { InputError, UsageError } from "../errors.js";
import { decodeGzip, isGzip } from "./gzip.js";

/** One input to read: a file, or stdin (`-`). */
export interface InputSource {
  kind: "file" | "stdin";
  /** How the input is shown to the user: the path as given or matched, or `stdin`. */
  name: string;
  /** Absolute path of a file. */
  path?: string;
}

/** How inputs are expanded. */
export interface ResolveOptions {
  /** Globs whose matches are left out (applied to glob matches). */
  exclude: string[];
  cwd: string;
}

/** Chunks are read this large: fewer, bigger reads are faster, and memory stays bounded. */
const READ_CHUNK_BYTES = 1024 * 1024;

async function checkFile(path: string): Promise<string | undefined> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "no such file" : `cannot read it (${code ?? "error"})`;
  }
  if (info.isDirectory()) return "is a directory (pass a glob such as 'dir/*.log')";
  if (!info.isFile() && !info.isFIFO()) return "is not a regular file";
  try {
    await access(path, constants.R_OK);
  } catch {
    return "is not readable (permission denied)";
  }
  return undefined;
}

/**
 * Expands paths, globs and `-` into the list of inputs, in the order given (a glob's matches
 * sorted), each file once. Every input is checked before anything is read or sent: all problems
 * are reported together as one InputError (exit 5).
 */
export async function resolveInputs(
  inputs: string[],
  options: ResolveOptions,
): Promise<InputSource[]> {
  const sources: InputSource[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  let glob: typeof FastGlob | undefined;
  const addFile = (name: string, path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    sources.push({ kind: "file", name, path });
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
    const path = resolve(options.cwd, input);
    const problem = await checkFile(path);
    // A name that exists is a file even when it contains glob characters; fast-glob is loaded
    // only for a name that does not exist.
    if (problem !== undefined) glob ??= (await import("fast-glob")).default;
    if (problem === undefined || !glob?.isDynamicPattern(input)) {
      if (problem) problems.push(`${input}: ${problem}`);
      else addFile(input, path);
      continue;
    }
    const matches = await glob(input, {
      cwd: options.cwd,
      ignore: options.exclude,
      onlyFiles: true,
      dot: false,
      followSymbolicLinks: true,
    });
    if (matches.length === 0) {
      problems.push(`${input}: the glob matched no file`);
      continue;
    }
    for (const match of matches.sort()) {
      const matched = resolve(options.cwd, match);
      const problem = await checkFile(matched);
      if (problem) problems.push(`${match}: ${problem}`);
      else addFile(isAbsolute(input) ? matched : relative(options.cwd, matched) || match, matched);
    }
  }
  if (problems.length > 0) {
    throw new InputError(
      `${problems.length === 1 ? "an input is" : `${problems.length} inputs are`} unusable, nothing was sent:\n  ${problems.join("\n  ")}`,
      { hint: "check the paths and globs (quote globs so evsend expands them, not the shell)" },
    );
  }
  return sources;
}

/** Wraps read errors so they name the input. */
async function* named(name: string, chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* chunks;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const e = error as NodeJS.ErrnoException;
    throw new InputError(`${name}: read failed: ${e.message}`, {
      hint: "check that the file is complete and readable",
      cause: error,
    });
  }
}

/**
 * A regular file's chunks, read into one reused buffer: each chunk is valid only until the next
 * is asked for (the batcher copies what it keeps), so reading allocates nothing per chunk.
 */
async function* readReusing(path: string): AsyncGenerator<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** Whether a regular file starts with gzip's magic bytes (pipes and the like: undefined). */
async function startsWithGzip(path: string): Promise<boolean | undefined> {
  const handle = await open(path, "r");
  try {
    if (!(await handle.stat()).isFile()) return undefined;
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return isGzip(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

async function* fileChunks(path: string, name: string): AsyncGenerator<Buffer> {
  const gzip = await startsWithGzip(path);
  if (gzip === false) yield* readReusing(path);
  else yield* decodeGzip(createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }), name);
}

/**
 * The bytes of one input, gzip-decompressed when they start with gzip's magic bytes. Read lazily
 * in chunks: nothing is buffered beyond what the consumer asks for. A chunk may be overwritten
 * once the next one is asked for: copy what must be kept.
 */
export function openSource(
  source: InputSource,
  stdin: NodeJS.ReadableStream,
): AsyncGenerator<Buffer> {
  const chunks =
    source.kind === "stdin"
      ? decodeGzip(stdin as AsyncIterable<Buffer>, source.name)
      : fileChunks(source.path ?? source.name, source.name);
  return named(source.name, chunks);
}
