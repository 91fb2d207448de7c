import { InterruptedError } from "../errors.js";
import { readBounded } from "../input/open.js";

/** The most a secret or config file may hold; `/dev/zero` or a log file named by mistake fails fast. */
export const MAX_SMALL_FILE_BYTES = 1024 * 1024;

/** The reason for TooLargeError in messages. */
export const TOO_LARGE_REASON = "it holds more than 1 MiB (no secret or config file is that large)";

/** Turns an abort into InterruptedError (exit 130); anything else is rethrown as is. */
export function interrupted(
  error: unknown,
  signal: AbortSignal | undefined,
  what: string,
): unknown {
  return signal?.aborted ? new InterruptedError(`interrupted while reading ${what}`) : error;
}

/**
 * A small file's text: opened once (FIFOs, `/dev/stdin` and `<(process substitution)` work),
 * at most 1 MiB read. Throws the fs error, TooLargeError, or InterruptedError when `signal` aborts.
 */
export async function readSmallFile(
  path: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  try {
    return (await readBounded(path, MAX_SMALL_FILE_BYTES, signal)).toString("utf8");
  } catch (error) {
    throw interrupted(error, signal, path);
  }
}
