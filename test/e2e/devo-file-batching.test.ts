import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { httpCall, spawnEmulator } from "../helpers/emulator.js";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { useTempHome, withServer } from "../helpers/scoped.js";

const TOKEN = "Batch1ngT0ken0000000000000000000";

describe("evsend devo file: requests per run (end to end)", () => {
  const home = useTempHome();
  let env: NodeJS.ProcessEnv;
  const args = (...rest: string[]): string[] => ["devo", "file", ...rest];

  before(async () => {
    env = {
      ...home.env,
      EVSEND_DEVO_TOKEN: TOKEN,
      EVSEND_DEVO_DOMAIN: "acme",
      EVSEND_DEVO_TAG: "my.app.test",
    };
  });

  it("2,000 tiny files: a handful of requests, every line once, each file accounted", async (t) => {
    const server = await withServer(t, (_req, res) => res.writeHead(200).end());
    await mkdir(join(home.home, "many"));
    const expected: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const name = `f${String(i).padStart(4, "0")}.log`;
      // Every 7th file has no final newline, every 11th is empty: nothing may be glued or lost.
      const lines = i % 11 === 0 ? [] : [`${name} one`, `${name} two`];
      expected.push(...lines);
      await writeFile(join(home.home, "many", name), lines.join("\n") + (i % 7 ? "\n" : ""));
    }
    const r = await runEvsend(
      ["--json", ...args("many/*.log", "--batch-size", "16k", "--endpoint", server.url)],
      { env },
    );
    assert.equal(r.code, 0, r.stderr);
    // ~62 KB of lines in 16 KiB batches: 4 requests (one per file would be 2,000).
    assert.ok(server.requests.length <= 5, `${server.requests.length} requests`);
    const received = server.requests.flatMap((req) => req.body.toString("utf8").split("\n"));
    assert.deepEqual(received.sort(), [...expected].sort());
    const out = ndjson(r.stdout);
    const results = out.filter((o) => o.type === "result");
    assert.equal(results.length, 2000);
    assert.deepEqual(results[1], {
      type: "result",
      file: "many/f0001.log",
      status: "delivered",
      lines: 2,
      emptyLines: 0,
      bytesRead: 28,
      delivered: 2,
      failed: 0,
      rejected: 0,
      notSent: 0,
      warned: 0,
      ranges: { delivered: [[1, 2]], warned: [], failed: [], rejected: [], notSent: [] },
      startOffset: 0,
      deliveredOffset: 28,
    });
    assert.equal(results[0]!.status, "empty");
    const summary = out.at(-1)!;
    assert.equal(summary.delivered, expected.length);
    assert.equal(summary.requests, server.requests.length);
  });

  it("2,000 tiny files to the emulator: it records every line once, per the Devo API", async () => {
    const emulator = await spawnEmulator(env, ["--devo-token", TOKEN]);
    try {
      await mkdir(join(home.home, "tiny"));
      const expected: string[] = [];
      for (let i = 0; i < 2000; i++) {
        expected.push(`tiny ${i}`);
        await writeFile(join(home.home, "tiny", `t${i}.log`), `tiny ${i}`);
      }
      const r = await runEvsend(args("tiny/*.log", "--endpoint", emulator.url), { env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^delivered 2000 of 2000 lines from 2000 files in 1 request /m);
      const listing = await httpCall(`${emulator.url}/_emulator/events?limit=5000`, "GET");
      const got = JSON.parse(listing.body) as { total: number; events: Array<{ event: string }> };
      assert.equal(got.total, 2000);
      assert.deepEqual(got.events.map((e) => e.event).sort(), expected.sort());
    } finally {
      await emulator.stop();
    }
  });

  it("a server that answers 413 to everything: a few requests, a clear error, exit 1", async (t) => {
    const server = await withServer(t, (_req, res) => res.writeHead(413).end());
    const lines = Array.from({ length: 5000 }, (_, i) => `event ${i + 1}`);
    await writeFile(join(home.home, "five-thousand.log"), lines.join("\n") + "\n");
    const r = await runEvsend(args("five-thousand.log", "--endpoint", server.url), { env });
    assert.equal(r.code, 1, r.stderr);
    assert.ok(server.requests.length <= 3, `${server.requests.length} requests`);
    assert.match(
      r.stderr,
      /^error: the server refused a 52\.6 KiB \(53892 bytes\) request body as too large \(HTTP 413\), far under the batch size of 4\.0 MiB: largest body accepted none, smallest refused 52\.6 KiB \(53892 bytes\)$/m,
    );
    assert.match(r.stderr, /^hint: .*lower --batch-size under 52\.6 KiB$/m);
    assert.match(r.stdout, /^five-thousand\.log: 5000 lines, failed; lines 1-5000 failed$/m);
    assert.ok(!r.stderr.includes(TOKEN) && !r.stdout.includes(TOKEN));
  });
});
