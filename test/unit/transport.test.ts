import assert from "node:assert/strict";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { InterruptedError, UnavailableError } from "../../src/errors.js";
import { serviceRedactor } from "../helpers/redactor.js";
import {
  createTransport,
  type AttemptLog,
  type TransportOptions,
} from "../../src/transport/send.js";
import { withServer } from "../helpers/scoped.js";

const NO_CONTENT = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";

function transport(overrides: Partial<TransportOptions> = {}) {
  const logs: AttemptLog[] = [];
  const warnings: string[] = [];
  const t = createTransport({
    timeoutMs: 2000,
    retries: 3,
    userAgent: "evsend/test",
    env: {},
    redactor: serviceRedactor(),
    random: () => 0.01, // near-zero jitter keeps tests fast
    onAttempt: (log) => logs.push(log),
    onWarning: (w) => warnings.push(w),
    ...overrides,
  });
  return { t, logs, warnings };
}

describe("transport retries", () => {
  const statuses: Array<[number[], number, number]> = [
    // answers in order → final status, attempts made
    [[204], 204, 1],
    [[503, 503, 204], 204, 3],
    [[500, 502, 504, 200], 200, 4],
    [[429, 200], 200, 2],
    [[408, 200], 200, 2],
    [[400], 400, 1],
    [[401], 401, 1],
    [[403], 403, 1],
    [[404], 404, 1],
    [[413], 413, 1],
    [[501], 501, 1],
    [[503, 503, 503, 503, 503], 503, 4],
  ];
  for (const [answers, final, attempts] of statuses) {
    it(`${answers.join(", ")} → ${final} after ${attempts} attempt(s)`, async (test) => {
      const server = await withServer(test, (_r, res, i) =>
        res.writeHead(answers[Math.min(i, answers.length - 1)]!).end(),
      );
      const { t, logs } = transport();
      test.after(() => t.close());
      const res = await t.send({
        method: "POST",
        url: `${server.url}/x`,
        headers: {},
        body: "b",
      });
      assert.equal(res.status, final);
      assert.equal(res.attempts, attempts);
      assert.equal(server.requests.length, attempts);
      assert.equal(t.stats.retries, attempts - 1);
      assert.deepEqual(
        logs.map((l) => l.attempt),
        Array.from({ length: attempts }, (_, k) => k + 1),
      );
    });
  }

  it("honours Retry-After as an HTTP date", async (test) => {
    const server = await withServer(test, (_r, res, i) =>
      i === 0
        ? res.writeHead(503, { "retry-after": new Date(Date.now() + 1500).toUTCString() }).end()
        : res.writeHead(200).end(),
    );
    const { t, logs } = transport();
    test.after(() => t.close());
    await t.send({ method: "GET", url: server.url, headers: {} });
    assert.ok(logs[0]!.retryInMs! >= 400, `waited ${logs[0]!.retryInMs}ms`);
    assert.ok(server.requests[1]!.at - server.requests[0]!.at >= 400);
  });

  it("stops retrying when Retry-After would exceed the total budget", async (test) => {
    const server = await withServer(test, (_r, res) =>
      res.writeHead(503, { "retry-after": "30" }).end(),
    );
    const { t } = transport({ retryBudgetMs: 1000 });
    test.after(() => t.close());
    const res = await t.send({ method: "GET", url: server.url, headers: {} });
    assert.equal(res.status, 503);
    assert.equal(server.requests.length, 1);
  });

  it("network errors: retried, then UnavailableError with the masked URL", async (test) => {
    const server = await withServer(test, () => {});
    const url = `${server.url}/stream/d/token!SECRETTOKEN/h/t`;
    await server.close();
    const { t, logs } = transport({ retries: 2 });
    await assert.rejects(
      t.send({ method: "GET", url, headers: {} }),
      (e: unknown) =>
        e instanceof UnavailableError &&
        /after 3 attempts/.test(e.message) &&
        !e.message.includes("SECRET"),
    );
    assert.equal(logs.length, 3);
    assert.ok(logs.every((l) => !l.url.includes("SECRET") && l.error?.includes("ECONNREFUSED")));
    await t.close();
  });

  it("a host name that does not resolve: one quick retry, then 'could not resolve host'", async () => {
    createRequire(import.meta.url)("../helpers/fail-invalid-dns.cjs");
    const { t, logs } = transport({ retries: 5, random: () => 0.99 });
    const started = Date.now();
    await assert.rejects(
      t.send({ method: "POST", url: "http://typo.example.invalid/x", headers: {}, body: "b" }),
      (e: unknown) =>
        e instanceof UnavailableError &&
        e.message === "could not resolve host typo.example.invalid (after 2 attempts)" &&
        /check the URL\/host name/.test(e.hint ?? ""),
    );
    assert.deepEqual(
      logs.map((l) => [l.attempt, l.retryInMs]),
      [
        [1, 250],
        [2, undefined],
      ],
    );
    assert.ok(Date.now() - started < 5000, "no backoff of seconds");
    await t.close();
  });

  it("a host name that does not resolve, --retries 0: one attempt", async () => {
    createRequire(import.meta.url)("../helpers/fail-invalid-dns.cjs");
    const { t, logs } = transport({ retries: 0 });
    await assert.rejects(
      t.send({ method: "GET", url: "http://typo.example.invalid/x", headers: {} }),
      /^UnavailableError: could not resolve host typo\.example\.invalid$/,
    );
    assert.equal(logs.length, 1);
    await t.close();
  });

  it("a token with ' never shows its tail in -v logs nor in the duplicate-POST warning", async (test) => {
    const token = "ab'c(d)*!SECRETTAIL";
    const server = await withServer(test, (_r, res, i) => {
      if (i === 0)
        res.socket?.destroy(); // reset after the POST arrived
      else res.writeHead(204).end();
    });
    const redactor = serviceRedactor();
    redactor.add(token);
    const { t, logs, warnings } = transport({ redactor });
    test.after(() => t.close());
    const url = `${server.url}/stream/d/token!${encodeURIComponent(token)}/h/t`;
    const res = await t.send({ method: "POST", url, headers: {}, body: "x" });
    assert.equal(res.status, 204);
    assert.match(warnings.join(), /may receive some events twice/);
    const printed = [...warnings, ...logs.map((l) => `${l.url} ${l.error ?? ""}`)].join("\n");
    assert.ok(!printed.includes("TAIL") && !printed.includes("c(d)"), printed);
    assert.match(printed, /token!\*\*\*\*\/h\/t/);
  });

  it("a POST answered with something that is not HTTP: retried with the duplicate warning", async (test) => {
    let calls = 0;
    const server = createNetServer((socket) => {
      calls += 1;
      socket.once("data", () =>
        calls === 1 ? socket.end("SSH-2.0-OpenSSH_9.6\r\n") : socket.end(NO_CONTENT),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    test.after(() => new Promise((resolve) => server.close(resolve)));
    const { t, warnings } = transport();
    test.after(() => t.close());
    const url = `http://127.0.0.1:${port}/x`;
    const res = await t.send({ method: "POST", url, headers: {}, body: "x" });
    assert.equal(res.status, 204);
    assert.equal(res.attempts, 2);
    assert.match(
      warnings.join(),
      /failed after it was sent \(no HTTP answer\); retrying it .* twice/,
    );
  });

  it("a refused connection is retried without the duplicate warning: nothing was sent", async (test) => {
    const server = await withServer(test, (_r, res) => res.writeHead(204).end());
    const url = server.url;
    await server.close();
    const { t, warnings } = transport({ retries: 1 });
    test.after(() => t.close());
    await assert.rejects(t.send({ method: "POST", url, headers: {}, body: "x" }), UnavailableError);
    assert.deepEqual(warnings, []);
  });

  it("a timeout is reported as such and retried", async (test) => {
    const server = await withServer(test, (_r, res, i) => {
      if (i > 0) res.writeHead(200).end();
    });
    const { t, warnings } = transport({ timeoutMs: 300 });
    test.after(() => t.close());
    const res = await t.send({ method: "POST", url: server.url, headers: {}, body: "x" });
    assert.equal(res.status, 200);
    assert.equal(res.attempts, 2);
    assert.match(warnings.join(), /may receive some events twice/);
  });

  it("an abort during the wait between attempts → InterruptedError", async (test) => {
    const server = await withServer(test, (_r, res) =>
      res.writeHead(503, { "retry-after": "10" }).end(),
    );
    const controller = new AbortController();
    const { t } = transport({ signal: controller.signal });
    test.after(() => t.close());
    setTimeout(() => controller.abort(), 200);
    await assert.rejects(t.send({ method: "GET", url: server.url, headers: {} }), InterruptedError);
  });

  it("sends the User-Agent and keeps the connection alive", async (test) => {
    const server = await withServer(test, (_r, res) => res.writeHead(200).end("ok"));
    const { t } = transport();
    test.after(() => t.close());
    const ports = new Set<number>();
    server.server.on("connection", (socket) => ports.add(socket.remotePort ?? 0));
    for (let i = 0; i < 5; i++) await t.send({ method: "GET", url: server.url, headers: {} });
    assert.equal(server.requests[0]!.headers["user-agent"], "evsend/test");
    // undici may open a second socket while the first is being handed back; never one per request.
    assert.ok(ports.size <= 2, `${ports.size} connections for five requests`);
  });
});
