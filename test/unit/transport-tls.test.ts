import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../../src/errors.js";
import { proxySettings } from "../../src/transport/proxy.js";
import { MASK, Redactor } from "../../src/transport/redact.js";
import {
  createTransport,
  type AttemptLog,
  type TransportOptions,
} from "../../src/transport/send.js";
import { pemCertificates } from "../../src/transport/ca.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/tls/", import.meta.url));
const CERT_FILE = join(FIXTURES, "cert.pem");
const CERT = readFileSync(CERT_FILE, "utf8");
const KEY = readFileSync(join(FIXTURES, "key.pem"), "utf8");

function transport(overrides: Partial<TransportOptions> = {}) {
  const warnings: string[] = [];
  const t = createTransport({
    timeoutMs: 5000,
    retries: 5,
    userAgent: "evsend/test",
    env: {},
    redactor: new Redactor(),
    random: () => 0.01,
    onWarning: (w) => warnings.push(w),
    ...overrides,
  });
  return { t, warnings };
}

function isConfigError(pattern: RegExp, hint?: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof ConfigError, String(e));
    assert.equal(e.exitCode, 3);
    assert.match(e.message, pattern);
    if (hint) assert.match(e.hint ?? "", hint);
    return true;
  };
}

describe("transport: TLS", () => {
  let server: Server;
  let url: string;
  let handshakes = 0;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "evsend-tls-"));
    server = createServer({ cert: CERT, key: KEY }, (_req, res) => res.writeHead(204).end());
    server.on("connection", () => (handshakes += 1));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it("an untrusted certificate: no retry, ConfigError (exit 3) with the --ca-file hint", async () => {
    handshakes = 0;
    const logs: AttemptLog[] = [];
    const { t } = transport({ onAttempt: (log) => logs.push(log) });
    await assert.rejects(
      t.send({ method: "POST", url, headers: {}, body: "e" }),
      isConfigError(
        /TLS certificate of https:\/\/127\.0\.0\.1:\d+ was refused: .*\(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
        /--ca-file/,
      ),
    );
    assert.equal(handshakes, 1);
    assert.equal(t.stats.retries, 0);
    // -v still shows the one attempt, with no retry planned.
    assert.equal(logs.length, 1);
    assert.equal(logs[0]!.retryInMs, undefined);
    assert.match(logs[0]!.error ?? "", /DEPTH_ZERO_SELF_SIGNED_CERT|self-signed/);
    await t.close();
  });

  it("the same server with --ca-file: accepted", async () => {
    const { t } = transport({ caFile: CERT_FILE });
    const res = await t.send({ method: "POST", url, headers: {}, body: "e" });
    assert.equal(res.status, 204);
    await t.close();
  });

  it("NODE_TLS_REJECT_UNAUTHORIZED=0 is ignored, with one warning", async () => {
    const saved = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
    try {
      const { t, warnings } = transport({ env: { NODE_TLS_REJECT_UNAUTHORIZED: "0" } });
      await assert.rejects(t.send({ method: "GET", url, headers: {} }), isConfigError(/refused/));
      await assert.rejects(t.send({ method: "GET", url, headers: {} }), isConfigError(/refused/));
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /NODE_TLS_REJECT_UNAUTHORIZED=0 is ignored.*--ca-file/);
      await t.close();
    } finally {
      if (saved === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = saved;
    }
  });

  it("TLS spoken to a plain-HTTP port: ConfigError, no retry", async () => {
    const { createServer: createHttp } = await import("node:http");
    const plain = createHttp((_q, r) => r.end());
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    const port = (plain.address() as AddressInfo).port;
    const { t } = transport();
    try {
      await assert.rejects(
        t.send({ method: "GET", url: `https://127.0.0.1:${port}/`, headers: {} }),
        isConfigError(/does not speak TLS/, /http:\/\//),
      );
      assert.equal(t.stats.retries, 0);
    } finally {
      await t.close();
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  const badFiles: Array<[string, string, RegExp]> = [
    ["empty.pem", "", /--ca-file .*empty\.pem holds no PEM certificate/],
    ["key.pem", KEY, /holds no PEM certificate/],
    [
      "broken.pem",
      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
      /certificate 1 is not valid/,
    ],
  ];
  for (const [name, text, message] of badFiles) {
    it(`--ca-file ${name}: ConfigError before anything is sent`, async () => {
      const file = join(dir, name);
      await writeFile(file, text);
      handshakes = 0;
      const { t } = transport({ caFile: file });
      await assert.rejects(t.send({ method: "GET", url, headers: {} }), isConfigError(message));
      assert.equal(handshakes, 0);
      await t.close();
    });
  }

  it("--ca-file that does not exist: ConfigError", async () => {
    const { t } = transport({ caFile: join(dir, "missing.pem") });
    await assert.rejects(
      t.send({ method: "GET", url, headers: {} }),
      isConfigError(/cannot read --ca-file/),
    );
    await t.close();
  });

  it("pemCertificates keeps every block of a bundle", async () => {
    assert.equal((await pemCertificates(`junk\n${CERT}\n${CERT}`, "f")).length, 2);
  });
});

describe("transport: proxy variables", () => {
  const bad: Array<[NodeJS.ProcessEnv, RegExp]> = [
    [{ HTTPS_PROXY: "not a url" }, /^HTTPS_PROXY is not an http\(s\) proxy URL: "not a url"$/],
    [{ https_proxy: "ftp://p", HTTPS_PROXY: "http://p" }, /^https_proxy is not/],
    [{ HTTP_PROXY: "user:SECRETPW@proxy:3128" }, /^HTTP_PROXY is not an http\(s\) proxy URL$/],
    [{ HTTP_PROXY: "http://" }, /^HTTP_PROXY is not/],
  ];
  for (const [env, message] of bad) {
    it(`${JSON.stringify(env)}: one ConfigError naming the variable`, () => {
      assert.throws(() => proxySettings(env), isConfigError(message, /unset it/));
      assert.throws(() => transport({ env }), isConfigError(message));
    });
  }

  it("accepts http(s) proxies, lower case first, and registers their passwords", () => {
    const settings = proxySettings({
      https_proxy: "http://u:S3cr%2Ft@proxy:3128",
      HTTPS_PROXY: "http://ignored",
      HTTP_PROXY: "https://tok@proxy",
      NO_PROXY: "localhost",
    });
    assert.deepEqual(settings, {
      httpProxy: "https://tok@proxy",
      httpsProxy: "http://u:S3cr%2Ft@proxy:3128",
      noProxy: "localhost",
      secrets: ["tok", "S3cr%2Ft"],
    });
    const redactor = new Redactor();
    transport({ env: { HTTPS_PROXY: "http://u:S3cr%2Ft@proxy:3128" }, redactor });
    assert.equal(redactor.redact("pw S3cr/t"), `pw ${MASK}`);
  });
});
