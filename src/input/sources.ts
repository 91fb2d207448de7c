import { EvsendError, InputError, InterruptedError } from "../errors.js";
import type { DirectRead } from "../bulk/types.js";
import { decodeGzip, isGzip } from "./gzip.js";
import { openInput, ReplacedError, type OpenAt } from "./open.js";

/** One input to read: a file, or stdin (`-`). */
export interface InputSource {
  kind: "file" | "stdin";
  /** How the input is shown to the user: the path as given or matched, or `stdin`. */
  name: string;
  /** Absolute path of a file. */
  path?: string;
  /** Device and inode of a file (`dev:ino`): one file named twice is one input. */
  id?: string;
  /** Size in bytes of a regular file (as stored, before gzip decompression). */
  size?: number;
}

/** Told the size of each chunk as stored (before gzip decompression), for progress. */
type OnRaw = (bytes: number) => void;

/** Passes chunks through, telling `onRaw` their sizes. */
export async function* counted(
  chunks: AsyncIterable<Buffer>,
  onRaw: OnRaw,
): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    onRaw(chunk.length);
    yield chunk;
  }
}

/** A read error as the user sees it: naming the input; an interrupted read is an InterruptedError. */
function readError(name: string, error: unknown, signal: AbortSignal | undefined): Error {
  if (error instanceof EvsendError) return error;
  if (error instanceof ReplacedError) {
    return new InputError(`${name} was replaced (rotated?) while evsend was opening it`, {
      hint: "run the same command again: it resumes from the checkpoint",
      cause: error,
    });
  }
  const e = error as NodeJS.ErrnoException;
  if (signal?.aborted || e.name === "AbortError") {
    return new InterruptedError(`interrupted while reading ${name}`, { cause: error });
  }
  return new InputError(`${name}: read failed: ${e.message}`, {
    hint: "check that the file is complete and readable",
    cause: error,
  });
}

/** Wraps read errors so they name the input (`readError`). */
async function* named(
  name: string,
  chunks: AsyncIterable<Buffer>,
  signal: AbortSignal | undefined,
): AsyncGenerator<Buffer> {
  try {
    yield* chunks;
  } catch (error) {
    throw readError(name, error, signal);
  }
}

/**
 * A file opened once (`openInput`: FIFOs and devices work, and a FIFO with no writer yet never
 * blocks a thread), gzip detected on its first bytes. A regular file is read into one reused
 * buffer, so reading allocates nothing per chunk. `onDirect` is told, after the first chunk of
 * an uncompressed regular file, how to read the rest straight into a caller's buffer.
 */
async function* fileChunks(
  path: string,
  name: string,
  signal: AbortSignal | undefined,
  onRaw: OnRaw | undefined,
  onDirect: (read: DirectRead) => void,
  at: ResumeAt = {},
) {
  const input = await openInput(path, signal, at);
  const { readInto } = input;
  let chunks: AsyncIterable<Buffer> = onRaw ? counted(input.chunks, onRaw) : input.chunks;
  if (readInto) chunks = watchFirst(chunks, readInto, onDirect, onRaw);
  try {
    const decoded = decodeGzip(chunks, name);
    yield* at.skip ? skipping(decoded, at.skip) : decoded;
  } finally {
    await input.close();
  }
}

/** Drops the first `bytes` of the chunks (a compressed input resumes by reading up to there). */
async function* skipping(chunks: AsyncIterable<Buffer>, bytes: number): AsyncGenerator<Buffer> {
  let left = bytes;
  for await (const chunk of chunks) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left > 0 ? chunk.subarray(left) : chunk;
    left = 0;
  }
}

/**
 * Where reading a file resumes: `position` (a plain file, read from there) or `skip` (bytes of
 * a compressed one dropped once decompressed), and the identity it must still have.
 */
export interface ResumeAt extends OpenAt {
  skip?: number;
}

/** Passes chunks through; once the first shows an uncompressed file, offers direct reads. */
async function* watchFirst(
  chunks: AsyncIterable<Buffer>,
  readInto: DirectRead,
  onDirect: (read: DirectRead) => void,
  onRaw?: OnRaw,
): AsyncGenerator<Buffer> {
  let first = true;
  for await (const chunk of chunks) {
    // A first chunk under 2 bytes is a file that small: nothing more to read.
    if (first && chunk.length >= 2 && !isGzip(chunk)) {
      onDirect(async (buffer, offset, length) => {
        const bytes = await readInto(buffer, offset, length);
        onRaw?.(bytes);
        return bytes;
      });
    }
    first = false;
    yield chunk;
  }
}

/** Stdin's chunks; an abort ends a read that waits for more (a pipe nobody writes to). */
async function* stdinChunks(stdin: NodeJS.ReadableStream, signal?: AbortSignal) {
  const onAbort = (): void => {
    (stdin as NodeJS.ReadableStream & { destroy?(error?: Error): void }).destroy?.(
      Object.assign(new Error("interrupted"), { name: "AbortError" }),
    );
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    yield* stdin as AsyncIterable<Buffer>;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * The bytes of one input, gzip-decompressed when they start with gzip's magic bytes. Read lazily
 * in chunks: nothing is buffered beyond what the consumer asks for. A chunk may be overwritten
 * once the next one is asked for: copy what must be kept. `signal` (Ctrl-C) ends a read that
 * waits, as an InterruptedError. `onRaw` is told the size of each chunk as stored (compressed).
 */
export function openSource(
  source: InputSource,
  stdin: () => NodeJS.ReadableStream,
  signal?: AbortSignal,
  onRaw?: OnRaw,
): AsyncGenerator<Buffer> {
  return openSourceReader(source, stdin, signal, onRaw).chunks;
}

/** An input's chunks, and (`direct`) a faster way to read the rest of an uncompressed file. */
export interface SourceReader {
  chunks: AsyncGenerator<Buffer>;
  /** See `BatchInput.direct`: available once the first chunk showed a plain regular file. */
  direct(): DirectRead | undefined;
}

/**
 * Like `openSource`, and for an uncompressed regular file also a reader of the rest of it
 * straight into a caller's buffer (the batch being filled), with the same errors and `onRaw`.
 */
export function openSourceReader(
  source: InputSource,
  stdin: () => NodeJS.ReadableStream,
  signal?: AbortSignal,
  onRaw?: OnRaw,
  at?: ResumeAt,
): SourceReader {
  const { name } = source;
  if (source.kind === "stdin") {
    const raw = stdinChunks(stdin(), signal);
    const chunks = decodeGzip(onRaw ? counted(raw, onRaw) : raw, name);
    return { chunks: named(name, chunks, signal), direct: () => undefined };
  }
  let direct: DirectRead | undefined;
  const onDirect = (read: DirectRead): void => {
    direct = async (buffer, offset, length) => {
      try {
        return await read(buffer, offset, length);
      } catch (error) {
        throw readError(name, error, signal);
      }
    };
  };
  const chunks = fileChunks(source.path ?? name, name, signal, onRaw, onDirect, at);
  return { chunks: named(name, chunks, signal), direct: () => direct };
}
