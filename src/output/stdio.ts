import { EventEmitter } from "node:events";
import { fstatSync, statSync, writeSync } from "node:fs";
import type { OutStream } from "./streams.js";

/** Node's own stdout or stderr stream, as a DescriptorWriter falls back to it. */
type Fallback = () => OutStream;

/**
 * Writes to a file descriptor that is a pipe or a file, with `fs.writeSync`: what Node's own
 * process.stdout does there on Linux (its writes to pipes and files are synchronous), without
 * what creating process.stdout costs a one-off run on a pipe (a net.Socket, and node:net and
 * node:stream behind it: a tenth of `evsend --help` in cron or CI). Not a stream itself, for the
 * same reason: an EventEmitter (loaded by every Node) with what evsend's output uses of a stream
 * (output/streams.ts). A write that the descriptor refuses for now (EAGAIN: a non-blocking pipe
 * that is full) and everything after it go to the stream Node would have used (`fallback`), in
 * order. Other write errors (EPIPE when the reader went away, ENOSPC) end the writer and are its
 * 'error' on the next tick, as a stream's are.
 */
export class DescriptorWriter extends EventEmitter implements OutStream {
  private delegate: OutStream | undefined;
  destroyed = false;
  readonly writableEnded = false;

  constructor(
    private readonly fd: number,
    private readonly fallback: Fallback,
  ) {
    super();
  }

  write(chunk: string | Uint8Array): boolean {
    if (this.destroyed) return false;
    if (this.delegate) return this.delegate.write(chunk) !== false;
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    let offset = 0;
    try {
      while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") {
        this.delegate = this.fallback();
        this.delegate.on("error", (failure) => this.emit("error", failure));
        return this.delegate.write(bytes.subarray(offset)) !== false;
      }
      this.destroyed = true;
      process.nextTick(() => this.emit("error", error));
      return false;
    }
    return true;
  }
}

/**
 * The process's stdout (fd 1) or stderr (fd 2) for evsend's output: Node's own stream where the
 * descriptor may be a terminal (a character device other than /dev/null: colours, widths and
 * spinners need a TTY stream, and telling a terminal from another device takes node:tty) or on
 * Windows, else a DescriptorWriter: on a pipe, a file, or /dev/null (`>/dev/null 2>&1` in cron).
 */
export function processStdio(fd: 1 | 2): OutStream {
  return writerFor(fd, () => (fd === 1 ? process.stdout : process.stderr));
}

/** processStdio's choice for descriptor `fd`, whose Node stream `stream` gives. */
export function writerFor(fd: number, stream: Fallback): OutStream {
  if (process.platform === "win32") return stream();
  try {
    const info = fstatSync(fd);
    if (info.isCharacterDevice() && info.rdev !== statSync("/dev/null").rdev) return stream();
  } catch {
    return stream();
  }
  return new DescriptorWriter(fd, stream);
}
