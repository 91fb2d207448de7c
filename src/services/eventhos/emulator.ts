import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { isJsonContentType, readCappedBody } from "../../emulator/body.js";
import { reply, type EmulatorContext, type ServiceEmulator } from "../../emulator/types.js";
import { EmulatedAuth, type Refusal } from "./emulator-auth.js";
import { parseEventhosConfig, type EventhosEmulatorConfig } from "./emulator-config.js";

/** The real server's body limit is often 50 MB: larger bodies are refused 413 before reading. */
const BODY_LIMIT = 50 * 1024 * 1024;

/**
 * The largest event the emulated database row takes. The real server stores each request
 * encrypted, in hex, in one row: an 8 MiB event does not fit and fails with a 500 whose error
 * body (16.7 MiB) dumps the row before its code. Larger events are only counted, never held.
 */
export const ROW_LIMIT = 8 * 1024 * 1024 - 1;

/** `evsend emulate`'s settings for Eventhos: one running emulator's auth state and events. */
export interface EventhosEmulatorSettings {
  auth: EmulatedAuth;
  /** The events that exist; undefined: any event identifier, bound to a contract. */
  events: EventhosEmulatorConfig["events"];
}

/** The settings from a checked `--eventhos-config` (none: `{}`, which accepts anything). */
export function eventhosSettings(
  config: EventhosEmulatorConfig = parseEventhosConfig("{}"),
): EventhosEmulatorSettings {
  return { auth: new EmulatedAuth(config), events: config.events };
}

type Context = EmulatorContext<EventhosEmulatorSettings>;

function refuse(res: ServerResponse, [status, code, message]: Refusal): true {
  reply(res, status, { message, code, errorUUID: randomUUID() });
  return true;
}

/** A body too large for the database row: only its size was kept. */
class Unstorable {
  constructor(readonly size: number) {}
}

/**
 * The body as the real server's JSON parser sees it: only `application/json` is parsed (any other
 * type silently becomes `{}`); malformed JSON or a top-level string or number is 400/500000; over
 * 50 MB is 413. A body over the row limit is counted, not parsed (it fails when stored).
 */
async function parsedBody(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<unknown | Unstorable | true> {
  const body = await readCappedBody(req, ROW_LIMIT, BODY_LIMIT);
  if (body.kind === "too-large") {
    res.setHeader("connection", "close");
    return refuse(res, [413, 500000, "request entity too large"]);
  }
  if (!isJsonContentType(req)) return {};
  if (body.kind === "over") return new Unstorable(body.size);
  const value = parseJson(body.raw);
  if (typeof value === "object" && value !== null) return value;
  return refuse(res, [
    400,
    500000,
    "Unexpected token in JSON: the body is not a JSON object or array",
  ]);
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

/** The error body of a row that did not fit: the row in hex (streamed), then code and errorUUID. */
async function* rowTooLong(size: number): AsyncGenerator<string> {
  yield `{"error":{"sql":"insert into received_event (data) values (x'`;
  const chunk = "00".repeat(32 * 1024);
  for (let left = size * 2; left > 0; left -= chunk.length)
    yield left >= chunk.length ? chunk : chunk.slice(0, left);
  yield `')"},"message":"ER_DATA_TOO_LONG: Data too long for column 'data' at row 1",`;
  yield `"code":500202,"errorUUID":"${randomUUID()}"}`;
}

async function refuseUnstorable(res: ServerResponse, size: number): Promise<true> {
  res.writeHead(500, { "content-type": "application/json" });
  await pipeline(Readable.from(rowTooLong(size)), res).catch(() => {});
  return true;
}

async function sendEvent(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: Context,
): Promise<true> {
  const { auth, events } = ctx.settings;
  const body = await parsedBody(req, res);
  if (body === true) return true;
  const id = url.searchParams.get("event-identifier") ?? "";
  const header = req.headers["access-key"];
  const key =
    (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get("access-key") ?? "";
  if (!id || !key)
    return refuse(res, [400, 400201, "event-identifier and access-key are required"]);
  const sender = auth.sender(key);
  if (Array.isArray(sender)) return refuse(res, sender);
  const event = events ? events[id] : { contract: true };
  if (!event) return refuse(res, [400, 400202, "The event does not exist"]);
  if (event.system !== undefined && sender.client !== undefined) {
    if (!auth.systemHasClient(event.system))
      return refuse(res, [404, 404201, "The event's producer system has no client"]);
    if (sender.client.system !== event.system)
      return refuse(
        res,
        sender.viaToken
          ? [401, 401202, "Incorrect token"]
          : [401, 401201, "The access key is not this client's long live key"],
      );
  }
  if (body instanceof Unstorable) return refuseUnstorable(res, body.size);
  ctx.record({
    service: "eventhos",
    mode: "event",
    receivedAt: new Date().toISOString(),
    target: { event: id, contract: event.contract ? "bound" : "none" },
    event: body,
  });
  if (!event.contract)
    reply(res, 203, { code: 200310, message: "Success, but no contracts exists for this event" });
  else reply(res, 200, { code: 20000, message: "success" });
  return true;
}

async function issueToken(req: IncomingMessage, res: ServerResponse, ctx: Context): Promise<true> {
  const body = await parsedBody(req, res);
  if (body === true) return true;
  const answer = ctx.settings.auth.token(
    body instanceof Unstorable ? {} : (body as Record<string, unknown>),
  );
  if (Array.isArray(answer)) return refuse(res, answer);
  reply(res, 201, { code: 200000, message: "success", content: { jwt_token: answer.token } });
  return true;
}

/**
 * Eventhos: `POST /event/send` and `POST /auth/token`, as the real server answers them
 * (apis/eventhos.md). Exactly `/event/send` is Eventhos; Devo's event mode has longer paths.
 */
export const eventhosEmulator: ServiceEmulator<EventhosEmulatorSettings> = {
  name: "eventhos",
  async handle(req, res, url, ctx) {
    if (url.pathname !== "/event/send" && url.pathname !== "/auth/token") return false;
    if (req.method !== "POST") {
      req.resume();
      reply(res, 404, `Cannot ${req.method ?? ""} ${url.pathname}`);
      return true;
    }
    // The global auth middleware rejects a stray Authorization header or access_token first.
    if (req.headers.authorization !== undefined || url.searchParams.has("access_token")) {
      req.resume();
      return refuse(res, [401, 400001, "jwt malformed"]);
    }
    return url.pathname === "/auth/token"
      ? issueToken(req, res, ctx)
      : sendEvent(req, res, url, ctx);
  },
};
