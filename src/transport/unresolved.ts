/** A host name that does not resolve (ENOTFOUND): one quick retry, then an error naming it. */

import { UnavailableError } from "../errors.js";

/**
 * The wait before the one retry of a host name that did not resolve. ENOTFOUND is a typo far more
 * often than a passing DNS problem (that is EAI_AGAIN, retried as usual): one quick retry covers a
 * resolver that hiccuped, and the user learns of the typo at once instead of after a minute.
 */
export const UNRESOLVED_RETRY_MS = 250;

/** The wait before attempt `n + 1` of a request whose host did not resolve: only after the first. */
export function unresolvedRetry(n: number): number | undefined {
  return n === 1 ? UNRESOLVED_RETRY_MS : undefined;
}

/** The host name a failure (error `code`) could not resolve, or undefined when it is not ENOTFOUND. */
export function unresolvedHost(code: string, failure: unknown, url: string): string | undefined {
  if (code !== "ENOTFOUND") return undefined;
  const e = failure as { hostname?: unknown; cause?: { hostname?: unknown } };
  const host = e.cause?.hostname ?? e.hostname;
  return typeof host === "string" && host ? host : new URL(url).hostname;
}

/** The error for a host name that does not resolve: exit 7, with the fix on the user's side. */
export function unresolved(host: string, attempts: number, failure: unknown): UnavailableError {
  return new UnavailableError(
    `could not resolve host ${host}` + (attempts > 1 ? ` (after ${attempts} attempts)` : ""),
    {
      hint: "check the URL/host name (the --url or --endpoint value, its EVSEND_ variable or the profile) for a typo; if it is right, check your DNS or proxy settings",
      cause: failure,
    },
  );
}
