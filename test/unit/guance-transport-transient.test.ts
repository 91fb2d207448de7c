// The shared transport's `transient` hook, which Guance uses to retry its 401 rate-limit answers.
import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import { Redactor } from "../../src/transport/redact.js";
import { createTransport } from "../../src/transport/send.js";
import { withServer } from "../helpers/scoped.js";

function transport() {
  return createTransport({
    timeoutMs: 2000,
    retries: 3,
    userAgent: "evsend/test",
    env: {},
    redactor: new Redactor(),
    random: () => 0.01, // near-zero jitter keeps the test fast
  });
}

/** A server answering `answers` in order (status, body), the last one repeated, for one test. */
async function withAnswers(
  test: TestContext,
  answers: Array<[number, string]>,
  run: (url: string, count: () => number) => Promise<void>,
): Promise<void> {
  const server = await withServer(test, (_r, res, i) => {
    const [status, body] = answers[Math.min(i, answers.length - 1)]!;
    res.writeHead(status).end(body);
  });
  await run(server.url, () => server.requests.length);
}

const limited = (body: string): boolean => body.includes("limited");

describe("transport: a service may mark a response transient", () => {
  it("a 401 marked transient is retried until the success", async (test) => {
    await withAnswers(
      test,
      [
        [401, "limited"],
        [401, "limited"],
        [200, "ok"],
      ],
      async (url, count) => {
        const t = transport();
        const res = await t.send(
          { method: "POST", url, headers: {}, body: "x" },
          { transient: (r) => limited(r.body) },
        );
        assert.equal(res.status, 200);
        assert.equal(res.attempts, 3);
        assert.equal(count(), 3);
        assert.equal(t.stats.retries, 2);
        await t.close();
      },
    );
  });

  it("without the hook (or when it says no) a 401 is final: backward compatible", async (test) => {
    for (const options of [undefined, { transient: () => false }]) {
      await withAnswers(test, [[401, "limited"]], async (url, count) => {
        const t = transport();
        const res = await t.send({ method: "POST", url, headers: {}, body: "x" }, options);
        assert.equal(res.status, 401);
        assert.equal(count(), 1);
        await t.close();
      });
    }
  });

  it("the hook only adds retries: a 503 is retried even when it says no", async (test) => {
    await withAnswers(
      test,
      [
        [503, ""],
        [200, ""],
      ],
      async (url, count) => {
        const t = transport();
        const res = await t.send(
          { method: "POST", url, headers: {}, body: "x" },
          { transient: () => false },
        );
        assert.equal(res.status, 200);
        assert.equal(count(), 2);
        await t.close();
      },
    );
  });

  it("retries marked transient stop at --retries like any other", async (test) => {
    await withAnswers(test, [[401, "limited"]], async (url, count) => {
      const t = transport();
      const res = await t.send(
        { method: "POST", url, headers: {}, body: "x" },
        { transient: (r) => limited(r.body) },
      );
      assert.equal(res.status, 401);
      assert.equal(res.attempts, 4);
      assert.equal(count(), 4);
      await t.close();
    });
  });
});
