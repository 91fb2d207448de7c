import type { IncomingMessage, ServerResponse } from "node:http";

/** One event the emulator accepted. Never holds a credential. */
export interface RecordedEvent {
  service: string;
  /** e.g. "event" or "stream" for Devo. */
  mode: string;
  receivedAt: string;
  /** Where the event went (domain, tag, host, device…), per service. */
  target: Record<string, string>;
  /** The event itself: a line of text or a JSON value. */
  event: unknown;
}

/** What a service's emulator may use. */
export interface EmulatorContext {
  record(event: RecordedEvent): void;
  /** Per-service settings from `evsend emulate` flags (e.g. the one token to accept). */
  settings: Record<string, string | undefined>;
}

/** The server side of one API. */
export interface ServiceEmulator {
  name: string;
  /** Handles the request and returns true, or returns false when the path is not this API's. */
  handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    ctx: EmulatorContext,
  ): Promise<boolean>;
}

/** Sends a small response with a text or JSON body. */
export function reply(res: ServerResponse, status: number, body?: string | object): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const json = typeof body !== "string";
  const text = json ? JSON.stringify(body) : body;
  res
    .writeHead(status, {
      "content-type": json ? "application/json" : "text/plain; charset=utf-8",
      "content-length": Buffer.byteLength(text),
    })
    .end(text);
}
