import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { now } from "../clock.js";
import { parseListQuery, sendListing } from "./listing.js";
import type { Chaos } from "./chaos.js";
import { refusedOrigin } from "./origin.js";
import { EventStore, type StoredEvent } from "./store.js";
import { reply, type EmulatorRoute, type Recorder } from "./types.js";

/** How the emulator runs. */
export interface EmulatorOptions {
  port: number;
  host: string;
  /** The service emulators, each with its settings, to route to: tried in order. */
  routes: EmulatorRoute[];
  /** Called for every recorded event (to print it), kept or not. */
  onEvent?: (event: StoredEvent) => void;
  /** Called when a request was answered (for `--verbose`); `path` has no query string. */
  onRequest?: (request: { method: string; path: string; status: number; ms: number }) => void;
  /** Called when recording an event made the store forget `count` older ones. */
  onDropped?: (count: number) => void;
  /** Oldest events are forgotten past this many JSON bytes (memory stays bounded). */
  maxStoredBytes?: number;
  /** … and past this many events. */
  maxEvents?: number;
  /** Failures on purpose in front of every API route (not `/_emulator/events`). */
  chaos?: Chaos;
}

/** Applies the chaos layer's latency and verdict; false when the request was failed or dropped. */
async function passesChaos(
  chaos: Chaos,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  if (chaos.options.latencyMs > 0) await sleep(chaos.options.latencyMs);
  const verdict = chaos.next();
  if (verdict.kind === "pass") return true;
  if (verdict.kind === "drop") {
    // As a crashed server or a broken network would: no status, the connection just goes.
    req.socket.destroy();
    return false;
  }
  req.resume();
  if (verdict.retryAfterSeconds !== undefined) {
    res.setHeader("retry-after", String(verdict.retryAfterSeconds));
  }
  reply(res, verdict.status, `emulated failure (evsend emulate --fail-rate)\n`);
  return false;
}

/** A running emulator. */
export interface RunningEmulator {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * Starts the emulator: every API on one port, plus `/_emulator/events` to page through
 * (`?after=<seq>&limit=<n>`) and clear (DELETE) what it got.
 */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const store = new EventStore(options.maxStoredBytes, options.maxEvents);
  const record: Recorder = (event) => {
    const { stored, dropped } = store.add(event);
    options.onEvent?.(stored);
    if (dropped > 0) options.onDropped?.(dropped);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = refusedOrigin(req, options.host);
    if (refused !== undefined) {
      req.resume();
      return reply(res, 403, `${refused}\n`);
    }
    const url = new URL(req.url ?? "/", "http://emulator");
    if (url.pathname === "/_emulator/events") {
      if (req.method === "GET") {
        const query = parseListQuery(url.searchParams);
        if (typeof query === "string") return reply(res, 400, query);
        return sendListing(res, store, query);
      }
      if (req.method === "DELETE") {
        store.clear();
        return reply(res, 204);
      }
      return reply(res, 405, "use GET or DELETE");
    }
    if (options.chaos && !(await passesChaos(options.chaos, req, res))) return;
    for (const route of options.routes) {
      if (await route.handle(req, res, url, record)) return;
    }
    reply(res, 404, `no emulated API at ${url.pathname}`);
  }

  const server = createServer((req, res) => {
    const started = now();
    res.once("finish", () =>
      options.onRequest?.({
        method: req.method ?? "",
        path: (req.url ?? "/").split("?")[0]!,
        status: res.statusCode,
        ms: now() - started,
      }),
    );
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) reply(res, 500, `emulator error: ${(error as Error).message}`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
