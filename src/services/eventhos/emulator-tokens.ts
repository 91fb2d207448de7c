import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** What an emulated token says. */
export interface TokenClaims {
  /** The client id. */
  sub: string;
  exp: number;
}

const b64 = (data: string | Buffer): string => Buffer.from(data).toString("base64url");

/** HS256 tokens signed with a key that lives as long as the emulator. */
export class TokenSigner {
  readonly #key = randomBytes(32);

  /** A JWT for `clientId` that expires in `seconds` (fractions allowed, for tests). */
  issue(clientId: string, seconds: number, now = Date.now()): string {
    const head = b64(JSON.stringify({ alg: "HS256", typ: "JWT" }));
    const body = b64(
      JSON.stringify({
        sub: clientId,
        iat: Math.floor(now / 1000),
        exp: (now + seconds * 1000) / 1000,
      }),
    );
    return `${head}.${body}.${this.#sign(`${head}.${body}`)}`;
  }

  /** The claims of a token this signer issued (expired or not); undefined for any other text. */
  verify(token: string): TokenClaims | undefined {
    const [head, body, signature, ...rest] = token.split(".");
    if (!head || !body || !signature || rest.length) return undefined;
    const expected = Buffer.from(this.#sign(`${head}.${body}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as TokenClaims;
      return typeof claims.sub === "string" && typeof claims.exp === "number" ? claims : undefined;
    } catch {
      return undefined;
    }
  }

  #sign(data: string): string {
    return createHmac("sha256", this.#key).update(data).digest("base64url");
  }
}

/** True for text shaped like a JWT (three dot-separated parts). */
export function looksLikeJwt(text: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(text);
}
