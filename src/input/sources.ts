import { EvsendError, InputError, InterruptedError } from "../errors.js";
import { decodeGzip } from "./gzip.js";
import { openInput } from "./open.js";

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

/** Wraps read errors so they name the input; an interrupted read is an InterruptedError. */
async function* named(
  name: string,
  chunks: AsyncIterable<Buffer>,
  signal: AbortSignal | undefined,
): AsyncGenerator<Buffer> {
  try {
    yield* chunks;
  } catch (error) {
    if (error instanceof EvsendError) throw error;
    const e = error as NodeJS.ErrnoException;
    if (signal?.aborted || e.name === "AbortError") {
      throw new InterruptedError(`interrupted while reading ${name}`, { cause: error });
    }
    throw new InputError(`${name}: read failed: ${e.message}`, {
      hint: "check that the file is complete and readable",
      cause: error,
    });
  }
}

/**
 * A file opened once (`openInput`: FIFOs and devices work, and a FIFO with no writer yet never
 * blocks a thread), gzip detected on its first bytes. A regular file is read into one reused
 * buffer, so reading allocates nothing per chunk.
 */
async function* fileChunks(path: string, name: string, signal?: AbortSignal, onRaw?: OnRaw) {
  const input = await openInput(path, signal);
  try {
    yield* decodeGzip(onRaw ? counted(input.chunks, onRaw) : input.chunks, name);
  } finally {
    await input.close();
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
  stdin: NodeJS.ReadableStream,
  signal?: AbortSignal,
  onRaw?: OnRaw,
): AsyncGenerator<Buffer> {
  const raw = (chunks: AsyncIterable<Buffer>): AsyncIterable<Buffer> =>
    onRaw ? counted(chunks, onRaw) : chunks;
  const chunks =
    source.kind === "stdin"
      ? decodeGzip(raw(stdinChunks(stdin, signal)), source.name)
      : fileChunks(source.path ?? source.name, source.name, signal, onRaw);
  return named(source.name, chunks, signal);
}
