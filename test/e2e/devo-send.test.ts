import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, describe, it } from "node:test";
import { createServer as createNetServer, connect, type AddressInfo, type Socket } from "node:net";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { useTempHome, withServer } from "../helpers/scoped.js";

const TOKEN = "S3cretT0ken0000000000000000000AB";
const BASE = ["devo", "send", "--domain", "acme", "--tag", "my.app.test", "--host", "h1"];

function assertNoToken(...texts: string[]): void {
  for (const text of texts) assert.ok(!text.includes(TOKEN), `token leaked in: ${text}`);
}

/** A tiny HTTP proxy: CONNECT tunnels and absolute-form requests, counting what it relayed. */
async function startProxy(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const sockets = new Set<Socket>();
  const server = createNetServer((client) => {
    sockets.add(client);
    client.once("data", (head: Buffer) => {
      const firstLine = head.toString("latin1").split("\r\n")[0] ?? "";
      hits.push(firstLine.split(" ").slice(0, 2).join(" "));
      const [method, target] = firstLine.split(" ");
      const hostPort = method === "CONNECT" ? target! : new URL(target!).host;
      const [host, port] = hostPort.split(":");
      const upstream = connect(Number(port), host, () => {
        if (method === "CONNECT") client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        else upstream.write(head);
        client.pipe(upstream).pipe(client);
      });
      sockets.add(upstream);
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("evsend devo send (end to end)", () => {
  const home = useTempHome();
  let env: NodeJS.ProcessEnv;
  before(async () => {
    env = { ...home.env, EVSEND_DEVO_TOKEN: TOKEN };
  });

  it("sends one event: 204 → exit 0, exact URL, user agent", async (t) => {
    const server = await withServer(t, (_req, res) => res.writeHead(204).end());
    const r = await runEvsend([...BASE, "--endpoint", server.url, "hello", "world"], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^accepted: 1 event \(HTTP 204, \d+ms\)\n$/);
    assert.equal(r.stderr, "");
    assert.equal(server.requests.length, 1);
    const req = server.requests[0]!;
    assert.equal(req.method, "GET");
    assert.equal(req.url, `/event/acme/token!${TOKEN}/h1/my.app.test?hello%20world`);
    assert.match(String(req.headers["user-agent"]), /^evsend\/\d+\.\d+\.\d+/);
  });

  it("reads the message from stdin, trailing newline removed; POST keeps the query string", async (t) => {
    const server = await withServer(t, (_req, res) => res.writeHead(204).end());
    const r = await runEvsend([...BASE, "--endpoint", server.url, "--method", "post"], {
      env,
      stdin: "from stdin ✓\n",
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.requests[0]!.method, "POST");
    assert.ok(server.requests[0]!.url.endsWith("?from%20stdin%20%E2%9C%93"));
  });

  it("a message that is not UTF-8 is sent byte for byte, with a warning", async (t) => {
    const server = await withServer(t, (_req, res) => res.writeHead(204).end());
    const r = await runEvsend([...BASE, "--endpoint", server.url], {
      env,
      stdin: Buffer.from([0x61, 0x00, 0xff, 0xfe, 0x20, 0x62, 0x0d, 0x0a]),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^warning: the message is not valid UTF-8 text/m);
    assert.ok(server.requests[0]!.url.endsWith("?a%00%FF%FE%20b"), server.requests[0]!.url);
  });

  it("503, 503, 204 succeeds after two retries, logged with --verbose (token masked)", async (t) => {
    const server = await withServer(t, (_req, res, i) => res.writeHead(i < 2 ? 503 : 204).end());
    const r = await runEvsend(["-v", ...BASE, "--endpoint", server.url, "retry me"], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.requests.length, 3);
    const attempts = r.stderr.split("\n").filter((l) => l.startsWith("GET "));
    assert.equal(attempts.length, 3, r.stderr);
    assert.match(
      attempts[0]!,
      /token!\*\*\*\*\/h1\/my\.app\.test\?retry%20me → 503 \(.*attempt 1, retry in/,
    );
    assert.match(attempts[2]!, /→ 204 \(.*attempt 3\)$/);
    assertNoToken(r.stdout, r.stderr);
  });

  it("waits for Retry-After", async (t) => {
    const server = await withServer(t, (_req, res, i) =>
      i === 0 ? res.writeHead(429, { "retry-after": "1" }).end() : res.writeHead(204).end(),
    );
    const r = await runEvsend([...BASE, "--endpoint", server.url, "slow down"], { env });
    assert.equal(r.code, 0, r.stderr);
    const gap = server.requests[1]!.at - server.requests[0]!.at;
    assert.ok(gap >= 950, `second attempt after ${gap}ms, Retry-After asked 1000ms`);
  });

  const failures: Array<[string, number, number, RegExp]> = [
    ["400 → exit 1, body quoted", 400, 1, /Devo rejected the request \(HTTP 400\): bad event/],
    ["401 → exit 4, never retried", 401, 4, /Devo refused the token \(HTTP 401\)/],
    ["503 after all retries → exit 7", 503, 7, /Devo is unavailable \(HTTP 503 after 2 attempts\)/],
  ];
  for (const [name, status, code, message] of failures) {
    it(name, async (t) => {
      const server = await withServer(t, (req, res) =>
        res.writeHead(status).end(`bad event at ${req.url}`),
      );
      const r = await runEvsend([...BASE, "--retries", "1", "--endpoint", server.url, "x"], {
        env,
      });
      assert.equal(r.code, code, r.stderr);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /\nhint: /);
      assert.equal(server.requests.length, status === 503 ? 2 : 1);
      assert.ok(!r.stderr.includes("    at "), "no stack trace without --verbose");
      assertNoToken(r.stdout, r.stderr);
    });
  }

  it("connection refused → exit 7 with the masked origin", async (t) => {
    const server = await withServer(t, (_req, res) => res.end());
    const url = server.url;
    await server.close();
    const r = await runEvsend([...BASE, "--retries", "0", "--endpoint", url, "x"], { env });
    assert.equal(r.code, 7, r.stderr);
    assert.match(r.stderr, /^error: could not reach http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/m);
  });

  it("--json: result then summary, token masked; errors end with an error object", async (t) => {
    const server = await withServer(t, (_req, res, i) =>
      res.writeHead(i === 0 ? 204 : 401).end(TOKEN),
    );
    const ok = await runEvsend(["--json", ...BASE, "--endpoint", server.url, "x"], { env });
    const lines = ndjson(ok.stdout);
    assert.deepEqual(
      lines.map((l) => l.type),
      ["result", "summary"],
    );
    assert.equal(lines[1]!.exitCode, 0);
    const bad = await runEvsend(["--json", ...BASE, "--endpoint", server.url, "x"], { env });
    const last = ndjson(bad.stdout).at(-1)!;
    assert.equal(last.type, "error");
    assert.equal(last.exitCode, 4);
    assertNoToken(ok.stdout, ok.stderr, bad.stdout, bad.stderr);
  });

  it("--dry-run prints the masked request, sends nothing, needs no token", async (t) => {
    const server = await withServer(t, (_req, res) => res.writeHead(204).end());
    const r = await runEvsend(["-n", ...BASE, "--endpoint", server.url, "dry"], {
      env: home.env,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.requests.length, 0);
    assert.equal(
      r.stdout.split("\n")[0],
      `GET ${server.url}/event/acme/token!****/h1/my.app.test?dry`,
    );
    const withToken = await runEvsend(["-n", "--json", ...BASE, "--endpoint", server.url, "dry"], {
      env,
    });
    assertNoToken(withToken.stdout, withToken.stderr);
    assert.equal(ndjson(withToken.stdout)[0]!.type, "request");
  });

  it("uses the proxy from HTTP_PROXY", async (t) => {
    const server = await withServer(t, (_req, res) => res.writeHead(204).end());
    const proxy = await startProxy();
    try {
      const r = await runEvsend([...BASE, "--endpoint", server.url, "via proxy"], {
        env: { ...env, HTTP_PROXY: proxy.url },
      });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(server.requests.length, 1);
      assert.ok(proxy.hits.length >= 1, "the proxy saw the request");
      assert.ok(proxy.hits[0]!.includes(new URL(server.url).host));
    } finally {
      await proxy.close();
    }
  });

  it("a message over 8 KiB → exit 5 pointing to devo file, nothing sent", async (t) => {
    const server = await withServer(t, (_req, res) => res.writeHead(204).end());
    const r = await runEvsend([...BASE, "--endpoint", server.url], {
      env,
      stdin: "x".repeat(8193),
    });
    assert.equal(r.code, 5);
    assert.match(r.stderr, /8193 bytes, over the 8192-byte limit/);
    assert.match(r.stderr, /evsend devo file/);
    assert.equal(server.requests.length, 0);
  });

  it("usage errors exit 2: unknown option, bad duration, no message", async () => {
    const unknown = await runEvsend([...BASE, "--bogus", "x"], { env });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^error: unknown option '--bogus'/);
    const duration = await runEvsend(["--timeout", "soon", ...BASE, "x"], { env });
    assert.equal(duration.code, 2);
    assert.match(duration.stderr, /not a duration/);
    const help = await runEvsend(["devo", "send", "--help"], { env });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--profile <name>/, "global options are shown in subcommand help");
    const version = await runEvsend(["--version"], { env });
    assert.equal(version.code, 0);
    const pkg = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    ) as {
      version: string;
    };
    assert.equal(
      version.stdout,
      `evsend ${pkg.version} (node ${process.version}, ${process.platform}-${process.arch})\n`,
    );
  });

  it("missing domain → exit 3 naming the flag, variable and profile field", async () => {
    const r = await runEvsend(["devo", "send", "--tag", "my.app.x", "hi"], { env });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /missing Devo domain/);
    assert.match(r.stderr, /--domain/);
    assert.match(r.stderr, /EVSEND_DEVO_DOMAIN/);
    assert.match(r.stderr, /devo\.domain/);
  });

  it("a missing token → exit 3 pointing to --token-file", async () => {
    const r = await runEvsend([...BASE, "hi"], { env: home.env });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /--token-file/);
    assert.match(r.stderr, /EVSEND_DEVO_TOKEN/);
  });

  it("--token-file - reads the token from stdin (never from argv)", async (t) => {
    const server = await withServer(t, (_req, res) => res.writeHead(204).end());
    const r = await runEvsend([...BASE, "--endpoint", server.url, "--token-file", "-", "msg"], {
      env: home.env,
      stdin: `${TOKEN}\n`,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(server.requests[0]!.url.includes(`token!${TOKEN}/`));
  });

  it("a message of - is read from stdin, as devo file - does", async (t) => {
    const server = await withServer(t, (_req, res) => res.writeHead(204).end());
    const r = await runEvsend([...BASE, "--endpoint", server.url, "-"], { env, stdin: "hi\n" });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.requests[0]?.url, `/event/acme/token!${TOKEN}/h1/my.app.test?hi`);
  });

  for (const [what, args] of [
    ["no message", []],
    ["a message of -", ["-"]],
    ["a message of - in a dry run", ["--dry-run", "-"]],
  ] as const) {
    it(`--token-file - with ${what}: two readers of stdin → exit 2, nothing read or sent`, async (t) => {
      const server = await withServer(t, (_req, res) => res.writeHead(204).end());
      const dry = args[0] === "--dry-run" ? ["--dry-run"] : [];
      const r = await runEvsend(
        [...dry, ...BASE, "--endpoint", server.url, "--token-file", "-", ...args.slice(dry.length)],
        { env: home.env, stdin: `${TOKEN}\n` },
      );
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /^error: stdin can be read only once, but both --token-file - and the message read it\n/,
      );
      assert.equal(server.requests.length, 0);
      assertNoToken(r.stdout, r.stderr);
    });
  }

  it("a bad endpoint names its source: flag → exit 2, env and profile → exit 3", async () => {
    const file = await home.writeConfig("profiles:\n  p:\n    devo: { endpoint: eu2 }\n");
    const flag = await runEvsend([...BASE, "--endpoint", "eu2", "hi"], { env });
    assert.equal(flag.code, 2);
    assert.match(
      flag.stderr,
      /^error: invalid Devo endpoint "eu2" \(from --endpoint\)\nhint: use a region \(us, us3, eu/,
    );
    const fromEnv = await runEvsend([...BASE, "hi"], {
      env: { ...env, EVSEND_DEVO_ENDPOINT: "eu2" },
    });
    assert.equal(fromEnv.code, 3);
    assert.match(
      fromEnv.stderr,
      /^error: invalid Devo endpoint "eu2" \(from env EVSEND_DEVO_ENDPOINT\)\n/,
    );
    const fromProfile = await runEvsend(["-p", "p", ...BASE, "hi"], { env });
    assert.equal(fromProfile.code, 3);
    assert.ok(
      fromProfile.stderr.startsWith(
        `error: invalid Devo endpoint "eu2" (from profile "p" in ${file})\n`,
      ),
      fromProfile.stderr,
    );
    const query = await runEvsend([...BASE, "--endpoint", "https://c.example.com/?k=v", "hi"], {
      env,
    });
    assert.equal(query.code, 2);
    assert.match(query.stderr, /\(from --endpoint\) must not have a \?query or #fragment/);
  });
});
