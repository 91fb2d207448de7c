import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { useTempHome, withServer } from "../helpers/scoped.js";

const TOKEN = "TlsTransp0rtT0ken0000000000000CD";
const DEVO = ["devo", "send", "--domain", "acme", "--tag", "my.app.test", "--host", "h1"];
const FIXTURES = fileURLToPath(new URL("../fixtures/tls/", import.meta.url));
const CERT_FILE = join(FIXTURES, "cert.pem");

describe("transport: TLS, proxies and timeouts (end to end)", () => {
  const home = useTempHome();
  let env: NodeJS.ProcessEnv;
  let server: Server;
  let endpoint: string;
  let connections = 0;
  before(async () => {
    env = { ...home.env, EVSEND_DEVO_TOKEN: TOKEN };
    delete env.NODE_TLS_REJECT_UNAUTHORIZED;
    delete env.NODE_EXTRA_CA_CERTS;
    server = createServer(
      {
        cert: readFileSync(CERT_FILE),
        key: readFileSync(join(FIXTURES, "key.pem")),
      },
      (_req, res) => res.writeHead(204).end(),
    );
    server.on("connection", () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("a self-signed certificate: exit 3 at once, one connection, the --ca-file hint", async () => {
    connections = 0;
    const r = await runEvsend([...DEVO, "--endpoint", endpoint, "hi"], { env });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(connections, 1);
    assert.ok(r.durationMs < 5000, `${r.durationMs}ms`);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 2, r.stderr);
    assert.match(
      lines[0]!,
      /^error: the TLS certificate of https:\/\/127\.0\.0\.1:\d+ was refused: .*DEPTH_ZERO_SELF_SIGNED_CERT/,
    );
    assert.match(lines[1]!, /^hint: .*--ca-file/);
  });

  it("the same with --ca-file: accepted, exit 0", async () => {
    const r = await runEvsend(["--ca-file", CERT_FILE, ...DEVO, "--endpoint", endpoint, "hi"], {
      env,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^accepted: 1 event \(HTTP 204, \d+ms\)$/m);
  });

  it("NODE_TLS_REJECT_UNAUTHORIZED=0 keeps verification on and says so once (--json: exit 3)", async () => {
    const r = await runEvsend(["--json", ...DEVO, "--endpoint", endpoint, "hi"], {
      env: { ...env, NODE_TLS_REJECT_UNAUTHORIZED: "0" },
    });
    assert.equal(r.code, 3, r.stderr);
    const lines = ndjson(r.stdout);
    assert.equal(lines[0]!.type, "warning");
    assert.match(String(lines[0]!.message), /NODE_TLS_REJECT_UNAUTHORIZED=0 is ignored/);
    assert.deepEqual(
      { type: lines.at(-1)!.type, exitCode: lines.at(-1)!.exitCode },
      { type: "error", exitCode: 3 },
    );
    // Node's own "verification is disabled" warning would be untrue: it is not printed.
    assert.doesNotMatch(r.stderr, /makes TLS connections and HTTPS requests insecure/);
  });

  it("a --ca-file with no certificate: exit 3, nothing sent", async () => {
    const file = join(home.home, "not-a-cert.pem");
    await writeFile(file, "hello\n");
    connections = 0;
    const r = await runEvsend(["--ca-file", file, ...DEVO, "--endpoint", endpoint, "hi"], { env });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^error: --ca-file .*not-a-cert\.pem holds no PEM certificate$/m);
    assert.equal(connections, 0);
  });

  for (const [value, shown] of [
    ["not a url", ': "not a url"'],
    ["user:SECRETPW@proxy:3128", ""],
  ]) {
    it(`HTTPS_PROXY='${value}': one configuration error, exit 3 (and 3 in the JSON)`, async () => {
      const e = { ...env, HTTPS_PROXY: value };
      const human = await runEvsend([...DEVO, "--endpoint", endpoint, "hi"], { env: e });
      assert.equal(human.code, 3, human.stderr);
      assert.equal(
        human.stderr,
        `error: HTTPS_PROXY is not an http(s) proxy URL${shown}\n` +
          "hint: set HTTPS_PROXY to a URL such as http://proxy.example.com:3128, or unset it\n",
      );
      const json = await runEvsend(["--json", ...DEVO, "--endpoint", endpoint, "hi"], { env: e });
      assert.equal(json.code, 3);
      assert.equal(ndjson(json.stdout).at(-1)!.exitCode, 3);
      assert.ok(!json.stdout.includes("SECRETPW") && !json.stderr.includes("SECRETPW"));
    });
  }

  it("--timeout 1s against a server that trickles its body: done in about a second, exit 0", async (t) => {
    const timers = new Set<NodeJS.Timeout>();
    const trickle = await withServer(t, (_r, res) => {
      res.writeHead(200);
      timers.add(setInterval(() => res.write(" "), 200));
    });
    try {
      const r = await runEvsend(["--timeout", "1s", ...DEVO, "--endpoint", trickle.url, "hi"], {
        env,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(trickle.requests.length, 1);
      assert.ok(r.durationMs < 4000, `${r.durationMs}ms`);
      assert.match(
        r.stderr,
        /^warning: GET .* answered HTTP 200 but the body did not finish within 1(\.0)?s/m,
      );
      assert.ok(!r.stderr.includes(TOKEN));
    } finally {
      for (const t of timers) clearInterval(t);
    }
  });

  it("accepted: the time shown is the final request's, not the retries' nor the wait", async (t) => {
    const slow = await withServer(t, (_r, res, i) =>
      i === 0 ? res.writeHead(503, { "retry-after": "2" }).end() : res.writeHead(204).end(),
    );
    const r = await runEvsend([...DEVO, "--endpoint", slow.url, "hi"], { env });
    assert.equal(r.code, 0, r.stderr);
    const ms = Number(/HTTP 204, (\d+)ms/.exec(r.stdout)?.[1]);
    assert.ok(r.durationMs > 2000 && ms < 1000, `${ms}ms shown, ${r.durationMs}ms in all`);
  });
});
