import { isJsonContentType, readJsonBody } from "../../emulator/body.js";
import { reply, type RecordedEvent, type ServiceEmulator } from "../../emulator/types.js";
import { ALL_INFO_PROCESSED } from "./protocol.js";

/** Where the API listens, under the default base URL's path. */
const PUSH_PATH = "/v1/signals/push";
/** Bodies larger than this are refused (413) instead of read into memory. */
const BODY_LIMIT = 32 * 1024 * 1024;

/** A point as recorded: one signal's value of one request. */
type Point = { signal: string; date?: string; value: number | string };

class Invalid extends Error {}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A date Databoom can read (any text JavaScript's Date parses), or a 400. */
function checkDate(value: unknown, where: string): string {
  if (typeof value !== "string" || Number.isNaN(Date.parse(value)))
    throw new Invalid(`${where}: date must be a date string, e.g. 2020-08-04T09:30:00.000Z`);
  return value;
}

/** A number, or text (a text signal); never null, a boolean, an object or a non-finite number. */
function checkValue(value: unknown, where: string): number | string {
  if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "string")
    return value;
  throw new Invalid(`${where}: value must be a number (or a string for a text signal)`);
}

/** Push shape: `signals: [{name, value}]`, one value per signal. */
function pushPoints(signals: unknown[], date: string | undefined): Point[] {
  const seen = new Set<string>();
  return signals.map((signal, i) => {
    const where = `signals[${i}]`;
    if (!isObject(signal) || typeof signal.name !== "string" || signal.name === "")
      throw new Invalid(`${where}: expected {"name": "<signal token>", "value": …}`);
    if (seen.has(signal.name)) throw new Invalid(`${where}: signal "${signal.name}" appears twice`);
    seen.add(signal.name);
    const value = checkValue(signal.value, where);
    return date === undefined
      ? { signal: signal.name, value }
      : { signal: signal.name, date, value };
  });
}

/** History shape: `signals: {"<name>": {history: [{date, value}]}}`. */
function historyPoints(signals: Record<string, unknown>): Point[] {
  const points: Point[] = [];
  for (const [name, entry] of Object.entries(signals)) {
    const where = `signals["${name}"]`;
    if (name === "") throw new Invalid("signals: a signal token must not be empty");
    if (!isObject(entry) || !Array.isArray(entry.history) || entry.history.length === 0)
      throw new Invalid(`${where}: expected {"history": [{"date": …, "value": …}, …]}`);
    entry.history.forEach((point: unknown, i) => {
      const at = `${where}.history[${i}]`;
      if (!isObject(point)) throw new Invalid(`${at}: expected {"date": …, "value": …}`);
      points.push({
        signal: name,
        date: checkDate(point.date, at),
        value: checkValue(point.value, at),
      });
    });
  }
  if (points.length === 0) throw new Invalid("signals is empty");
  return points;
}

/** Checks a parsed body as Databoom would; returns the mode and its points, or throws Invalid. */
function validate(body: unknown): { mode: "push" | "history"; device: string; points: Point[] } {
  if (!isObject(body)) throw new Invalid("the body must be a JSON object");
  if (typeof body.device !== "string" || body.device === "")
    throw new Invalid("device (the device token) is missing");
  const date = body.date === undefined ? undefined : checkDate(body.date, "date");
  const { signals } = body;
  if (Array.isArray(signals)) {
    if (signals.length === 0) throw new Invalid("signals is empty");
    return { mode: "push", device: body.device, points: pushPoints(signals, date) };
  }
  if (isObject(signals))
    return { mode: "history", device: body.device, points: historyPoints(signals) };
  throw new Invalid("signals must be an array (current values) or an object (history)");
}

/** `evsend emulate`'s settings for Databoom. */
export interface DataboomEmulatorSettings {
  /** Accept only this Bearer token (401 otherwise); any token when undefined. */
  token?: string | undefined;
}

/** Databoom's `POST /v1/signals/push`: Bearer token, both body shapes, `ALL_INFO_PROCESSED`. */
export const databoomEmulator: ServiceEmulator<DataboomEmulatorSettings> = {
  name: "databoom",
  async handle(req, res, url, ctx) {
    if (url.pathname !== PUSH_PATH) return false;
    if (req.method !== "POST") {
      req.resume();
      reply(res, 405, { message: "signals/push takes POST" });
      return true;
    }
    const auth = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "");
    const expected = ctx.settings.token;
    if (!auth || (expected !== undefined && auth[1] !== expected)) {
      req.resume();
      reply(res, 401, {
        message: auth ? "invalid token" : "missing Authorization: Bearer <token>",
      });
      return true;
    }
    if (!isJsonContentType(req)) {
      req.resume();
      reply(res, 415, { message: "Content-Type must be application/json" });
      return true;
    }
    const body = await readJsonBody(req, BODY_LIMIT);
    if (body.kind === "too-large") {
      res.setHeader("connection", "close");
      reply(res, 413, { message: `request body over ${BODY_LIMIT} bytes` });
      return true;
    }
    if (body.kind === "not-json") {
      reply(res, 400, { message: "the body is not JSON" });
      return true;
    }
    let checked;
    try {
      checked = validate(body.value);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      reply(res, 400, { message: error.message });
      return true;
    }
    const receivedAt = new Date().toISOString();
    for (const point of checked.points) {
      const event: RecordedEvent = {
        service: "databoom",
        mode: checked.mode,
        receivedAt,
        target: { device: checked.device },
        event: point,
      };
      ctx.record(event);
    }
    reply(res, 200, { message: ALL_INFO_PROCESSED });
    return true;
  },
};
