import { setTimeout as sleep } from "node:timers/promises";
import { now } from "../clock.js";
import { InterruptedError, UnavailableError } from "../errors.js";
import { formatDuration } from "../units.js";
import type { UndiciClient } from "./client.js";
import { attemptOnce, type AttemptOptions, type AttemptResult } from "./attempt.js";
import { checkHeaders } from "./header-value.js";
import { proxySettings } from "./proxy.js";
import type { HttpRequest, HttpResponse, SendOptions } from "./http.js";
import type { Redactor } from "./redact.js";
import { isRetryable, retryWithinBudget } from "./retry.js";
import { unresolved, unresolvedHost, unresolvedRetry } from "./unresolved.js";
import { withBasicAuth } from "./url.js";
import { INSECURE_TLS_WARNING, insecureTlsRequested, tlsFailure } from "./tls.js";

export type { HttpRequest, HttpResponse, SendOptions } from "./http.js";

/** What Transport.send returns: the final response (after any retries), fully measured. */
export interface SentResponse extends HttpResponse, AttemptResult {
  bodyTruncated: boolean;
  durationMs: number;
}

/** One attempt, for --verbose. URLs are already masked. */
export interface AttemptLog {
  method: string;
  url: string;
  attempt: number;
  /** The most attempts this request may take (`--retries` + 1). */
  maxAttempts: number;
  durationMs: number;
  status?: number;
  error?: string;
  /** Milliseconds until the next attempt, when there is one. */
  retryInMs?: number;
}

/** How the transport connects and retries. */
export interface TransportOptions {
  /** Bounds each attempt as a whole: connecting, sending, the headers and the body excerpt. */
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
  /** Sends with retries. */
  send(req: HttpRequest, options?: SendOptions): Promise<SentResponse>;
  close(): Promise<void>;
  readonly stats: { requests: number; retries: number };
}

/** Default total time budget for one request and its retries. */
export const DEFAULT_RETRY_BUDGET_MS = 5 * 60_000;

/**
 * Errors that happen before a request is sent (no connection was made). After any other failure
 * — a reset, a timeout, an answer that is not HTTP — the request may have reached the server, so
 * a retried POST is announced as a possible duplicate.
 */
const NOT_SENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
]);

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

/**
 * Checks the proxy variables (a broken one is one configuration error before anything is sent),
 * registers their secrets for masking and warns of insecure TLS; returns the proxy settings.
 */
function prepareEnvironment(options: TransportOptions): ReturnType<typeof proxySettings> {
  const env = options.env;
  const proxy = proxySettings(env);
  for (const secret of proxy.secrets) options.redactor.add(secret);
  if (insecureTlsRequested(env)) {
    options.onWarning?.(INSECURE_TLS_WARNING);
    // Node reads the variable on every TLS connection and would print its own warning that
    // verification is off, which is untrue here (rejectUnauthorized is explicit).
    delete env.NODE_TLS_REJECT_UNAUTHORIZED;
  }
  return proxy;
}

/**
 * Whether a failed POST may have reached the server (it failed after it was sent), so that
 * retrying it could deliver its events twice.
 */
function postMayHaveArrived(method: string, failure: unknown): boolean {
  return !!failure && method === "POST" && !NOT_SENT.has(errorCode(failure));
}

/** The error for a request that got no answer, after its last attempt (`attempts`). */
function unreachable(
  origin: string,
  why: string,
  attempts: number,
  failure: unknown,
): UnavailableError {
  return new UnavailableError(
    `could not reach ${origin}: ${why}` + (attempts > 1 ? ` (after ${attempts} attempts)` : ""),
    {
      hint: "check the endpoint URL and your network or proxy settings, then try again later",
      cause: failure,
    },
  );
}

/** What one attempt came to: an answer, or the failure that stopped it, and how long it took. */
interface TimedAttempt {
  response: SentResponse | undefined;
  failure: unknown;
  durationMs: number;
}

/**
 * Makes attempt `n`, timed. A network failure is returned, not thrown; an interrupt (`signal`
 * aborted in flight) throws InterruptedError.
 */
async function timedAttempt(
  req: HttpRequest,
  n: number,
  attemptOptions: AttemptOptions,
): Promise<TimedAttempt> {
  const t0 = now();
  let response: SentResponse | undefined;
  let failure: unknown;
  try {
    const result = await attemptOnce(req, attemptOptions);
    response = { ...result, attempts: n, durationMs: now() - t0 };
  } catch (error) {
    if (attemptOptions.signal?.aborted) throw new InterruptedError();
    failure = error;
  }
  return { response, failure, durationMs: now() - t0 };
}

/** Waits before the next attempt; Ctrl-C ends the wait (and the run). */
async function waitToRetry(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch {
    throw new InterruptedError();
  }
}

/** Creates the shared sender: keep-alive connections, proxies, CA certificates, retries. */
export function createTransport(options: TransportOptions): Transport {
  const env = options.env;
  const proxy = prepareEnvironment(options);
  // undici is large: it is loaded on the first request, so --help, --dry-run and errors that
  // happen before sending do not pay for it. The CA file is read then too.
  let client: Promise<UndiciClient> | undefined;
  const connect = (): Promise<UndiciClient> =>
    (client ??= import("./client.js").then(({ createClient }) =>
      createClient({ proxy, env, caFile: options.caFile, timeoutMs: options.timeoutMs }),
    ));
  const stats = { requests: 0, retries: 0 };
  const budget = options.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS;
  const redact = (text: string): string => options.redactor.redact(text);
  let warnedDuplicates = false;
  let warnedBody = false;

  async function send(original: HttpRequest, sendOptions: SendOptions = {}): Promise<SentResponse> {
    const { request: req, secret } = withBasicAuth(original);
    options.redactor.add(secret);
    const signal = sendOptions.abortOnSignal ? options.signal : undefined;
    const started = Date.now();
    const maskedUrl = redact(original.url);
    const origin = redact(new URL(req.url).origin);
    const headers = { "user-agent": options.userAgent, ...req.headers };
    checkHeaders(headers);
    const { dispatcher } = await connect();
    for (let n = 1; ; n++) {
      if (options.signal?.aborted) throw new InterruptedError();
      stats.requests += 1;
      const { response, failure, durationMs } = await timedAttempt({ ...req, headers }, n, {
        dispatcher,
        timeoutMs: options.timeoutMs,
        ...(signal ? { signal } : {}),
        ...(sendOptions.errorBodyBytes !== undefined
          ? { errorBodyBytes: sendOptions.errorBodyBytes }
          : {}),
      });
      // A certificate problem is not transient: no retry, and not "try again later".
      const refused = failure
        ? tlsFailure(errorCode(failure), (failure as Error).message, origin)
        : undefined;
      if (response?.bodyProblem && !warnedBody) {
        warnedBody = true;
        options.onWarning?.(
          `${req.method} ${maskedUrl} answered HTTP ${response.status} but ${response.bodyProblem}; the status counts, the rest was not waited for`,
        );
      }
      const host = failure ? unresolvedHost(errorCode(failure), failure, req.url) : undefined;
      // A host that does not resolve gets one quick retry; the rest back off within the budget.
      const retryInMs =
        isRetryable(response, refused, sendOptions) && n <= options.retries
          ? host === undefined
            ? retryWithinBudget(n, response, started, budget, options.random)
            : unresolvedRetry(n)
          : undefined;
      options.onAttempt?.({
        method: req.method,
        url: maskedUrl,
        attempt: n,
        maxAttempts: options.retries + 1,
        durationMs,
        ...(response ? { status: response.status } : {}),
        ...(failure ? { error: redact(describeNetworkError(failure, options.timeoutMs)) } : {}),
        ...(retryInMs !== undefined ? { retryInMs } : {}),
      });
      if (refused) throw refused;
      if (retryInMs === undefined) {
        if (response) return response;
        // No answer, and no retry left: why.
        if (host !== undefined) throw unresolved(redact(host), n, failure);
        throw unreachable(
          origin,
          redact(describeNetworkError(failure, options.timeoutMs)),
          n,
          failure,
        );
      }
      if (postMayHaveArrived(req.method, failure) && !warnedDuplicates) {
        warnedDuplicates = true;
        options.onWarning?.(
          `a POST to ${maskedUrl} failed after it was sent (${errorCode(failure) || "no HTTP answer"}); retrying it — the service may receive some events twice`,
        );
      }
      stats.retries += 1;
      await waitToRetry(retryInMs, options.signal);
    }
  }

  return {
    send,
    stats,
    close: async () => {
      // A client that failed to start (a bad --ca-file) has nothing to close; send reported it.
      const started = await client?.catch(() => undefined);
      await started?.dispatcher.close();
    },
  };
}
