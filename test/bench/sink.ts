// A loopback sink for benchmarks: accepts any POST, reads and discards the body, answers 200.
// Runs in its own process so its CPU time is not charged to the client being measured.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

let bytes = 0;
let requests = 0;
const server = createServer((req, res) => {
  requests += 1;
  req.on("data", (chunk: Buffer) => (bytes += chunk.length));
  req.on("end", () => res.writeHead(200, { "content-length": 0 }).end());
});
server.keepAliveTimeout = 10_000;
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`http://127.0.0.1:${port}\n`);
});
process.on("SIGTERM", () => {
  process.stderr.write(`sink: ${requests} requests, ${bytes} bytes\n`);
  server.close();
  process.exit(0);
});
