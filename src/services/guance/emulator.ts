import { randomInt } from "node:crypto";
import type { ServerResponse } from "node:http";
import { isJsonContentType, readJsonBody } from "../../emulator/body.js";
import { reply, type EmulatorContext, type ServiceEmulator } from "../../emulator/types.js";
import { INVALID_API_KEY, RATE_LIMIT_CODES } from "./protocol.js";
import { PUSH_PATH } from "./sites.js";
import { bodyViolations } from "./validate.js";

/** Largest body read; an event is small, and memory stays bounded. */
const BODY_LIMIT = 1024 * 1024;

/** The errorCode for a body that breaks the field rules (inferred: the docs name none). */
export const PARAM_ERROR = "ft.ParamError";

/** `evsend emulate`'s settings for Guance, and the state of one running emulator. */
export interface GuanceEmulatorSettings {
  /** Record only pushes to this secret (others get a 200 that records nothing). */
  secret?: string | undefined;
  /** Require this DF-API-KEY (403 ft.InvalidAPIKey otherwise). */
  apiKey?: string | undefined;
  /** Answer the rate-limit errorCode past this many pushes a minute. */
  rateLimit?: number | undefined;
  /** Request times of the last minute (for `rateLimit`). */
  recent: number[];
}

type Context = EmulatorContext<GuanceEmulatorSettings>;

function traceId(): string {
  return `${randomInt(1e9, 1e10)}${randomInt(1e8, 1e9)}`;
}

/** Guance's response envelope: success, or an errorCode with its message. */
function envelope(res: ServerResponse, status: number, errorCode = "", message = ""): void {
  const id = traceId();
  const now = new Date().toISOString();
  const success = errorCode === "";
  reply(res, status, {
    code: status,
    content: success
      ? {
          data: {},
          error: 200,
          message: "",
          ok: true,
          reqCost: 0,
          reqTime: now,
          respTime: now,
          traceId: id,
        }
      : null,
    errorCode,
    message,
    success,
    traceId: id,
  });
}

/** True when this request is over `--guance-rate-limit` requests in the last minute. */
function overLimit(ctx: Context, now = Date.now()): boolean {
  const limit = ctx.settings.rateLimit;
  if (limit === undefined) return false;
  const recent = ctx.settings.recent.filter((t) => now - t < 60_000);
  const over = recent.length >= limit;
  if (!over) recent.push(now);
  ctx.settings.recent = recent;
  return over;
}

/** `<secret>/<subUri>` after the push path, decoded; undefined when either is missing. */
function parsePath(pathname: string): { secret: string; subUri: string } | undefined {
  const rest = pathname.slice(PUSH_PATH.length);
  const slash = rest.indexOf("/");
  if (slash <= 0 || slash === rest.length - 1) return undefined;
  try {
    return {
      secret: decodeURIComponent(rest.slice(0, slash)),
      subUri: decodeURIComponent(rest.slice(slash + 1)),
    };
  } catch {
    return undefined;
  }
}

/**
 * Guance's external event push: the same field rules as evsend checks, the envelope for success
 * and each error code. `--guance-secret` accepts one secret (others: a 200 that records nothing,
 * as Guance does); `--guance-api-key` requires that DF-API-KEY (else 403 ft.InvalidAPIKey);
 * `--guance-rate-limit <n>` answers 401 with the rate-limit errorCode past n requests a minute.
 */
export const guanceEmulator: ServiceEmulator<GuanceEmulatorSettings> = {
  name: "guance",
  async handle(req, res, url, ctx) {
    if (!url.pathname.startsWith(PUSH_PATH)) return false;
    const path = parsePath(url.pathname);
    if (!path) {
      req.resume();
      envelope(res, 404, "ft.NotFound", `expected ${PUSH_PATH}<secret>/<subUri>`);
      return true;
    }
    if (req.method !== "POST") {
      req.resume();
      envelope(res, 405, "ft.MethodNotAllowed", "push-events takes POST");
      return true;
    }
    const key = req.headers["df-api-key"];
    const wanted = ctx.settings.apiKey;
    if (wanted !== undefined && key !== wanted) {
      req.resume();
      envelope(res, 403, INVALID_API_KEY, "invalid API key");
      return true;
    }
    if (overLimit(ctx)) {
      req.resume();
      const code = key === undefined ? RATE_LIMIT_CODES[1]! : RATE_LIMIT_CODES[0]!;
      envelope(res, 401, code, "too many requests in the last minute");
      return true;
    }
    if (!isJsonContentType(req)) {
      req.resume();
      envelope(res, 400, PARAM_ERROR, "Content-Type must be application/json");
      return true;
    }
    const read = await readJsonBody(req, BODY_LIMIT);
    if (read.kind !== "json") {
      const why =
        read.kind === "too-large" ? `the body is over ${BODY_LIMIT} bytes` : "the body is not JSON";
      envelope(res, 400, PARAM_ERROR, why);
      return true;
    }
    const body = read.value;
    const violations = bodyViolations(body);
    if (violations.length > 0) {
      envelope(res, 400, PARAM_ERROR, violations.join("; "));
      return true;
    }
    // Guance ignores an event for no monitor without saying so: a 200 that creates nothing.
    const expected = ctx.settings.secret;
    if (expected === undefined || path.secret === expected) {
      ctx.record({
        service: "guance",
        mode: "push",
        receivedAt: new Date().toISOString(),
        target: { subUri: path.subUri },
        event: body,
      });
    }
    envelope(res, 200);
    return true;
  },
};
