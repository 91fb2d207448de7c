import type { IncomingMessage } from "node:http";

/** What a JSON request body turned out to be; each service answers the failures its own way. */
export type JsonBody =
  | { kind: "json"; value: unknown }
  /** Not JSON text: the caller's 400. */
  | { kind: "not-json" }
  /** Over the limit: not kept in memory, the rest drained so the client can read the answer. */
  | { kind: "too-large" };

/** True when the request says its body is JSON: media type `application/json`, any parameters. */
export function isJsonContentType(req: IncomingMessage): boolean {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/json";
}

/** The whole body, or undefined past `limit` bytes (then drained, never held in memory). */
export async function readBoundedBody(
  req: IncomingMessage,
  limit: number,
): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume(); // drain the rest so the client can read the answer
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** Reads a body of at most `limit` bytes and parses it as JSON (UTF-8). */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<JsonBody> {
  const raw = await readBoundedBody(req, limit);
  if (raw === undefined) return { kind: "too-large" };
  try {
    return { kind: "json", value: JSON.parse(raw.toString("utf8")) as unknown };
  } catch {
    return { kind: "not-json" };
  }
}

/** What a capped read found: the body, or only its size when it is over `keep`. */
export type CappedBody =
  | { kind: "kept"; raw: Buffer }
  /** Over `keep` but within the limit: counted to its end, never held in memory. */
  | { kind: "over"; size: number }
  /** Over the limit (by its Content-Length, or counted): drained, never held. */
  | { kind: "too-large" };

/**
 * Reads a body keeping at most `keep` bytes in memory, and counts the rest up to `limit`: so a
 * server that takes bodies up to `limit` can answer what it does with a larger one without
 * holding it (a dozen 48 MB posts at once would otherwise cost over a gigabyte). A declared
 * Content-Length over `limit` is refused before reading, as a body parser does.
 */
export async function readCappedBody(
  req: IncomingMessage,
  keep: number,
  limit: number,
): Promise<CappedBody> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return { kind: "too-large" };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      return { kind: "too-large" };
    }
    if (size <= keep) chunks.push(chunk);
    else chunks.length = 0; // over what is kept: from now on only counted
  }
  return size <= keep ? { kind: "kept", raw: Buffer.concat(chunks, size) } : { kind: "over", size };
}
