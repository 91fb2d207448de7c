/** One event the emulated server knows. */
export interface EmulatedEvent {
  /** False: stored, but answered 203/200310 (no contract bound). Default true. */
  contract: boolean;
  /** The producer system; only its clients may send the event. None: any client. */
  system?: string;
}

/** One client the emulated server knows. */
export interface EmulatedClient {
  id: string;
  /** For client credentials. */
  secret?: string;
  /** A long-lived key: such a client gets 403/403100 from /auth/token. */
  accessKey?: string;
  /** The producer system it belongs to. */
  system?: string;
  /** Answered 403/403201 on every send. */
  revoked: boolean;
}

/**
 * `evsend emulate --eventhos-config <file>`: which events and clients exist. Without `events`
 * any identifier is accepted; without `clients` any made-up key (and any client) works.
 */
export interface EventhosEmulatorConfig {
  events?: Record<string, EmulatedEvent>;
  clients?: EmulatedClient[];
  /** Lifetime of the tokens /auth/token gives, in seconds (default 24 h; short for tests). */
  expiresIn: number;
  /** How long four wrong secrets lock a client, in seconds (default 180, as the real server). */
  lockoutSeconds: number;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function optionalString(v: unknown, where: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v === "") throw new Error(`${where} must be a non-empty string`);
  return v;
}

function positive(v: unknown, fallback: number, where: string): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !(v > 0)) throw new Error(`${where} must be a positive number`);
  return v;
}

function parseEvents(v: unknown): Record<string, EmulatedEvent> {
  if (!isObject(v)) throw new Error("events must be an object: identifier → { contract, system }");
  const events: Record<string, EmulatedEvent> = {};
  for (const [id, spec] of Object.entries(v)) {
    if (!isObject(spec)) throw new Error(`events.${id} must be an object`);
    if (spec.contract !== undefined && typeof spec.contract !== "boolean")
      throw new Error(`events.${id}.contract must be true or false`);
    const system = optionalString(spec.system, `events.${id}.system`);
    events[id] = { contract: spec.contract !== false, ...(system ? { system } : {}) };
  }
  return events;
}

function parseClients(v: unknown): EmulatedClient[] {
  if (!Array.isArray(v)) throw new Error("clients must be a list of { id, secret | accessKey }");
  return v.map((c: unknown, i) => {
    const where = `clients[${i}]`;
    if (!isObject(c)) throw new Error(`${where} must be an object`);
    const id = optionalString(c.id, `${where}.id`);
    if (!id) throw new Error(`${where}.id is required`);
    const secret = optionalString(c.secret, `${where}.secret`);
    const accessKey = optionalString(c.accessKey, `${where}.accessKey`);
    if (!secret && !accessKey) throw new Error(`${where} needs a secret or an accessKey`);
    const system = optionalString(c.system, `${where}.system`);
    return {
      id,
      revoked: c.revoked === true,
      ...(secret ? { secret } : {}),
      ...(accessKey ? { accessKey } : {}),
      ...(system ? { system } : {}),
    };
  });
}

/** Checks the config's JSON text; throws an Error that says what is wrong where. */
export function parseEventhosConfig(text: string): EventhosEmulatorConfig {
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`not valid JSON (${(error as Error).message.slice(0, 120)})`);
  }
  if (!isObject(data)) throw new Error("it must be a JSON object");
  const known = ["events", "clients", "expiresIn", "lockoutSeconds"];
  const unknown = Object.keys(data).filter((k) => !known.includes(k));
  if (unknown.length)
    throw new Error(`unknown key ${unknown.join(", ")}; known: ${known.join(", ")}`);
  return {
    ...(data.events !== undefined ? { events: parseEvents(data.events) } : {}),
    ...(data.clients !== undefined ? { clients: parseClients(data.clients) } : {}),
    expiresIn: positive(data.expiresIn, 86_400, "expiresIn"),
    lockoutSeconds: positive(data.lockoutSeconds, 180, "lockoutSeconds"),
  };
}

/** Reads and checks `--eventhos-config`. */
export async function loadEventhosConfig(path: string): Promise<EventhosEmulatorConfig> {
  const { readBounded } = await import("../../input/open.js");
  const { ConfigError } = await import("../../errors.js");
  try {
    const text = (await readBounded(path, 1024 * 1024)).toString("utf8");
    return parseEventhosConfig(text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`--eventhos-config ${path}: ${code ?? (error as Error).message}`, {
      hint: 'e.g. { "events": { "order-created": { "contract": true } }, "clients": [{ "id": "abc::app", "secret": "s" }] }',
    });
  }
}
