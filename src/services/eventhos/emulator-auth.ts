import type { EmulatedClient, EventhosEmulatorConfig } from "./emulator-config.js";
import { looksLikeJwt, TokenSigner } from "./emulator-tokens.js";

/** An error answer: HTTP status, Eventhos code, message. */
export type Refusal = [status: number, code: number, message: string];

/** Who sent: a configured client, or anyone (no clients configured). */
export type Sender = { client: EmulatedClient | undefined; viaToken: boolean };

/** The emulated server's credentials: token issuing, lockouts, key checks. */
export class EmulatedAuth {
  readonly signer = new TokenSigner();
  readonly #failures = new Map<string, { count: number; lockedUntil: number }>();

  constructor(private readonly config: EventhosEmulatorConfig) {}

  /** `POST /auth/token`: 201 with a token, or a refusal (401100 with lockout, 403100, 40000x). */
  token(body: Record<string, unknown>, now = Date.now()): Refusal | { token: string } {
    if (body.grant_type !== "client_credentials")
      return [400, 400001, "grant_type must be client_credentials"];
    const id = body.client_id;
    const secret = body.client_secret;
    if (typeof id !== "string" || id === "") return [400, 400002, "client_id is required"];
    if (typeof secret !== "string" || secret === "")
      return [400, 400003, "client_secret is required"];
    const clients = this.config.clients;
    if (!clients) return { token: this.signer.issue(id, this.config.expiresIn, now) };
    const client = clients.find((c) => c.id === id);
    if (!client) return [404, 401100, "Client not found"];
    if (!client.secret) return [403, 403100, "use your long live token"];
    const failures = this.#failures.get(id) ?? { count: 0, lockedUntil: 0 };
    if (failures.lockedUntil > now) return [401, 401100, "Client is locked, try again later"];
    if (secret !== client.secret) {
      failures.count += 1;
      if (failures.count >= 4) {
        failures.count = 0;
        failures.lockedUntil = now + this.config.lockoutSeconds * 1000;
      }
      this.#failures.set(id, failures);
      return [401, 401100, "Incorrect client credentials"];
    }
    this.#failures.delete(id);
    return { token: this.signer.issue(id, this.config.expiresIn, now) };
  }

  /** Who the access key belongs to, or why it is refused (before the event is looked at). */
  sender(key: string, now = Date.now()): Refusal | Sender {
    const claims = this.signer.verify(key);
    if (claims && claims.exp * 1000 <= now) return [401, 401202, "Expired token"];
    const clients = this.config.clients;
    if (!clients) return { client: undefined, viaToken: claims !== undefined };
    const client = claims
      ? clients.find((c) => c.id === claims.sub)
      : clients.find((c) => c.accessKey !== undefined && c.accessKey === key);
    if (!client) {
      return looksLikeJwt(key)
        ? [401, 401202, "Incorrect token"]
        : [401, 401201, "The access key is not a long live key of any client"];
    }
    if (client.revoked) return [403, 403201, "Client access is revoked"];
    return { client, viaToken: claims !== undefined };
  }

  /** Whether some client belongs to the producer system. */
  systemHasClient(system: string): boolean {
    return (this.config.clients ?? []).some((c) => c.system === system);
  }
}
