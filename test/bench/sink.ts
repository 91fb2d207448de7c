// A loopback sink for benchmarks: accepts any POST, reads and discards the body, answers 200 with
// what each service calls success (Databoom's ALL_INFO_PROCESSED, Eventhos's code, Guance's
// envelope; an empty body for anything else, as Devo).
// Runs in its own process so its CPU time is not charged to the client being measured.
// `GET /_stats` answers what it received, so the benchmark can check each run sent what it
// claims (e.g. no gzip body in a "plain" run).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const DATABOOM = Buffer.from('{"message":"ALL_INFO_PROCESSED"}');
const EVENTHOS = Buffer.from('{"code":20000,"message":"success"}');
const GUANCE = Buffer.from('{"success":true,"content":{},"traceId":"bench"}');
const EMPTY = Buffer.alloc(0);

/** The success answer of the service whose path `url` is. */
function answerOf(url: string): Buffer {
  if (url.endsWith("/signals/push")) return DATABOOM;
  if (url.includes("/event/send?")) return EVENTHOS;
  if (url.includes("/push-events/")) return GUANCE;
  return EMPTY;
}

const stats = { requests: 0, gzipRequests: 0, bytes: 0 };
const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/_stats") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(stats));
    return;
  }
  stats.requests += 1;
  if (req.headers["content-encoding"] === "gzip") stats.gzipRequests += 1;
  req.on("data", (chunk: Buffer) => (stats.bytes += chunk.length));
  const body = answerOf(req.url ?? "");
  req.on("end", () =>
    res
      .writeHead(200, { "content-type": "application/json", "content-length": body.length })
      .end(body),
  );
});
server.keepAliveTimeout = 10_000;
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`http://127.0.0.1:${port}\n`);
});
process.on("SIGTERM", () => {
  process.stderr.write(
    `sink: ${stats.requests} requests (${stats.gzipRequests} gzip), ${stats.bytes} bytes\n`,
  );
  server.close();
  process.exit(0);
});
