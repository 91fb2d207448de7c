import { constants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { Socket } from "node:net";

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
  /** Closes the input if the chunks were never iterated. */
  close(): Promise<void>;
}

/** Chunks are read this large: fewer, bigger reads are faster, and memory stays bounded. */
export const READ_CHUNK_BYTES = 1024 * 1024;

function abortError(): Error {
  return Object.assign(new Error("interrupted"), { name: "AbortError", code: "ABORT_ERR" });
}

async function* readHandle(handle: FileHandle, signal?: AbortSignal): AsyncGenerator<Buffer> {
  try {
    const buffer = Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
    for (;;) {
      if (signal?.aborted) throw abortError();
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/**
 * A FIFO's bytes through the event loop instead of libuv's thread pool: a read that waits for a
 * writer never blocks a pool thread, so Ctrl-C and exit stay prompt. Chunks are fresh buffers.
 */
async function* readFifo(handle: FileHandle, signal?: AbortSignal): AsyncGenerator<Buffer> {
  // The socket owns the descriptor from here on; the FileHandle must not close it too.
  const socket = new Socket({ fd: handle.fd, readable: true, writable: false });
  const onAbort = (): void => {
    socket.destroy(abortError());
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for await (const chunk of socket as AsyncIterable<Buffer>) yield chunk;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    socket.destroy();
  }
}

/**
 * Opens a path once and reads it as a stream. A FIFO (named pipe, `<(process substitution)`,
 * `/dev/stdin` on a pipe) is opened non-blocking, so opening never waits for a writer in a
 * thread that SIGINT cannot interrupt; it is then read from the event loop. Regular files and
 * character devices are read in large chunks. Never opens the path a second time: sniffing
 * (gzip, binary) must be done on the chunks.
 */
export async function openInput(path: string, signal?: AbortSignal): Promise<OpenedInput> {
  if (signal?.aborted) throw abortError();
  // O_NONBLOCK makes open() of a FIFO return at once; for other kinds it changes nothing that
  // evsend relies on (regular files and devices are read through the thread pool anyway).
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  let info;
  try {
    info = await handle.stat();
  } catch (error) {
    await handle.close();
    throw error;
  }
  const id = `${info.dev}:${info.ino}`;
  const fifo = info.isFIFO() || info.isSocket();
  const kind = fifo
    ? "fifo"
    : info.isFile()
      ? "file"
      : info.isCharacterDevice()
        ? "device"
        : "other";
  const inner = fifo ? readFifo(handle, signal) : readHandle(handle, signal);
  let started = false;
  return {
    kind,
    size: info.isFile() ? info.size : undefined,
    id,
    chunks: (async function* () {
      started = true;
      yield* inner;
    })(),
    // Once iteration started, the reader closes the handle itself when it ends.
    close: async () => {
      if (!started) await handle.close();
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
