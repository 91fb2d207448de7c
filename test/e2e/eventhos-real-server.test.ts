import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { ndjson, runEvsend, type SeenRequest } from "../helpers/spawn.js";
import { useTempHome, withServer } from "../helpers/scoped.js";

const EVENT = "order-created-9O_CE0Lcrz";
const KEY = "L0ng-L1ved-Key-v4lue";

/** Answers as the real eventhos-api 1.0.1 does in the cases its emulator does not reproduce. */
type Handler = (req: SeenRequest, res: ServerResponse, index: number) => void;

/** A JWT-shaped token with an `exp` an hour away, numbered. */
const token = (n: number): string =>
  [
    Buffer.from('{"alg":"HS256"}').toString("base64url"),
    Buffer.from(JSON.stringify({ sub: "c::app", exp: Date.now() / 1000 + 3600, n })).toString(
      "base64url",
    ),
    `sig${n}`,
  ].join(".");

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
};

describe("evsend eventhos send against answers of the real server (end to end)", () => {
  const home = useTempHome();

  /** Runs evsend against a server answering with `handler`; returns the run and the requests. */
  async function against(
    t: TestContext,
    handler: Handler,
    args: string[],
    env: NodeJS.ProcessEnv = {},
    stdin?: string,
  ) {
    const server = await withServer(t, handler);
    const r = await runEvsend(args, {
      env: {
        ...home.env,
        EVSEND_EVENTHOS_URL: server.url,
        EVSEND_EVENTHOS_EVENT: EVENT,
        EVSEND_EVENTHOS_ACCESS_KEY: KEY,
        ...env,
      },
      ...(stdin !== undefined ? { stdin } : {}),
    });
    return { ...r, requests: server.requests };
  }

  it("a 200 carrying code 500000 is not stored: exit 7, the server's words, one request", async (t) => {
    const r = await against(
      t,
      (_req, res) => json(res, 200, { code: 500000, message: "database error, nothing stored" }),
      ["--retries", "0", "eventhos", "send", '{"order": 1}'],
    );
    assert.equal(r.code, 7, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(
      r.stderr,
      /^error: Eventhos refused event "order-created-9O_CE0Lcrz" \(HTTP 200, code 500000\): database error, nothing stored$/m,
    );
    assert.equal(r.requests.length, 1);
  });

  it("a token fetched in the run and revoked before its exp is renewed once, the event resent", async (t) => {
    const issued: string[] = [];
    let sends = 0;
    const r = await against(
      t,
      (req, res) => {
        if (req.url === "/auth/token") {
          issued.push(token(issued.length + 1));
          return json(res, 201, { code: 200000, content: { jwt_token: issued.at(-1) } });
        }
        sends += 1;
        // The server stops taking the first token after two events (its keys were rotated).
        const key = String(req.headers["access-key"]);
        if (key !== issued.at(-1) || (sends > 2 && key === issued[0]))
          return json(res, 401, { code: 401202, message: "Incorrect token", errorUUID: "u-1" });
        json(res, 200, { code: 20000, message: "success" });
      },
      ["--json", "eventhos", "send", "--concurrency", "1", "--ndjson", "-"],
      {
        EVSEND_EVENTHOS_ACCESS_KEY: "",
        EVSEND_EVENTHOS_CLIENT_ID: "c::app",
        EVSEND_EVENTHOS_CLIENT_SECRET: "revoked-S3cret",
        XDG_CACHE_HOME: join(home.home, ".cache"),
      },
      '{"n": 1}\n{"n": 2}\n{"n": 3}\n{"n": 4}\n',
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const summary = ndjson(r.stdout).at(-1)!;
    assert.deepEqual([summary.type, summary.delivered, summary.failed], ["summary", 4, 0]);
    assert.equal(issued.length, 2);
    assert.equal(sends, 5);
    // Every request made is counted: two token requests, four events, one sent again.
    assert.deepEqual([summary.requests, summary.retries], [7, 0]);
  });

  it("when the token request fails, the lines were never sent: not sent, not failed, no requests", async (t) => {
    const r = await against(
      t,
      (_req, res) =>
        json(res, 401, {
          code: 401100,
          message: "Incorrect client credentials",
          errorUUID: "u-2",
        }),
      ["--json", "eventhos", "send", "--ndjson", "-"],
      {
        EVSEND_EVENTHOS_ACCESS_KEY: "",
        EVSEND_EVENTHOS_CLIENT_ID: "c::app",
        EVSEND_EVENTHOS_CLIENT_SECRET: "wrong-S3cret",
        XDG_CACHE_HOME: join(home.home, ".cache"),
      },
      '{"n": 1}\n{"n": 2}\n{"n": 3}\n',
    );
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.equal(r.requests.length, 1);
    const lines = ndjson(r.stdout);
    const summary = lines.at(-1)!;
    assert.deepEqual(
      [summary.type, summary.delivered, summary.failed, summary.requests],
      ["summary", 0, 0, 1],
    );
    const result = lines.find((l) => l.type === "result")!;
    assert.deepEqual((result.ranges as { failed: unknown }).failed, []);
    assert.equal(result.status, "not sent");
  });

  it("an 8 MiB event answered 500 with a 16.7 MiB error body: code and errorUUID shown, not retried, exit 1", async (t) => {
    const uuid = "0b7e6a52-4c1e-4d53-9a43-2f9d1c0e7a11";
    // As eventhos-api 1.0.1: the row it failed to insert, in hex, then the code at the very end.
    const dump = `{"error":{"sql":"insert into received_event values (x'${"7b22".repeat(4_180_000)}')"}`;
    const tail = `,"message":"ER_DATA_TOO_LONG: Data too long for column 'data' at row 1","code":500202,"errorUUID":"${uuid}"}`;
    const file = join(home.home, "big.json");
    await writeFile(file, JSON.stringify({ blob: "x".repeat(8 * 1024 * 1024) }));
    const started = performance.now();
    const r = await against(
      t,
      (_req, res) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(dump + tail);
      },
      ["eventhos", "send", "--max-body", "10m", "--data-file", file],
    );
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.requests.length, 1);
    assert.ok(performance.now() - started < 8000);
    assert.match(
      r.stderr,
      new RegExp(
        `^error: Eventhos could not store event "${EVENT}" \\(8\\.0 MiB\\): it is too large for the server's database row \\(HTTP 500, code 500202, errorUUID ${uuid}\\): ER_DATA_TOO_LONG: Data too long for column 'data' at row 1$`,
        "m",
      ),
    );
    assert.doesNotMatch(r.stderr, /7b227b22|try again later/);
    assert.match(r.stderr, /^hint: .*send it in smaller events/m);
  });
});
