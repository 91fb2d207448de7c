/**
 * Where evsend writes its output, which may be a terminal: Node's stdout or stderr stream, a
 * test's Writable, or output/stdio.ts's writer for a pipe or a file (which is no stream).
 */
export interface OutStream {
  write(chunk: string | Uint8Array): boolean;
  on(event: "error", listener: (error: Error) => void): unknown;
  readonly destroyed?: boolean;
  readonly writableEnded?: boolean;
  isTTY?: boolean;
  columns?: number;
}

/** Streams whose write failed: output to them ends quietly. */
const broken = new WeakSet<OutStream>();
const guarded = new WeakSet<OutStream>();

/**
 * Makes a write error on `stream` — EPIPE when the reader went away (`| head -1`), ENOSPC on
 * `/dev/full` — end output to it quietly instead of crashing the process with an unhandled
 * 'error' event. The command goes on (a `devo file` run still delivers, the emulator keeps
 * serving) and keeps its real exit code. Safe to call more than once per stream; call it before
 * anything writes (commander's help included).
 */
export function guardStream(stream: OutStream): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on("error", () => broken.add(stream));
}

/** Writes `text` unless an earlier write to the stream failed. */
export function writeGuarded(stream: OutStream, text: string): void {
  guardStream(stream);
  if (broken.has(stream) || stream.destroyed || stream.writableEnded) return;
  try {
    stream.write(text);
  } catch {
    broken.add(stream);
  }
}
