import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { gzipSync } from "node:zlib";
import { request } from "node:http";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { BIN, runEvsend, startServer, tempHome, type TempHome } from "../helpers/spawn.js";

const TOKEN = "Emu1atorT0ken00000000000000000EF";

/** A raw HTTP call to the emulator (not through evsend), for protocol-level checks. */
function call(
  url: string,
  method: string,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("evsend emulate (end to end)", () => {
  let home: TempHome;
  let child: ChildProcessWithoutNullStreams;
  let url: string;
  const printed: string[] = [];

  before(async () => {
    home = await tempHome();
    child = spawn(process.execPath, [BIN, "emulate", "--port", "0", "--devo-token", TOKEN], {
      env: home.env,
    });
    const lines = createInterface({ input: child.stdout });
    url = await new Promise<string>((resolve) => {
      lines.on("line", (line) => {
        printed.push(line);
        const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
        if (match) resolve(match[1]!);
      });
    });
  });
  after(async () => {
    child.kill("SIGINT");
    const [code] = (await once(child, "exit")) as [number];
    assert.equal(code, 130);
    await home.cleanup();
  });

  it("round trip: devo send → recorded and printed, token never exposed", async () => {
    await call(`${url}/_emulator/events`, "DELETE");
    const r = await runEvsend(
      [
        "devo",
        "send",
        "--endpoint",
        url,
        "--domain",
        "d",
        "--tag",
        "my.app.t",
        "--host",
        "h",
        "round trip",
      ],
      {
        env: { ...home.env, EVSEND_DEVO_TOKEN: TOKEN },
      },
    );
    assert.equal(r.code, 0, r.stderr);
    const got = JSON.parse((await call(`${url}/_emulator/events`, "GET")).body) as {
      total: number;
      events: Array<Record<string, unknown>>;
    };
    assert.equal(got.total, 1);
    assert.equal(got.events[0]!.event, "round trip");
    assert.deepEqual(got.events[0]!.target, { domain: "d", host: "h", tag: "my.app.t" });
    assert.ok(!JSON.stringify(got).includes(TOKEN));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(
      printed.some((l) => l.includes("round trip")),
      printed.join("\n"),
    );
    assert.ok(!printed.join("\n").includes(TOKEN));
  });

  it("wrong token → 401 → evsend exit 4", async () => {
    const r = await runEvsend(
      ["devo", "send", "--endpoint", url, "--domain", "d", "--tag", "my.app.t", "x"],
      {
        env: { ...home.env, EVSEND_DEVO_TOKEN: "wrong" },
      },
    );
    assert.equal(r.code, 4, r.stderr);
  });

  const cases: Array<[string, string, string, Buffer | undefined, Record<string, string>, number]> =
    [
      ["event GET", "GET", `/event/d/token!${TOKEN}/h/my.app.t?hi`, undefined, {}, 204],
      ["event without message", "GET", `/event/d/token!${TOKEN}/h/my.app.t`, undefined, {}, 400],
      [
        "stream POST",
        "POST",
        `/stream/d/token!${TOKEN}/h/my.app.t`,
        Buffer.from("a\nb\n"),
        {},
        200,
      ],
      [
        "stream gzip",
        "POST",
        `/stream/d/token!${TOKEN}/h/my.app.t`,
        gzipSync("a\nb"),
        { "content-encoding": "gzip" },
        200,
      ],
      [
        "stream corrupt gzip",
        "POST",
        `/stream/d/token!${TOKEN}/h/my.app.t`,
        Buffer.from("nope"),
        { "content-encoding": "gzip" },
        400,
      ],
      ["stream GET", "GET", `/stream/d/token!${TOKEN}/h/my.app.t`, undefined, {}, 405],
      [
        "stream brotli",
        "POST",
        `/stream/d/token!${TOKEN}/h/my.app.t`,
        Buffer.from("x"),
        { "content-encoding": "br" },
        415,
      ],
      ["too few segments", "GET", `/event/d/token!${TOKEN}/h?x`, undefined, {}, 400],
      ["no token! prefix", "GET", `/event/d/${TOKEN}/h/my.app.t?x`, undefined, {}, 400],
      ["unknown path", "GET", "/nothing/here", undefined, {}, 404],
      ["wrong token", "GET", "/event/d/token!nope/h/my.app.t?x", undefined, {}, 401],
    ];
  for (const [name, method, path, body, headers, status] of cases) {
    it(`${name} → ${status}`, async () => {
      assert.equal((await call(url + path, method, body, headers)).status, status);
    });
  }

  it("a stream body over 32 MB → 413", async () => {
    const big = Buffer.alloc(32 * 1024 * 1024 + 10, "a\n");
    assert.equal(
      (await call(`${url}/stream/d/token!${TOKEN}/h/my.app.t`, "POST", big)).status,
      413,
    );
  });
});

describe("interruption", () => {
  it("SIGINT while waiting on a slow server → exit 130", async () => {
    const home = await tempHome();
    const server = await startServer(() => {}); // never answers
    try {
      let pid = 0;
      const run = runEvsend(
        ["devo", "send", "--endpoint", server.url, "--domain", "d", "--tag", "my.app.t", "x"],
        {
          env: { ...home.env, EVSEND_DEVO_TOKEN: TOKEN },
          onSpawn: (p) => (pid = p),
        },
      );
      while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      process.kill(pid, "SIGINT");
      const r = await run;
      assert.equal(r.code, 130, r.stderr);
    } finally {
      await server.close();
      await home.cleanup();
    }
  });
});
