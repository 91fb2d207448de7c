// The databoom history baseline of `npm run bench` (issue 21): what a user would write instead of
// `evsend databoom history file.csv`. Reads a long-form CSV (date,signal,value) with csv-parse's
// stream API, groups 5,000 points a request into Databoom's history body
// ({"device", "signals": {"<signal>": {"history": [{"date", "value"}]}}}), JSON.stringify, and
// POSTs each with a keep-alive node:http Agent, one connection, awaiting each answer.
// Usage: node databoom-baseline.mjs <url/v1> <device> <file.csv>; the token in DATABOOM_TOKEN.
import { createReadStream } from "node:fs";
import { Buffer } from "node:buffer";
import http from "node:http";
import process from "node:process";
import { URL } from "node:url";
import { parse } from "csv-parse";

const [base, device, file] = process.argv.slice(2);
const url = new URL(`${base}/signals/push`);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const token = process.env.DATABOOM_TOKEN ?? "";

function post(body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        },
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

let signals = Object.create(null);
let points = 0;
const parser = createReadStream(file).pipe(parse({ columns: true, trim: true }));
for await (const { date, signal, value } of parser) {
  (signals[signal] ??= { history: [] }).history.push({ date, value: Number(value) });
  if (++points === 5000) {
    await post(JSON.stringify({ device, signals }));
    signals = Object.create(null);
    points = 0;
  }
}
if (points > 0) await post(JSON.stringify({ device, signals }));
agent.destroy();
