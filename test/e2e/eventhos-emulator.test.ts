import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { httpCall, spawnEmulator, type EmulatorProcess } from "../helpers/emulator.js";
import { runEvsend } from "../helpers/spawn.js";
import { useTempHome, withServer, withTempHome } from "../helpers/scoped.js";

const JSON_TYPE = { "content-type": "application/json" };

/** `{ status, code, message }` of a raw call's JSON answer. */
async function call(
  url: string,
  body: string,
  headers: Record<string, string> = JSON_TYPE,
): Promise<{ status: number; code: unknown; message: unknown; body: Record<string, unknown> }> {
  const r = await httpCall(url, "POST", body, headers);
  const parsed = JSON.parse(r.body) as Record<string, unknown>;
  return { status: r.status, code: parsed.code, message: parsed.message, body: parsed };
}

describe("the Eventhos emulator, as the real server answers", () => {
  const home = useTempHome();
  let emulator: EmulatorProcess;
  let open: EmulatorProcess;

  before(async () => {
    const config = join(home.home, "eventhos.json");
    await writeFile(
      config,
      JSON.stringify({
        events: {
          "ev-a": { system: "app" },
          "ev-orphan": { system: "nobody" },
        },
        clients: [
          { id: "c1::app", secret: "s1", system: "app" },
          { id: "c2::other", secret: "s2", system: "other" },
          { id: "k1::app", accessKey: "long-key-1", system: "app" },
          { id: "gone::app", accessKey: "revoked-key", system: "app", revoked: true },
        ],
        expiresIn: 0.001,
        lockoutSeconds: 600,
      }),
    );
    [emulator, open] = await Promise.all([
      spawnEmulator(home.env, ["--eventhos-config", config]),
      spawnEmulator(home.env),
    ]);
  });
  after(async () => {
    await Promise.all([emulator.stop(), open.stop()]);
  });

  const token = async (id: string, secret: string): Promise<ReturnType<typeof call>> =>
    call(
      `${emulator.url}/auth/token`,
      JSON.stringify({ grant_type: "client_credentials", client_id: id, client_secret: secret }),
    );

  it("with no config: any identifier and any made-up key; tokens for any client", async () => {
    const sent = await call(`${open.url}/event/send?event-identifier=whatever-1`, "{}", {
      ...JSON_TYPE,
      "access-key": "made-up",
    });
    assert.deepEqual([sent.status, sent.code], [200, 20000]);
    const t = await call(
      `${open.url}/auth/token`,
      '{"grant_type":"client_credentials","client_id":"x","client_secret":"y"}',
    );
    assert.equal(t.status, 201);
    assert.match(
      String((t.body.content as { jwt_token: string }).jwt_token),
      /^[\w-]+\.[\w-]+\.[\w-]+$/,
    );
  });

  it("the Authorization-header pitfall: 401/400001 before the key is looked at", async () => {
    for (const headers of [
      { ...JSON_TYPE, "access-key": "long-key-1", authorization: "Bearer x" },
      { ...JSON_TYPE, authorization: "Basic eDp5" },
    ]) {
      const r = await call(`${emulator.url}/event/send?event-identifier=ev-a`, "{}", headers);
      assert.deepEqual([r.status, r.code, r.message], [401, 400001, "jwt malformed"]);
      assert.match(String(r.body.errorUUID), /^[0-9a-f-]{36}$/);
    }
    const q = await call(`${emulator.url}/event/send?event-identifier=ev-a&access_token=x`, "{}", {
      ...JSON_TYPE,
      "access-key": "long-key-1",
    });
    assert.deepEqual([q.status, q.code], [401, 400001]);
  });

  it("send codes: 400201, 400202, 401201, 401202, 403201, 404201, 20000", async () => {
    const send = (id: string, key?: string): ReturnType<typeof call> =>
      call(`${emulator.url}/event/send?event-identifier=${id}`, '{"n":1}', {
        ...JSON_TYPE,
        ...(key ? { "access-key": key } : {}),
      });
    const codes = async (id: string, key?: string): Promise<[number, unknown]> => {
      const r = await send(id, key);
      return [r.status, r.code];
    };
    assert.deepEqual(await codes("ev-a"), [400, 400201]);
    assert.deepEqual(await codes("", "long-key-1"), [400, 400201]);
    assert.deepEqual(await codes("no-such", "long-key-1"), [400, 400202]);
    assert.deepEqual(await codes("ev-a", "not-a-key"), [401, 401201]);
    assert.deepEqual(await codes("ev-a", "aaa.bbb.ccc"), [401, 401202]);
    assert.deepEqual(await codes("ev-a", "revoked-key"), [403, 403201]);
    assert.deepEqual(await codes("ev-orphan", "long-key-1"), [404, 404201]);
    assert.deepEqual(await codes("ev-a", "long-key-1"), [200, 20000]);
  });

  it("tokens expire (short expiresIn); another system's token is foreign (401202)", async () => {
    const mine = (await token("c1::app", "s1")).body.content as { jwt_token: string };
    await sleep(20); // past the 1 ms lifetime
    const r = await call(`${emulator.url}/event/send?event-identifier=ev-a`, "{}", {
      ...JSON_TYPE,
      "access-key": mine.jwt_token,
    });
    assert.deepEqual([r.status, r.code], [401, 401202]);
  });

  it("token codes: 201, 403100, 404/401100, 40000x, and the lockout after four wrong secrets", async () => {
    assert.equal((await token("c2::other", "s2")).status, 201);
    const longLived = await token("k1::app", "anything");
    assert.deepEqual([longLived.status, longLived.code], [403, 403100]);
    const unknown = await token("nobody::x", "s");
    assert.deepEqual([unknown.status, unknown.code], [404, 401100]);
    const missing = await call(`${emulator.url}/auth/token`, '{"grant_type":"client_credentials"}');
    assert.equal(missing.status, 400);
    assert.match(String(missing.code), /^40000\d$/);
    for (let i = 0; i < 4; i++) {
      const wrong = await token("c1::app", "wrong");
      assert.deepEqual([wrong.status, wrong.code], [401, 401100]);
    }
    const locked = await token("c1::app", "s1");
    assert.deepEqual(
      [locked.status, locked.code],
      [401, 401100],
      "locked even for the right secret",
    );
  });

  it("JSON-only bodies: other content types store {}; bad JSON and scalars are 400/500000", async () => {
    const url = `${emulator.url}/event/send?event-identifier=ev-a`;
    await httpCall(`${emulator.url}/_emulator/events`, "DELETE");
    const text = await call(url, '{"lost":true}', {
      "content-type": "text/plain",
      "access-key": "long-key-1",
    });
    assert.deepEqual([text.status, text.code], [200, 20000]);
    const listing = JSON.parse(
      (await httpCall(`${emulator.url}/_emulator/events`, "GET")).body,
    ) as {
      events: Array<{ event: unknown }>;
    };
    assert.deepEqual(
      listing.events.map((e) => e.event),
      [{}],
    );
    for (const body of ['{"a":', '"text"', "42"]) {
      const r = await call(url, body, { ...JSON_TYPE, "access-key": "long-key-1" });
      assert.deepEqual([r.status, r.code], [400, 500000], body);
    }
  });

  it("an event too large for its row: 500/500202 after a dump of the row; over 50 MB: 413 unread", async () => {
    const url = `${open.url}/event/send?event-identifier=ev-big`;
    await httpCall(`${open.url}/_emulator/events`, "DELETE");
    const big = JSON.stringify({ blob: "x".repeat(8 * 1024 * 1024) });
    const r = await httpCall(url, "POST", big, { ...JSON_TYPE, "access-key": "made-up" });
    assert.equal(r.status, 500);
    assert.ok(r.body.length > 2 * big.length, `${r.body.length} bytes`);
    const end = JSON.parse(`{${r.body.slice(r.body.lastIndexOf('"message"'))}`) as Record<
      string,
      unknown
    >;
    assert.equal(end.code, 500202);
    assert.match(String(end.errorUUID), /^[0-9a-f-]{36}$/);
    const listing = JSON.parse((await httpCall(`${open.url}/_emulator/events`, "GET")).body) as {
      total: number;
    };
    assert.equal(listing.total, 0);
    // Refused by its Content-Length, before its body is read.
    const declared = await new Promise<number>((resolve, reject) => {
      const req = request(url, {
        method: "POST",
        headers: { ...JSON_TYPE, "access-key": "made-up", "content-length": 60 * 1024 * 1024 },
      });
      req.on("response", (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        req.destroy();
      });
      req.on("error", reject);
      req.write("{");
    });
    assert.equal(declared, 413);
    const sent = await runEvsend(["eventhos", "send", "--max-body", "10m"], {
      env: {
        ...home.env,
        EVSEND_EVENTHOS_URL: open.url,
        EVSEND_EVENTHOS_EVENT: "ev-big",
        EVSEND_EVENTHOS_ACCESS_KEY: "made-up",
      },
      stdin: big,
    });
    assert.equal(sent.code, 1, sent.stderr);
    assert.match(
      sent.stderr,
      /too large for the server's database row \(HTTP 500, code 500202, errorUUID /,
    );
  });

  it("records the event, never the key; Devo's event mode works on the same port", async () => {
    await httpCall(`${emulator.url}/_emulator/events`, "DELETE");
    const env = {
      ...home.env,
      XDG_CACHE_HOME: join(home.home, ".cache"),
      EVSEND_EVENTHOS_ACCESS_KEY: "long-key-1",
      EVSEND_DEVO_TOKEN: "devotoken0000000000000000000000a",
      EVSEND_DEVO_ENDPOINT: emulator.url,
    };
    const eventhos = await runEvsend(
      ["eventhos", "send", "--url", emulator.url, "--event", "ev-a", '{"to":"eventhos"}'],
      { env },
    );
    assert.equal(eventhos.code, 0, eventhos.stderr);
    const devo = await runEvsend(
      ["devo", "send", "--domain", "d", "--tag", "my.app.t", "--host", "send", "to devo"],
      { env },
    );
    assert.equal(devo.code, 0, devo.stderr);
    // A Devo path that starts like Eventhos's is still Devo's: /event/<domain>/token!…/<host>/<tag>.
    const listing = (await httpCall(`${emulator.url}/_emulator/events`, "GET")).body;
    const events = (JSON.parse(listing) as { events: Array<Record<string, unknown>> }).events;
    assert.deepEqual(
      events.map((e) => [e.service, e.mode, e.event]),
      [
        ["eventhos", "event", { to: "eventhos" }],
        ["devo", "event", "to devo"],
      ],
    );
    assert.doesNotMatch(listing, /long-key-1|devotoken/);
  });
});

describe("no Authorization header on any request (a recording server)", () => {
  it("key and client-credential flows send access-key only, whatever the environment holds", async (test) => {
    const jwt = `h.${Buffer.from(JSON.stringify({ exp: Date.now() / 1000 + 7200 })).toString("base64url")}.s`;
    const server = await withServer(test, (req, res) => {
      if (req.url === "/auth/token") {
        res
          .writeHead(201, JSON_TYPE)
          .end(JSON.stringify({ code: 200000, content: { jwt_token: jwt } }));
      } else res.writeHead(200, JSON_TYPE).end('{"code":20000,"message":"success"}');
    });
    const home = await withTempHome(test);
    const env = {
      ...home.env,
      XDG_CACHE_HOME: join(home.home, ".cache"),
      EVSEND_EVENTHOS_URL: server.url,
      EVSEND_EVENTHOS_EVENT: "ev-1",
      // Things that put credentials on requests elsewhere; none may reach Eventhos.
      AUTHORIZATION: "Bearer from-env",
      ACCESS_TOKEN: "from-env",
      EVSEND_EVENTHOS_AUTHORIZATION: "Bearer x",
    };
    const key = await runEvsend(["eventhos", "send", "{}"], {
      env: { ...env, EVSEND_EVENTHOS_ACCESS_KEY: "k-1" },
    });
    assert.equal(key.code, 0, key.stderr);
    const client = await runEvsend(["eventhos", "send", "[]"], {
      env: { ...env, EVSEND_EVENTHOS_CLIENT_ID: "c::a", EVSEND_EVENTHOS_CLIENT_SECRET: "s-1" },
    });
    assert.equal(client.code, 0, client.stderr);
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.url}`),
      [
        "POST /event/send?event-identifier=ev-1",
        "POST /auth/token",
        "POST /event/send?event-identifier=ev-1",
      ],
    );
    for (const req of server.requests) {
      assert.equal(req.headers.authorization, undefined);
      assert.doesNotMatch(req.url, /access_token|access-key/);
      assert.equal(req.headers["content-type"], "application/json");
    }
    assert.equal(server.requests[0]!.headers["access-key"], "k-1");
    assert.equal(server.requests[2]!.headers["access-key"], jwt);
    assert.deepEqual(JSON.parse(server.requests[1]!.body.toString()), {
      grant_type: "client_credentials",
      client_id: "c::a",
      client_secret: "s-1",
    });
    const withUser = await runEvsend(["eventhos", "send", "{}"], {
      env: {
        ...env,
        EVSEND_EVENTHOS_ACCESS_KEY: "k-1",
        EVSEND_EVENTHOS_URL: server.url.replace("//", "//u:pw@"),
      },
    });
    assert.equal(withUser.code, 3);
    assert.match(withUser.stderr, /must not hold a user name or password/);
    assert.equal(server.requests.length, 3);
  });
});
