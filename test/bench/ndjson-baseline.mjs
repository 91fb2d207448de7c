// The NDJSON baseline of `npm run bench` (issue 21): one POST per line, what a user would write
// instead of `evsend eventhos send --ndjson` (or guance push --ndjson): readline over the file,
// JSON.parse each line (the check any sender makes), POST the line as it is with a keep-alive
// node:http Agent, `concurrency` requests in flight.
// Usage: node ndjson-baseline.mjs <url> <file.ndjson> <concurrency>
import { createReadStream } from "node:fs";
import { Buffer } from "node:buffer";
import http from "node:http";
import process from "node:process";
import { URL } from "node:url";
import { createInterface } from "node:readline";

const [target, file, n] = process.argv.slice(2);
const url = new URL(target);
const concurrency = Number(n);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function post(body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const inFlight = new Set();
for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  if (line.trim() === "") continue;
  JSON.parse(line);
  const sending = post(line).finally(() => inFlight.delete(sending));
  inFlight.add(sending);
  if (inFlight.size >= concurrency) await Promise.race(inFlight);
}
await Promise.all(inFlight);
agent.destroy();
