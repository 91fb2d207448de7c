import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { reply, type EmulatorContext, type RecordedEvent, type ServiceEmulator } from "./types.js";

/** How the emulator runs. */
export interface EmulatorOptions {
  port: number;
  host: string;
  /** The service emulators to route to, tried in order. */
  services: ServiceEmulator[];
  /** Per-service settings, e.g. `{ devoToken: "…" }`. */
  settings: Record<string, string | undefined>;
  /** Called for every recorded event (to print it). */
  onEvent?: (event: RecordedEvent) => void;
  /** Oldest events are forgotten past this many (memory stays bounded). */
  maxEvents?: number;
}

/** A running emulator. */
export interface RunningEmulator {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Starts the emulator: every API on one port, plus `/_emulator/events` to read and clear what it got. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const maxEvents = options.maxEvents ?? 100_000;
  let events: RecordedEvent[] = [];
  let total = 0;
  const ctx: EmulatorContext = {
    settings: options.settings,
    record(event) {
      total += 1;
      events.push(event);
      if (events.length > maxEvents) events = events.slice(-Math.floor(maxEvents / 2));
      options.onEvent?.(event);
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    if (url.pathname === "/_emulator/events") {
      if (req.method === "GET")
        return reply(res, 200, { total, dropped: total - events.length, events });
      if (req.method === "DELETE") {
        events = [];
        total = 0;
        return reply(res, 204);
      }
      return reply(res, 405, "use GET or DELETE");
    }
    for (const service of options.services) {
      if (await service.handle(req, res, url, ctx)) return;
    }
    reply(res, 404, `no emulated API at ${url.pathname}`);
  }

  const server = createServer((req, res) => {
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
