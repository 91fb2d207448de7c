import type { IncomingMessage } from "node:http";
import { createGunzip } from "node:zlib";
import { pipeline } from "node:stream/promises";
import { PassThrough } from "node:stream";
import { reply, type ServiceEmulator } from "../../emulator/types.js";
import { STREAM_REQUEST_LIMIT } from "./protocol.js";

interface DevoPath {
  mode: "event" | "stream";
  domain: string;
  token: string;
  host: string;
  tag: string;
}

/** Parses `/<mode>/<domain>/token!<token>/<host>/<tag>`; a string is the reason it is malformed. */
function parsePath(pathname: string): DevoPath | string {
  const parts = pathname.split("/").slice(1);
  if (parts.length !== 5) return "expected /<mode>/<domain>/token!<token>/<host>/<tag>";
  const [mode, domain, tokenPart, host, tag] = parts.map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return "";
    }
  }) as [string, string, string, string, string];
  if (mode !== "event" && mode !== "stream") return `unknown mode "${mode}"`;
  if (!tokenPart.startsWith("token!") || tokenPart.length === "token!".length) {
    return "the third segment must be token!<token>";
  }
  if (!domain || !host || !tag) return "domain, host and tag must not be empty";
  return { mode, domain, token: tokenPart.slice("token!".length), host, tag };
}

class TooLarge extends Error {}

/** Reads a stream body (gunzipped when marked so), returning its non-empty lines. */
async function readLines(req: IncomingMessage): Promise<string[]> {
  const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase();
  const body = new PassThrough();
  const decoding = encoding === "gzip" ? pipeline(req, createGunzip(), body) : pipeline(req, body);
  const lines: string[] = [];
  let size = 0;
  let carry: Buffer = Buffer.alloc(0);
  const take = (chunk: Buffer, final: boolean): void => {
    const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10, start)) {
      if (nl > start) lines.push(data.toString("utf8", start, nl));
      start = nl + 1;
    }
    carry = data.subarray(start);
    if (final && carry.length) lines.push(carry.toString("utf8"));
  };
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > STREAM_REQUEST_LIMIT) throw new TooLarge();
      take(chunk, false);
    }
    await decoding;
  } catch (error) {
    req.resume(); // drain the rest so the client can read the answer
    decoding.catch(() => {});
    throw error;
  }
  take(Buffer.alloc(0), true);
  return lines;
}

/** `evsend emulate`'s settings for Devo. */
export interface DevoEmulatorSettings {
  /** Accept only this token (401 otherwise); any token when undefined. */
  token?: string | undefined;
}

/** The Devo HTTP endpoint: event and stream modes, gzip bodies, the 32 MB limit. */
export const devoEmulator: ServiceEmulator<DevoEmulatorSettings> = {
  name: "devo",
  async handle(req, res, url, ctx) {
    const first = url.pathname.split("/")[1];
    if (first !== "event" && first !== "stream") return false;
    // Exactly /event/send is Eventhos's API (one port serves all); Devo's paths are longer.
    if (url.pathname === "/event/send") return false;
    const path = parsePath(url.pathname);
    if (typeof path === "string") {
      reply(res, 400, `malformed Devo path: ${path}`);
      return true;
    }
    const expected = ctx.settings.token;
    if (expected !== undefined && path.token !== expected) {
      req.resume();
      reply(res, 401, "invalid token");
      return true;
    }
    const target = { domain: path.domain, host: path.host, tag: path.tag };
    const receivedAt = new Date().toISOString();
    if (path.mode === "event") {
      req.resume();
      if (req.method !== "GET" && req.method !== "POST") {
        reply(res, 405, "event mode takes GET or POST");
        return true;
      }
      const raw = (req.url ?? "").split("?").slice(1).join("?");
      let message: string;
      try {
        message = decodeURIComponent(raw);
      } catch {
        reply(res, 400, "the query string is not valid percent-encoding");
        return true;
      }
      if (!message) {
        reply(res, 400, "event mode needs the message as the query string");
        return true;
      }
      ctx.record({ service: "devo", mode: "event", receivedAt, target, event: message });
      reply(res, 204);
      return true;
    }
    if (req.method !== "POST") {
      req.resume();
      reply(res, 405, "stream mode takes POST");
      return true;
    }
    const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase();
    if (encoding !== "identity" && encoding !== "gzip") {
      req.resume();
      reply(res, 415, `unsupported Content-Encoding "${encoding}"; use gzip`);
      return true;
    }
    let lines: string[];
    try {
      lines = await readLines(req);
    } catch (error) {
      if (error instanceof TooLarge) {
        res.setHeader("connection", "close");
        reply(res, 413, `request body over ${STREAM_REQUEST_LIMIT} bytes`);
      } else reply(res, 400, `cannot read the body: ${(error as Error).message}`);
      return true;
    }
    for (const line of lines)
      ctx.record({ service: "devo", mode: "stream", receivedAt, target, event: line });
    reply(res, 200, "");
    return true;
  },
};
