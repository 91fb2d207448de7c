import type { Context } from "../../context.js";
import { ConfigError } from "../../errors.js";
import { headerValueProblem } from "../../transport/header-value.js";
import type { KeyKind } from "./interpret.js";
import { interpretTokenResponse } from "./interpret.js";
import { buildTokenRequest, jwtExpiry, type EventhosCredentials } from "./protocol.js";
import { EXPIRY_MARGIN_MS, TokenCache, tokenCacheDir } from "./token-cache.js";

/** The value for the `access-key` header, and whether it came from the token cache. */
export interface Key {
  value: string;
  cached: boolean;
  /** When a token is renewed before it expires (its `exp`, less a margin); none for a key. */
  renewAt?: number;
}

/** Where a send's key comes from: the long-lived key, or tokens for the client credentials. */
export interface KeySource {
  readonly kind: KeyKind;
  /**
   * The key to send with now (one token fetch shared by concurrent sends); a token about to
   * expire is replaced first, so a long run (`tail -F … | evsend … --ndjson -`) never sends one.
   */
  current(): Promise<Key>;
  /**
   * After a send answered 401/401202 with `stale`: drops the cached token and fetches one new
   * token — once per refused token, shared by every send that failed with it; a send whose token
   * was already replaced gets the new one. Undefined means do not retry.
   */
  renew(stale: Key): Promise<Key | undefined>;
}

/** A token the server issued that no header can carry: exit 3 before it is sent or cached. */
function checkIssuedToken(token: string): void {
  const problem = headerValueProblem(token);
  if (problem === undefined) return;
  throw new ConfigError(
    `the token Eventhos issued cannot be sent in the access-key header: ${problem}`,
    {
      hint: "nothing was sent with it; ask the Eventhos administrator about the token endpoint's answer",
    },
  );
}

/** A source that always gives the long-lived key. */
function fixedKey(accessKey: string): KeySource {
  const key = { value: accessKey, cached: false };
  return { kind: "key", current: async () => key, renew: async () => undefined };
}

/**
 * When a token valid until `expiresAt` (obtained at `now`) is renewed: a minute before, or a
 * tenth of its lifetime before when that is shorter (an administrator may make tokens short).
 */
export function renewalTime(expiresAt: number | undefined, now: number): number | undefined {
  if (expiresAt === undefined) return undefined;
  return expiresAt - Math.min(EXPIRY_MARGIN_MS, Math.max(0, expiresAt - now) / 10);
}

/** Tokens from `POST <base>/auth/token`, kept in the private token cache until a minute before exp. */
function clientTokens(
  ctx: Context,
  base: string,
  clientId: string,
  clientSecret: string,
): KeySource {
  const { output } = ctx;
  const cache = new TokenCache(tokenCacheDir(ctx.runtime.env, ctx.runtime.homedir), (m) =>
    output.debug(m),
  );
  let current: Promise<Key> | undefined;
  /** The token `current` resolved to, once it has. */
  let latest: Key | undefined;
  // One renewal per refused token, shared by every send it failed (they run concurrently).
  const renewals = new Map<string, Promise<Key | undefined>>();

  const fetchToken = async (): Promise<Key> => {
    const response = await ctx
      .transport()
      .send(buildTokenRequest(base, clientId, clientSecret), { abortOnSignal: true });
    const token = interpretTokenResponse(response);
    ctx.redactor.add(token);
    checkIssuedToken(token);
    const expiresAt = jwtExpiry(token);
    if (expiresAt === undefined) {
      output.debug(
        "eventhos: the new token has no usable exp; it is used for this run only, not cached",
      );
    } else if (expiresAt - EXPIRY_MARGIN_MS <= Date.now()) {
      output.debug("eventhos: the new token expires within a minute; not cached");
    } else {
      output.debug(
        `eventhos: new token for ${clientId}, valid until ${new Date(expiresAt).toISOString()}`,
      );
      const problem = await cache.write(base, clientId, token, expiresAt);
      if (problem)
        output.warn(`the Eventhos token is not cached (${problem}); each run asks for a new one`);
    }
    const renewAt = renewalTime(expiresAt, Date.now());
    return { value: token, cached: false, ...(renewAt !== undefined ? { renewAt } : {}) };
  };

  const load = async (): Promise<Key> => {
    const cached = await cache.read(base, clientId);
    if (cached === undefined) return fetchToken();
    ctx.redactor.add(cached);
    const renewAt = renewalTime(jwtExpiry(cached), Date.now());
    return { value: cached, cached: true, ...(renewAt !== undefined ? { renewAt } : {}) };
  };

  const replace = (next: Promise<Key>): Promise<Key> => {
    current = next;
    latest = undefined;
    next.then(
      (key) => {
        if (current === next) latest = key;
      },
      () => {},
    );
    return next;
  };

  return {
    kind: "token",
    current() {
      if (latest?.renewAt !== undefined && latest.renewAt <= Date.now()) {
        output.debug("eventhos: the token is about to expire; getting a new one");
        return replace(fetchToken());
      }
      return current ?? replace(load());
    },
    renew(stale) {
      let renewal = renewals.get(stale.value);
      if (!renewal) {
        renewal = (async () => {
          const now = await current?.catch(() => undefined);
          if (now && now.value !== stale.value) return now; // already replaced
          await cache.drop(base, clientId);
          const which = stale.cached ? "cached token" : "token";
          output.debug(`eventhos: the ${which} was refused (401202); getting a new one, once`);
          return replace(fetchToken());
        })();
        renewals.set(stale.value, renewal);
      }
      return renewal;
    },
  };
}

/** The key source for resolved credentials. */
export function keySource(ctx: Context, base: string, credentials: EventhosCredentials): KeySource {
  return credentials.kind === "key"
    ? fixedKey(credentials.accessKey)
    : clientTokens(ctx, base, credentials.clientId, credentials.clientSecret);
}
