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
}

/** Where a send's key comes from: the long-lived key, or tokens for the client credentials. */
export interface KeySource {
  readonly kind: KeyKind;
  /** The key to send with now (one token fetch shared by concurrent sends). */
  current(): Promise<Key>;
  /**
   * After a send answered 401/401202 with `stale`: drops the cached token and, when `stale` came
   * from the cache, fetches one new token — once per run, shared by every send that failed with
   * it. Undefined means do not retry.
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
  // One renewal per run, shared by every send the stale token failed (they run concurrently).
  let renewal: Promise<Key | undefined> | undefined;

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
    return { value: token, cached: false };
  };

  const load = async (): Promise<Key> => {
    const cached = await cache.read(base, clientId);
    if (cached === undefined) return fetchToken();
    ctx.redactor.add(cached);
    return { value: cached, cached: true };
  };

  return {
    kind: "token",
    current: () => (current ??= load()),
    renew(stale) {
      renewal ??= (async () => {
        await cache.drop(base, clientId);
        if (!stale.cached) return undefined;
        output.debug("eventhos: the cached token was refused (401202); getting a new one, once");
        current = fetchToken();
        return current;
      })();
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
