import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

/** Host names that always mean this machine. */
const LOCAL_NAMES = new Set(["localhost", "localhost.", "127.0.0.1", "::1"]);

/** The host name of a `Host` header or an origin's authority, without port or brackets. */
function hostName(authority: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d*)?$/.exec(authority);
  if (bracketed) return bracketed[1]!.toLowerCase();
  return authority.replace(/:\d*$/, "").toLowerCase();
}

/**
 * Why a request must be refused, or undefined. The emulator takes requests from senders on this
 * machine (or the address it was told to listen on), never from a web page:
 * - a `Host` that is a DNS name other than localhost or `--host` is DNS rebinding (a page whose
 *   name resolves to 127.0.0.1 reading or injecting events); an IP address cannot be rebound;
 * - an `Origin` (only browsers send one) other than the emulator's own is a cross-origin page
 *   posting `text/plain` forms, which need no CORS preflight.
 */
export function refusedOrigin(req: IncomingMessage, listenHost: string): string | undefined {
  const host = req.headers.host;
  if (host !== undefined) {
    const name = hostName(host);
    if (!LOCAL_NAMES.has(name) && isIP(name) === 0 && name !== listenHost.toLowerCase())
      return `Host ${JSON.stringify(host)} is not this emulator's address (DNS rebinding?)`;
  }
  const origin = req.headers.origin;
  if (origin !== undefined && (host === undefined || origin !== `http://${host}`))
    return `Origin ${JSON.stringify(origin)} is not this emulator: web pages may not use it`;
  return undefined;
}
