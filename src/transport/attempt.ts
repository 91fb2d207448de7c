import type { Dispatcher } from "undici";
import { formatDuration } from "../units.js";

/**
 * Bytes of a response body that are read. The four APIs answer with small JSON or nothing, and an
 * error message needs about 500 bytes; the rest is never read, so a huge or endless body costs
 * nothing and cannot hold the request open.
 */
export const BODY_EXCERPT_BYTES = 8 * 1024;

/** The code of the error an attempt fails with when `timeoutMs` passes before the headers. */
export const TIMEOUT_CODE = "EVSEND_TIMEOUT";

/** What one attempt got back. */
export interface AttemptResult {
  status: number;
  headers: Record<string, string>;
  /** At most BODY_EXCERPT_BYTES of the body, as text. */
  body: string;
  /** True when the body was longer than the excerpt, or did not finish in time. */
  bodyTruncated: boolean;
  /** Why the body was cut short after the headers arrived (timeout or a broken connection). */
  bodyProblem?: string;
  /**
   * With `errorBodyBytes`, for an error status whose body is longer than the excerpt: its last
   * BODY_EXCERPT_BYTES read (where a server may put its error code), and how many bytes were read.
   */
  bodyTail?: string;
  bodyBytes?: number;
}

/** What an attempt needs besides the request. */
export interface AttemptOptions {
  dispatcher: Dispatcher;
  /** Bounds the whole exchange: connecting, sending, headers and the body excerpt. */
  timeoutMs: number;
  /** Cancels the attempt (SIGINT); the error thrown is then the signal's. */
  signal?: AbortSignal;
  /**
   * For a status of 400 and above, read on past the excerpt up to this many bytes, keeping only
   * the last BODY_EXCERPT_BYTES (`bodyTail`): memory stays bounded, the time by `timeoutMs`.
   */
  errorBodyBytes?: number;
}

/** Keeps the first and the last `BODY_EXCERPT_BYTES` of a body read chunk by chunk. */
class Excerpt {
  readonly head: Buffer[] = [];
  private tail: Buffer[] = [];
  private headSize = 0;
  private tailSize = 0;
  size = 0;

  add(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.headSize < BODY_EXCERPT_BYTES) {
      const take = chunk.subarray(0, BODY_EXCERPT_BYTES - this.headSize);
      this.head.push(take);
      this.headSize += take.length;
    }
    this.tail.push(chunk);
    this.tailSize += chunk.length;
    while (this.tail.length > 1 && this.tailSize - this.tail[0]!.length >= BODY_EXCERPT_BYTES) {
      this.tailSize -= this.tail.shift()!.length;
    }
  }

  headText(): string {
    return Buffer.concat(this.head).toString("utf8");
  }

  tailText(): string {
    const tail = Buffer.concat(this.tail);
    return tail.subarray(Math.max(0, tail.length - BODY_EXCERPT_BYTES)).toString("utf8");
  }
}

function timeoutError(timeoutMs: number): Error {
  return Object.assign(new Error(`timed out after ${formatDuration(timeoutMs)}`), {
    code: TIMEOUT_CODE,
  });
}

function flatHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

/**
 * Sends one request and reads the status, the headers and an excerpt of the body, all within
 * `timeoutMs`. The body is then destroyed, never drained: a server that trickles one byte a
 * second cannot keep evsend waiting. When the headers came but the body did not finish in time,
 * the status counts (the server answered) and the excerpt is what arrived.
 */
export async function attemptOnce(
  req: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body?: Buffer | string | undefined;
  },
  options: AttemptOptions,
): Promise<AttemptResult> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(timeoutError(options.timeoutMs)), options.timeoutMs);
  const signal = options.signal
    ? AbortSignal.any([timeout.signal, options.signal])
    : timeout.signal;
  try {
    // Dispatcher#request, not undici's top-level request(): the bundle carries only the parts of
    // undici that a dispatcher needs (esbuild.config.js).
    const url = new URL(req.url);
    const res = await options.dispatcher.request({
      origin: url.origin,
      path: url.pathname + url.search,
      signal,
      method: req.method as Dispatcher.HttpMethod,
      headers: req.headers,
      body: req.body,
    });
    const excerpt = new Excerpt();
    const limit =
      res.statusCode >= 400 && options.errorBodyBytes !== undefined
        ? Math.max(options.errorBodyBytes, BODY_EXCERPT_BYTES)
        : BODY_EXCERPT_BYTES;
    let bodyProblem: string | undefined;
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        excerpt.add(chunk);
        if (excerpt.size > limit) break;
      }
    } catch (error) {
      if (options.signal?.aborted) throw error;
      bodyProblem = timeout.signal.aborted
        ? `the body did not finish within ${formatDuration(options.timeoutMs)}`
        : `the body broke off: ${(error as Error).message}`;
    } finally {
      res.body.destroy();
    }
    const { size } = excerpt;
    const long = size > BODY_EXCERPT_BYTES;
    return {
      status: res.statusCode,
      headers: flatHeaders(res.headers),
      body: excerpt.headText(),
      bodyTruncated: bodyProblem !== undefined || long,
      ...(bodyProblem ? { bodyProblem } : {}),
      ...(long && limit > BODY_EXCERPT_BYTES
        ? { bodyTail: excerpt.tailText(), bodyBytes: size }
        : {}),
    };
  } catch (error) {
    if (timeout.signal.aborted && !options.signal?.aborted) throw timeoutError(options.timeoutMs);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
