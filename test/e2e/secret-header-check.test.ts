import assert from "node:assert/strict";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { useTempHome, withServer } from "../helpers/scoped.js";

const LINE_ONE = "FirstLineOfTheKey0000";
const LINE_TWO = "SecondLineOfTheKey000";

describe("a secret that cannot be a header value: exit 3 before sending (end to end)", () => {
  const home = useTempHome();

  it("an Eventhos access-key file of two lines: no request, no retry, the value never shown", async (t) => {
    const server = await withServer(t, (_req, res) => res.writeHead(200).end("{}"));
    const file = join(home.home, "key");
    await writeFile(file, `${LINE_ONE}\n${LINE_TWO}\n`, { mode: 0o600 });
    const env = { ...home.env, EVSEND_EVENTHOS_URL: server.url, EVSEND_EVENTHOS_EVENT: "ev" };
    for (const args of [
      ["eventhos", "send", "--access-key-file", file, "{}"],
      ["--json", "eventhos", "send", "--access-key-file", file, "--ndjson", "-"],
    ]) {
      const r = await runEvsend(args, { env, stdin: "{}\n{}\n" });
      assert.equal(r.code, 3, r.stderr);
      assert.equal(server.requests.length, 0, "no request, so no retries");
      assert.match(
        r.stderr,
        /^error: the access-key header cannot be sent: it holds a line break \(U\+000A\) at character 22 \(it has 2 lines\)$/m,
      );
      assert.match(r.stderr, /^hint: .*a file of two lines/m);
      assert.ok(!/FirstLine|SecondLine|could not reach|INVALID_ARG/.test(r.stderr + r.stdout));
    }
    assert.equal(server.requests.length, 0);
  });

  it("a Databoom token with a zero-width space", async (t) => {
    const server = await withServer(t, (_req, res) => res.writeHead(200).end("{}"));
    const env = {
      ...home.env,
      EVSEND_DATABOOM_URL: `${server.url}/v1`,
      EVSEND_DATABOOM_TOKEN: "Databoom\u200bToken0000",
      EVSEND_DATABOOM_DEVICE: "dev",
    };
    const r = await runEvsend(["--json", "databoom", "push", "t=1"], { env });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(
      ndjson(r.stdout).at(-1)!.message,
      "the authorization header cannot be sent: it holds the invisible character U+200B at character 16",
    );
    assert.equal(server.requests.length, 0);
  });

  it("a token Eventhos issued with CR LF: exit 3, not used, not cached", async (t) => {
    const server = await withServer(t, (req, res) => {
      if (req.url === "/auth/token") {
        res.writeHead(201, { "content-type": "application/json" });
        res.end(JSON.stringify({ code: 20000, content: { jwt_token: "issued\r\ntoken" } }));
      } else res.writeHead(200).end("{}");
    });
    const env = {
      ...home.env,
      XDG_CACHE_HOME: join(home.home, "cache"),
      EVSEND_EVENTHOS_URL: server.url,
      EVSEND_EVENTHOS_EVENT: "ev",
      EVSEND_EVENTHOS_CLIENT_ID: "c::s",
      EVSEND_EVENTHOS_CLIENT_SECRET: "client-secret-000",
    };
    const r = await runEvsend(["eventhos", "send", "{}"], { env });
    assert.equal(r.code, 3, r.stderr);
    assert.match(
      r.stderr,
      /^error: the token Eventhos issued cannot be sent in the access-key header: it holds a line break \(U\+000D\) at character 7 \(it has 2 lines\)$/m,
    );
    assert.deepEqual(
      server.requests.map((q) => q.url),
      ["/auth/token"],
    );
    // No token cached (evsend keeps its compile cache there, in compile-cache/).
    const cached = await readdir(join(home.home, "cache", "evsend")).catch(() => []);
    assert.deepEqual(
      cached.filter((n) => n !== "compile-cache"),
      [],
    );
  });
});
