import { constants } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { closeFd, fstatFd, openFd, readFd } from "../fs-async.js";

/** An input opened once: its kind, its size when known, and its chunks. */
export interface OpenedInput {
  /** What `fstat` said about it after opening. */
  kind: "file" | "fifo" | "device" | "other";
  /** Size in bytes of a regular file; undefined for pipes and devices. */
  size: number | undefined;
  /** Device and inode: one file reached by two names is the same input. */
  id: string;
  /**
   * The bytes, in chunks. For a regular file each chunk is read into one reused buffer and is
   * valid only until the next one is asked for (copy what must be kept). Ending the iteration
   * early (break, throw, `return()`) closes the input.
   */
  chunks: AsyncGenerator<Buffer>;
  /**
   * A regular file's next bytes, read at the chunks' position straight into the caller's buffer
   * (0 at the end), so both can be used in turn. Only while the chunks have not ended.
   */
  readInto?(buffer: Buffer, offset: number, length: number): Promise<number>;
  /** Closes the input if the chunks were never iterated. */
  close(): Promise<void>;
}

/** Chunks are read this large: fewer, bigger reads are faster, and memory stays bounded. */
export const READ_CHUNK_BYTES = 1024 * 1024;

/** How long a device that has nothing to read yet (EAGAIN) is left alone before trying again. */
const RETRY_MS = 20;

function abortError(): Error {
  return Object.assign(new Error("interrupted"), { name: "AbortError", code: "ABORT_ERR" });
}

/**
 * Read buffers of finished readers, for the next one: inputs read one after the other (5,000
 * small files) share one buffer instead of leaving 5,000 MiB for the garbage collector.
 */
const spareBuffers: Buffer[] = [];

/**
 * Where a regular file is read next, when reading started past its start (a resumed input):
 * reads then give the position, as descriptors cannot seek. Null: the descriptor's own position.
 */
interface Cursor {
  position: number | null;
}

/** Reads a descriptor's next bytes through libuv's thread pool into `buffer`; 0 at the end. */
async function readAt(
  fd: number,
  buffer: Buffer,
  offset: number,
  length: number,
  signal?: AbortSignal,
  cursor: Cursor = { position: null },
): Promise<number> {
  for (;;) {
    if (signal?.aborted) throw abortError();
    try {
      const { bytesRead } = await readFd(fd, buffer, offset, length, cursor.position);
      if (cursor.position !== null) cursor.position += bytesRead;
      return bytesRead;
    } catch (error) {
      // A device opened non-blocking with nothing to read yet: wait, then read again.
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      await sleep(RETRY_MS, undefined, signal ? { signal } : {});
    }
  }
}

/** Reads a descriptor into one reused buffer; closes it at the end. */
async function* readReusing(
  fd: number,
  signal?: AbortSignal,
  cursor?: Cursor,
): AsyncGenerator<Buffer> {
  const buffer = spareBuffers.pop() ?? Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
  try {
    for (;;) {
      const bytesRead = await readAt(fd, buffer, 0, buffer.length, signal, cursor);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    // The reader's last chunk is not read after it asked for the end: the buffer is free.
    if (spareBuffers.length < 2) spareBuffers.push(buffer);
    await closeFd(fd);
  }
}

/**
 * A FIFO's (or terminal's) bytes through the event loop instead of libuv's thread pool: a read
 * that waits for a writer never blocks a pool thread, so Ctrl-C and exit stay prompt. Chunks are
 * fresh buffers. The stream owns the descriptor and closes it.
 */
async function* readStream(fd: number, tty: boolean, signal?: AbortSignal): AsyncGenerator<Buffer> {
  // node:tty and node:net (which node:tty loads) only for these inputs: loading them costs every
  // run that reads a file, or nothing, a millisecond or two (README: Performance).
  const stream = tty
    ? new (await import("node:tty")).ReadStream(fd)
    : new (await import("node:net")).Socket({ fd, readable: true, writable: false });
  const onAbort = (): void => {
    stream.destroy(abortError());
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    stream.destroy();
  }
}

/** Where `openInput` starts reading a regular file: a resumed input. */
export interface OpenAt {
  /** Byte offset to start at (default 0). */
  position?: number;
  /**
   * The file's identity (`dev:ino`) as evsend saw it when it chose `position`: opening another
   * file (the path was rotated in between) is an error, never a read at the wrong offset.
   */
  expectId?: string;
}

/** Thrown by `openInput` when the file at the path is no longer the one `expectId` names. */
export class ReplacedError extends Error {
  constructor(readonly path: string) {
    super(`${path} was replaced while evsend was opening it`);
  }
}

/**
 * Opens a path once and reads it as a stream. A FIFO (named pipe, `<(process substitution)`,
 * `/dev/stdin` on a pipe) is opened non-blocking, so opening never waits for a writer in a
 * thread that SIGINT cannot interrupt; it is then read from the event loop, as is a terminal.
 * Regular files and other character devices are read in large chunks. Never opens the path a
 * second time: sniffing (gzip, binary) must be done on the chunks.
 */
export async function openInput(
  path: string,
  signal?: AbortSignal,
  at: OpenAt = {},
): Promise<OpenedInput> {
  if (signal?.aborted) throw abortError();
  // O_NONBLOCK makes open() of a FIFO return at once; for a regular file it changes nothing,
  // and a device that has nothing to read yet is retried (EAGAIN).
  const fd = await openFd(path, constants.O_RDONLY | constants.O_NONBLOCK);
  let info;
  try {
    info = await fstatFd(fd);
  } catch (error) {
    await closeFd(fd);
    throw error;
  }
  const id = `${info.dev}:${info.ino}`;
  const fifo = info.isFIFO() || info.isSocket();
  const tty = info.isCharacterDevice() && (await import("node:tty")).isatty(fd);
  const kind = fifo
    ? "fifo"
    : info.isFile()
      ? "file"
      : info.isCharacterDevice()
        ? "device"
        : "other";
  let started = false;
  let closed = false;
  if (at.expectId !== undefined && at.expectId !== id) {
    await closeFd(fd);
    throw new ReplacedError(path);
  }
  const cursor: Cursor = { position: kind === "file" && at.position ? at.position : null };
  return {
    kind,
    size: info.isFile() ? info.size : undefined,
    id,
    ...(kind === "file"
      ? {
          readInto: async (buffer: Buffer, offset: number, length: number) => {
            // The descriptor's number may already belong to another file once it was closed.
            if (closed) throw new Error("read after the input was closed");
            return readAt(fd, buffer, offset, length, signal, cursor);
          },
        }
      : {}),
    chunks: (async function* () {
      started = true;
      try {
        yield* fifo || tty ? readStream(fd, tty, signal) : readReusing(fd, signal, cursor);
      } finally {
        closed = true;
      }
    })(),
    // Once iteration started, the reader closes the descriptor itself when it ends.
    close: async () => {
      if (!started) {
        started = true;
        closed = true;
        await closeFd(fd);
      }
    },
  };
}

/** Thrown by `readBounded` when the input holds more than the limit. */
export class TooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`holds more than ${limit} bytes`);
  }
}

/**
 * Reads a small input whole (a secret, a config file), opening it once and reading at most
 * `limit` bytes: `/dev/zero` or a huge file fails fast with TooLargeError instead of filling
 * memory. FIFOs and devices work.
 */
export async function readBounded(
  path: string,
  limit: number,
  signal?: AbortSignal,
): Promise<Buffer> {
  const input = await openInput(path, signal);
  return collectBounded(input.chunks, limit);
}

/** Collects chunks (copies) up to `limit` bytes; more is a TooLargeError, and the source is closed. */
export async function collectBounded(
  chunks: AsyncIterable<Buffer>,
  limit: number,
): Promise<Buffer> {
  const kept: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size > limit) throw new TooLargeError(limit);
    kept.push(Buffer.from(chunk));
  }
  return Buffer.concat(kept, size);
}
