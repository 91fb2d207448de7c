import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UnavailableError } from "../../src/errors.js";
import { BODY_EXCERPT_BYTES } from "../../src/transport/attempt.js";
import { Redactor } from "../../src/transport/redact.js";
import { createTransport, type TransportOptions } from "../../src/transport/send.js";
import { startServer } from "../helpers/spawn.js";

function transport(overrides: Partial<TransportOptions> = {}) {
  const warnings: string[] = [];
  const t = createTransport({
    timeoutMs: 500,
    retries: 2,
    userAgent: "evsend/test",
    env: {},
    redactor: new Redactor(),
    random: () => 0.01,
    onWarning: (w) => warnings.push(w),
    ...overrides,
  });
  return { t, warnings };
}

describe("transport: --timeout bounds the whole exchange", () => {
  it("a server that sends headers, then one byte every 100ms: the status counts, no retry", async () => {
    const timers = new Set<NodeJS.Timeout>();
    const server = await startServer((_r, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      const timer = setInterval(() => res.write("x"), 100);
      timers.add(timer);
    });
    const { t, warnings } = transport();
    const started = performance.now();
    try {
      const res = await t.send({ method: "POST", url: `${server.url}/x`, headers: {}, body: "e" });
      const took = performance.now() - started;
      assert.equal(res.status, 200);
      assert.equal(res.attempts, 1);
      assert.equal(server.requests.length, 1);
      // The body never ends: finishing at all is the 500 ms timeout at work. The bound is loose
      // on purpose (a loaded CI machine), not a timing threshold.
      assert.ok(took < 10_000, `took ${took}ms`);
      assert.ok(res.durationMs >= 450 && res.durationMs < 10_000, `${res.durationMs}ms`);
      assert.equal(res.bodyTruncated, true);
      assert.match(res.body, /^x+$/);
      assert.match(
        warnings.join("\n"),
        /answered HTTP 200 but the body did not finish within 500ms/,
      );
    } finally {
      for (const timer of timers) clearInterval(timer);
      await t.close();
      await server.close();
    }
  });

  it("an endless body: only an excerpt is read, then the connection is dropped", async () => {
    let written = 0;
    const server = await startServer((_r, res) => {
      res.writeHead(400);
      const chunk = Buffer.alloc(64 * 1024, "e");
      const pump = (): void => {
        while (written < 512 * 1024 * 1024 && res.write(chunk)) written += chunk.length;
        if (!res.destroyed) res.once("drain", pump);
      };
      res.on("close", () => res.removeAllListeners("drain"));
      pump();
    });
    const { t } = transport({ timeoutMs: 5000 });
    try {
      const res = await t.send({ method: "GET", url: server.url, headers: {} });
      assert.equal(res.status, 400);
      assert.equal(res.body.length, BODY_EXCERPT_BYTES);
      assert.equal(res.bodyTruncated, true);
      assert.ok(written < 16 * 1024 * 1024, `server wrote ${written} bytes`);
      assert.ok(res.durationMs < 2000, `${res.durationMs}ms`);
    } finally {
      await t.close();
      await server.close();
    }
  });

  it("a small body is read whole and the connection is reused", async () => {
    const server = await startServer((_r, res) => res.writeHead(200).end('{"ok":true}'));
    let connections = 0;
    server.server.on("connection", () => (connections += 1));
    const { t } = transport();
    try {
      for (let i = 0; i < 5; i++) {
        const res = await t.send({ method: "GET", url: server.url, headers: {} });
        assert.equal(res.body, '{"ok":true}');
        assert.equal(res.bodyTruncated, false);
      }
      // undici may open a second socket while the first is handed back; never one per request.
      assert.ok(connections <= 2, `${connections} connections for five requests`);
    } finally {
      await t.close();
      await server.close();
    }
  });

  it("no headers within the timeout: retried, then UnavailableError 'timed out'", async () => {
    const server = await startServer(() => {});
    const { t } = transport({ timeoutMs: 200, retries: 1 });
    const started = performance.now();
    try {
      await assert.rejects(
        t.send({ method: "GET", url: server.url, headers: {} }),
        (e: unknown) =>
          e instanceof UnavailableError &&
          /timed out after 200ms \(after 2 attempts\)/.test(e.message),
      );
      assert.equal(server.requests.length, 2);
      assert.ok(performance.now() - started < 2000);
    } finally {
      await t.close();
      await server.close();
    }
  });
});

describe("transport: HttpResponse.durationMs", () => {
  it("is the final attempt's own time, not the retries' nor the waits'", async () => {
    const server = await startServer((_r, res, i) => {
      if (i === 0) res.writeHead(503, { "retry-after": "1" }).end();
      else setTimeout(() => res.writeHead(204).end(), 50);
    });
    const { t } = transport({ timeoutMs: 5000 });
    const started = performance.now();
    try {
      const res = await t.send({ method: "GET", url: server.url, headers: {} });
      const total = performance.now() - started;
      assert.equal(res.attempts, 2);
      assert.ok(total >= 1000, `total ${total}ms`);
      assert.ok(res.durationMs >= 45 && res.durationMs < 800, `${res.durationMs}ms`);
    } finally {
      await t.close();
      await server.close();
    }
  });
});

describe("transport: userinfo in the URL", () => {
  it("is sent as Basic authentication, and masked in what is printed", async () => {
    const server = await startServer((_r, res) => res.writeHead(500).end());
    const redactor = new Redactor();
    const logs: string[] = [];
    const { t } = transport({ redactor, retries: 0, onAttempt: (l) => logs.push(l.url) });
    const url = new URL(server.url);
    try {
      const res = await t.send({
        method: "GET",
        url: `http://us%20er:p%40ssW0RD@${url.host}/x`,
        headers: {},
      });
      assert.equal(res.status, 500);
      const auth = server.requests[0]!.headers.authorization;
      assert.equal(auth, `Basic ${Buffer.from("us er:p@ssW0RD").toString("base64")}`);
      assert.equal(server.requests[0]!.url, "/x");
      assert.deepEqual(logs, [`http://us%20er:****@${url.host}/x`]);
      assert.equal(redactor.redact("said p@ssW0RD"), "said ****");
    } finally {
      await t.close();
      await server.close();
    }
  });
});
