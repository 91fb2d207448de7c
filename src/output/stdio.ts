import { fstatSync, writeSync } from "node:fs";
import { Writable } from "node:stream";
import type { OutStream } from "./output.js";

/**
 * Writes to a file descriptor that is a pipe or a file, with `fs.writeSync`: what Node's own
 * process.stdout does there on Linux (its writes to pipes and files are synchronous), without
 * what creating process.stdout costs a one-off run on a pipe (a net.Socket and the modules
 * behind it: about a twentieth of `evsend --help` in cron or CI). A write that the descriptor
 * refuses for now (EAGAIN: a non-blocking pipe that is full) and everything after it go to the
 * stream Node would have used (`fallback`), in order. Other write errors (EPIPE when the reader
 * went away, ENOSPC) are the stream's 'error', as process.stdout's are (output/streams.ts).
 */
export class DescriptorWriter extends Writable {
  private delegate: Writable | undefined;

  constructor(
    private readonly fd: number,
    private readonly fallback: () => Writable,
  ) {
    super({ decodeStrings: true });
  }

  override _write(
    chunk: Buffer,
    _encoding: string,
    callback: (error?: Error | null) => void,
  ): void {
    if (this.delegate) {
      this.delegate.write(chunk, callback);
      return;
    }
    let offset = 0;
    try {
      while (offset < chunk.length) offset += writeSync(this.fd, chunk, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") return callback(error as Error);
      this.delegate = this.fallback();
      this.delegate.write(chunk.subarray(offset), callback);
      return;
    }
    callback();
  }
}

/**
 * The process's stdout (fd 1) or stderr (fd 2) for evsend's output: Node's own stream where the
 * descriptor may be a terminal (a character device: colours, widths and spinners need a TTY
 * stream; /dev/null too, which costs nothing there) or on Windows, else a DescriptorWriter.
 */
export function processStdio(fd: 1 | 2): OutStream {
  const stream = (): Writable => (fd === 1 ? process.stdout : process.stderr);
  if (process.platform === "win32") return stream();
  try {
    if (fstatSync(fd).isCharacterDevice()) return stream();
  } catch {
    return stream();
  }
  return new DescriptorWriter(fd, stream);
}
