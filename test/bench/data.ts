// The inputs of `npm run bench`, generated once into .bench/ (named by size, so a smaller run never
// reuses, and misreports, a bigger file): deterministic pseudo-random data of the shapes evsend
// reads — access-log lines (devo file), long-form CSV rows (databoom history), NDJSON events
// (eventhos send --ndjson, guance push --ndjson).
import { once } from "node:events";
import { createWriteStream, existsSync, statSync } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import { dirname } from "node:path";

/** A seeded generator of integers below n (the same file on every machine). */
function random(seed = 42): (n: number) => number {
  return (n) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
}

/** Writes `path` from chunks of text unless it exists (written whole, then renamed into place). */
async function writeOnce(path: string, chunks: () => Generator<string>): Promise<string> {
  if (existsSync(path)) return path;
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  for (const chunk of chunks()) if (!out.write(chunk)) await once(out, "drain");
  out.end();
  await once(out, "finish");
  await rename(partial, path);
  return path;
}

/** Lines of 100–300 bytes that look like access logs, `bytes` in all (at least). */
export async function logLines(path: string, bytes: number): Promise<string> {
  if (existsSync(path) && statSync(path).size < bytes) throw new Error(`${path} is short`);
  const rnd = random();
  const paths = ["/api/orders", "/api/users/42", "/static/app.js", "/login", "/api/search?q=shoes"];
  const agents = ["Mozilla/5.0 (X11; Linux x86_64)", "curl/8.5.0", "Mozilla/5.0 (iPhone)"];
  return writeOnce(path, function* () {
    let written = 0;
    while (written < bytes) {
      let chunk = "";
      for (let i = 0; i < 5000; i++) {
        const pad = "x".repeat(rnd(120));
        chunk +=
          `2026-11-22T12:${String(rnd(60)).padStart(2, "0")}:${String(rnd(60)).padStart(2, "0")}.${rnd(1000)}Z ` +
          `10.0.${rnd(255)}.${rnd(255)} ${["GET", "POST"][rnd(2)]} ${paths[rnd(paths.length)]} ${[200, 201, 404, 500][rnd(4)]} ` +
          `${rnd(100000)} "${agents[rnd(agents.length)]}" req=${rnd(1e9).toString(16)} ${pad}\n`;
      }
      written += Buffer.byteLength(chunk);
      yield chunk;
    }
  });
}

/**
 * A long-form CSV (`date,signal,value`) of `rows` rows, one a second from 2024-01-01 in
 * toISOString's form, over 8 signals: ~33 bytes a row, 32 MB for a million.
 */
export async function csvRows(path: string, rows: number): Promise<string> {
  const rnd = random();
  const start = Date.UTC(2024, 0, 1);
  return writeOnce(path, function* () {
    yield "date,signal,value\n";
    for (let i = 0; i < rows;) {
      let chunk = "";
      for (let j = 0; j < 10_000 && i < rows; j++, i++)
        chunk += `${new Date(start + i * 1000).toISOString()},s${rnd(8)},${rnd(10000) / 100}\n`;
      yield chunk;
    }
  });
}

/**
 * NDJSON events of ~130 bytes, `lines` of them, valid for both Eventhos (any object) and Guance
 * (a status, a title and a message; user-defined fields are strings).
 */
export async function ndjsonEvents(path: string, lines: number): Promise<string> {
  const rnd = random();
  const statuses = ["info", "warning", "error"];
  return writeOnce(path, function* () {
    for (let i = 0; i < lines;) {
      let chunk = "";
      for (let j = 0; j < 10_000 && i < lines; j++, i++)
        chunk += `${JSON.stringify({ date: 1_700_000_000 + i, status: statuses[rnd(3)], title: `web-${rnd(20)} request`, message: `request ${rnd(1e6)} served`, n: String(i) })}\n`;
      yield chunk;
    }
  });
}
