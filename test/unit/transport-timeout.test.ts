import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UnavailableError } from "../../src/errors.js";
import { BODY_EXCERPT_BYTES } from "../../src/transport/attempt.js";
import { Redactor } from "../../src/transport/redact.js";
import { createTransport, type TransportOptions } from "../../src/transport/send.js";
import { withServer } from "../helpers/scoped.js";

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
  it("a server that sends headers, then one byte every 100ms: the status counts, no retry", async (test) => {
    const timers = new Set<NodeJS.Timeout>();
    const server = await withServer(test, (_r, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      const timer = setInterval(() => res.write("x"), 100);
      timers.add(timer);
    });
    const { t, warnings } = transport();
    test.after(() => t.close());
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
    }
  });

  it("an endless body: only an excerpt is read, then the connection is dropped", async (test) => {
    let written = 0;
    const server = await withServer(test, (_r, res) => {
      res.writeHead(400);
      const chunk = Buffer.alloc(64 * 1024, "e");
      const pump = (): void => {
        while (written < 512 * 1024 * 1024 && res.write(chunk)) written += chunk.length;
        if (!res.destroyed) res.once("drain", pump);
      };
      res.on("close", () => res.removeAllListeners("drain"));
      pump();
    });
    const { t } = transport({ timeoutMs: 60_000 });
    test.after(() => t.close());
    const res = await t.send({ method: "GET", url: server.url, headers: {} });
    assert.equal(res.status, 400);
    assert.equal(res.body.length, BODY_EXCERPT_BYTES);
    assert.equal(res.bodyTruncated, true);
    assert.ok(written < 16 * 1024 * 1024, `server wrote ${written} bytes`);
    // Dropped, not ended by the 60 s timeout; far from the real tens of ms (a loaded CI).
    assert.ok(res.durationMs < 20_000, `${res.durationMs}ms`);
  });

  it("a small body is read whole and the connection is reused", async (test) => {
    const server = await withServer(test, (_r, res) => res.writeHead(200).end('{"ok":true}'));
    let connections = 0;
    server.server.on("connection", () => (connections += 1));
    const { t } = transport();
    test.after(() => t.close());
    for (let i = 0; i < 5; i++) {
      const res = await t.send({ method: "GET", url: server.url, headers: {} });
      assert.equal(res.body, '{"ok":true}');
      assert.equal(res.bodyTruncated, false);
    }
    // undici may open a second socket while the first is handed back; never one per request.
    assert.ok(connections <= 2, `${connections} connections for five requests`);
  });

  it("no headers within the timeout: retried, then UnavailableError 'timed out'", async (test) => {
    const server = await withServer(test, () => {});
    const { t } = transport({ timeoutMs: 200, retries: 1 });
    test.after(() => t.close());
    const started = performance.now();
    await assert.rejects(
      t.send({ method: "GET", url: server.url, headers: {} }),
      (e: unknown) =>
        e instanceof UnavailableError &&
        /timed out after 200ms \(after 2 attempts\)/.test(e.message),
    );
    assert.equal(server.requests.length, 2);
    // 2 × 200 ms and a tiny backoff; 25× that, so a loaded CI machine cannot flake it.
    assert.ok(performance.now() - started < 10_000);
  });
});

describe("transport: HttpResponse.durationMs", () => {
  it("is the final attempt's own time, not the retries' nor the waits'", async (test) => {
    const server = await withServer(test, (_r, res, i) => {
      if (i === 0) res.writeHead(503, { "retry-after": "1" }).end();
      else setTimeout(() => res.writeHead(204).end(), 50);
    });
    const { t } = transport({ timeoutMs: 5000 });
    test.after(() => t.close());
    const started = performance.now();
    const res = await t.send({ method: "GET", url: server.url, headers: {} });
    const total = performance.now() - started;
    assert.equal(res.attempts, 2);
    assert.ok(total >= 1000, `total ${total}ms`);
    // Not the 1 s wait, nor the first attempt: no absolute threshold, the two cannot overlap.
    assert.ok(res.durationMs >= 45 && res.durationMs <= total - 1000, `${res.durationMs}ms`);
  });
});

describe("transport: userinfo in the URL", () => {
  it("is sent as Basic authentication, and masked in what is printed", async (test) => {
    const server = await withServer(test, (_r, res) => res.writeHead(500).end());
    const redactor = new Redactor();
    const logs: string[] = [];
    const { t } = transport({ redactor, retries: 0, onAttempt: (l) => logs.push(l.url) });
    test.after(() => t.close());
    const url = new URL(server.url);
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
  });
});
