/**
 * What a request and its answer are, and the per-request options of `Transport.send`: the types
 * that services, the bulk runner and the transport's own modules share. Types only; send.ts
 * re-exports them.
 */

/** One HTTP request, as built by a service's protocol.ts. */
export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: string;
  headers: Record<string, string>;
  body?: Buffer | string;
}

/**
 * A response as protocols read it. Only an excerpt of the body is read (8 KiB): the APIs answer
 * with small JSON, and an error needs a few hundred bytes.
 */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** How many attempts it took, 1 when the first one answered. */
  attempts: number;
  /** True when the body was longer than the excerpt, or did not finish in time. */
  bodyTruncated?: boolean;
  /** The last 8 KiB of a long error body, when `errorBodyBytes` asked for it (see attempt.ts). */
  bodyTail?: string;
  /** How many bytes of that error body were read. */
  bodyBytes?: number;
  /** How long the final attempt took (connect, send, headers, body excerpt), in milliseconds. */
  durationMs?: number;
}

/** Per-request options of Transport.send. */
export interface SendOptions {
  /** Also cancel the request in flight on SIGINT. */
  abortOnSignal?: boolean;
  /**
   * Marks a response transient (retried with backoff) besides the shared status rule: for an
   * API whose rate-limit answer is not a 429 (Guance answers 401 with a rate-limit errorCode).
   * It can only add retries, never remove one.
   */
  transient?: (response: HttpResponse) => boolean;
  /**
   * Marks a response that no retry can change (an event too large for the server to store): it
   * is returned at once. It can only remove retries, never add one.
   */
  permanent?: (response: HttpResponse) => boolean;
  /** For an error status, read this much of the body to find its end (bounded; attempt.ts). */
  errorBodyBytes?: number;
}
