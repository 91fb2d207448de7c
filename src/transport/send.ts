import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { setTimeout as sleep } from "node:timers/promises";
import type { Dispatcher, request as undiciRequest } from "undici";
import { ConfigError, InterruptedError, UnavailableError } from "../errors.js";
import { formatDuration } from "../parse.js";
import type { Redactor } from "./redact.js";
import { isRetryableStatus, parseRetryAfter, retryDelay } from "./retry.js";

/** One HTTP request, as built by a service's protocol.ts. */
export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: string;
  headers: Record<string, string>;
  body?: Buffer | string;
}

/** The final response (after any retries). Only the first 64 KiB of the body is kept. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** How many attempts it took, 1 when the first one answered. */
  attempts: number;
}

/** One attempt, for --verbose. URLs are already masked. */
export interface AttemptLog {
  method: string;
  url: string;
  attempt: number;
  durationMs: number;
  status?: number;
  error?: string;
  /** Milliseconds until the next attempt, when there is one. */
  retryInMs?: number;
}

/** How the transport connects and retries. */
export interface TransportOptions {
  /** Per-request timeout (waiting for headers, and between body chunks). */
  timeoutMs: number;
  /** Retries after the first attempt. */
  retries: number;
  /** No retry starts later than this after the first attempt. */
  retryBudgetMs?: number;
  userAgent: string;
  /** Proxy variables and NODE_EXTRA_CA_CERTS are read from here. */
  env: NodeJS.ProcessEnv;
  /** Extra CA certificates (PEM) trusted besides the system ones. */
  caFile?: string;
  redactor: Redactor;
  onAttempt?: (log: AttemptLog) => void;
  onWarning?: (message: string) => void;
  /** Aborts waits between attempts (SIGINT). */
  signal?: AbortSignal;
  random?: () => number;
}

/** The one HTTP sender every command uses. */
export interface Transport {
  /** Sends with retries. `abortOnSignal` also cancels the request in flight on SIGINT. */
  send(req: HttpRequest, options?: { abortOnSignal?: boolean }): Promise<HttpResponse>;
  close(): Promise<void>;
  readonly stats: { requests: number; retries: number };
}

/** Default total time budget for one request and its retries. */
export const DEFAULT_RETRY_BUDGET_MS = 5 * 60_000;

const KEEP_BODY_BYTES = 64 * 1024;

/** Errors after which the request may already have reached the server. */
const MAYBE_DELIVERED = new Set([
  "ECONNRESET",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

function loadCertificates(options: TransportOptions): string[] | undefined {
  const files = [options.env.NODE_EXTRA_CA_CERTS, options.caFile].filter((f): f is string => !!f);
  if (files.length === 0 || !options.caFile) return undefined; // Node applies NODE_EXTRA_CA_CERTS itself.
  return [
    ...rootCertificates,
    ...files.map((file) => {
      try {
        return readFileSync(file, "utf8");
      } catch (error) {
        throw new ConfigError(`cannot read CA file ${file}: ${(error as Error).message}`, {
          hint: "pass a readable PEM file to --ca-file",
        });
      }
    }),
  ];
}

function errorCode(error: unknown): string {
  const e = error as { code?: string; cause?: { code?: string } };
  return e.cause?.code ?? e.code ?? "";
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  const code = errorCode(error);
  if (code.includes("TIMEOUT")) return `timed out after ${formatDuration(timeoutMs)}`;
  const message = (error as Error).message;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/** Creates the shared sender: keep-alive connections, proxies, CA certificates, retries. */
export function createTransport(options: TransportOptions): Transport {
  const ca = loadCertificates(options);
  const env = options.env;
  // undici is large: it is loaded on the first request, so --help, --dry-run and errors that
  // happen before sending do not pay for it.
  let client: Promise<{ dispatcher: Dispatcher; request: typeof undiciRequest }> | undefined;
  const connect = (): NonNullable<typeof client> =>
    (client ??= import("undici").then(({ EnvHttpProxyAgent, request }) => ({
      request,
      dispatcher: new EnvHttpProxyAgent({
        httpProxy: env.http_proxy ?? env.HTTP_PROXY ?? "",
        httpsProxy: env.https_proxy ?? env.HTTPS_PROXY ?? "",
        noProxy: env.no_proxy ?? env.NO_PROXY ?? "",
        keepAliveTimeout: 10_000,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        ...(ca ? { connect: { ca }, requestTls: { ca } } : {}),
      }),
    })));
  const stats = { requests: 0, retries: 0 };
  const budget = options.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS;
  const redact = (text: string): string => options.redactor.redact(text);
  let warnedDuplicates = false;

  async function attempt(req: HttpRequest, signal: AbortSignal | undefined): Promise<HttpResponse> {
    const { dispatcher, request } = await connect();
    const res = await request(req.url, {
      ...(signal ? { signal } : {}),
      dispatcher,
      method: req.method,
      headers: { "user-agent": options.userAgent, ...req.headers },
      body: req.body,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    const chunks: Buffer[] = [];
    let kept = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      if (kept < KEEP_BODY_BYTES) {
        chunks.push(chunk);
        kept += chunk.length;
      }
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    const body = Buffer.concat(chunks).subarray(0, KEEP_BODY_BYTES).toString("utf8");
    return { status: res.statusCode, headers, body, attempts: 1 };
  }

  async function send(
    req: HttpRequest,
    sendOptions: { abortOnSignal?: boolean } = {},
  ): Promise<HttpResponse> {
    const signal = sendOptions.abortOnSignal ? options.signal : undefined;
    const started = Date.now();
    const maskedUrl = redact(req.url);
    for (let n = 1; ; n++) {
      if (options.signal?.aborted) throw new InterruptedError();
      const t0 = performance.now();
      stats.requests += 1;
      let response: HttpResponse | undefined;
      let failure: unknown;
      try {
        response = { ...(await attempt(req, signal)), attempts: n };
      } catch (error) {
        if (signal?.aborted) throw new InterruptedError();
        failure = error;
      }
      const durationMs = performance.now() - t0;
      const retryable = response ? isRetryableStatus(response.status) : true;
      let retryInMs: number | undefined;
      if (retryable && n <= options.retries) {
        const wanted = retryDelay(
          n,
          parseRetryAfter(response?.headers["retry-after"]),
          options.random,
        );
        if (Date.now() + wanted - started <= budget) retryInMs = wanted;
      }
      options.onAttempt?.({
        method: req.method,
        url: maskedUrl,
        attempt: n,
        durationMs,
        ...(response ? { status: response.status } : {}),
        ...(failure ? { error: redact(describeNetworkError(failure, options.timeoutMs)) } : {}),
        ...(retryInMs !== undefined ? { retryInMs } : {}),
      });
      if (retryInMs === undefined) {
        if (response) return response;
        const why = redact(describeNetworkError(failure, options.timeoutMs));
        throw new UnavailableError(
          `could not reach ${redact(new URL(req.url).origin)}: ${why}` +
            (n > 1 ? ` (after ${n} attempts)` : ""),
          {
            hint: "check the endpoint URL and your network or proxy settings, then try again later",
            cause: failure,
          },
        );
      }
      if (
        failure &&
        req.method === "POST" &&
        MAYBE_DELIVERED.has(errorCode(failure)) &&
        !warnedDuplicates
      ) {
        warnedDuplicates = true;
        options.onWarning?.(
          `a POST to ${maskedUrl} failed after it was sent (${errorCode(failure)}); retrying it — the service may receive some events twice`,
        );
      }
      stats.retries += 1;
      try {
        await sleep(retryInMs, undefined, options.signal ? { signal: options.signal } : {});
      } catch {
        throw new InterruptedError();
      }
    }
  }

  return {
    send,
    stats,
    close: async () => {
      if (client) await (await client).dispatcher.close();
    },
  };
}
