import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Redactor } from "../../src/transport/redact.js";
import { createTransport } from "../../src/transport/send.js";
import { withServer } from "../helpers/scoped.js";

const transport = () =>
  createTransport({
    timeoutMs: 5000,
    retries: 3,
    userAgent: "evsend/test",
    env: {},
    redactor: new Redactor(),
    random: () => 0.01,
  });

describe("long error bodies (SendOptions.errorBodyBytes) and permanent failures", () => {
  it("reads an error body to its end, keeping its first and last 8 KiB", async (test) => {
    const body = `HEAD${"x".repeat(3_000_000)}{"code":500202,"errorUUID":"u-9"}`;
    const server = await withServer(test, (_r, res) => res.writeHead(500).end(body));
    const t = transport();
    test.after(() => t.close());
    const request = { method: "POST" as const, url: `${server.url}/x`, headers: {}, body: "b" };
    const plain = await t.send(request, { permanent: () => true });
    assert.equal(plain.bodyTail, undefined);
    const read = await t.send(request, {
      errorBodyBytes: 64 * 1024 * 1024,
      permanent: () => true,
    });
    assert.equal(read.body.length, 8192);
    assert.ok(read.body.startsWith("HEAD"));
    assert.equal(read.bodyTail?.length, 8192);
    assert.ok(read.bodyTail?.endsWith('{"code":500202,"errorUUID":"u-9"}'));
    assert.equal(read.bodyBytes, body.length);
    const capped = await t.send(request, { errorBodyBytes: 100_000, permanent: () => true });
    assert.ok(!capped.bodyTail?.includes("500202"), "stops at the cap");
  });

  it("permanent: a 5xx it marks is returned at once, never retried", async (test) => {
    const server = await withServer(test, (_r, res) => res.writeHead(500).end("no"));
    const t = transport();
    test.after(() => t.close());
    const request = { method: "POST" as const, url: `${server.url}/x`, headers: {}, body: "b" };
    const once = await t.send(request, { permanent: (r) => r.status === 500 });
    assert.deepEqual([once.status, once.attempts, server.requests.length], [500, 1, 1]);
  });
});
