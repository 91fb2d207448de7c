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

/** Records one accepted event. */
export type Recorder = (event: RecordedEvent) => void;

/** What a service's emulator may use. */
export interface EmulatorContext<S> {
  record: Recorder;
  /** The service's own settings, from its `evsend emulate` options (e.g. the one token to accept). */
  settings: S;
}

/** The server side of one API, with settings of type `S`. */
export interface ServiceEmulator<S> {
  name: string;
  /** Handles the request and returns true, or returns false when the path is not this API's. */
  handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    ctx: EmulatorContext<S>,
  ): Promise<boolean>;
}

/** A service's emulator bound to its settings: what the server routes requests to. */
export interface EmulatorRoute {
  name: string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL, record: Recorder): Promise<boolean>;
}

/** Binds `emulator` to `settings`, built once per run (a service may keep its state there). */
export function emulatorRoute<S>(emulator: ServiceEmulator<S>, settings: S): EmulatorRoute {
  return {
    name: emulator.name,
    handle: (req, res, url, record) => emulator.handle(req, res, url, { record, settings }),
  };
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
