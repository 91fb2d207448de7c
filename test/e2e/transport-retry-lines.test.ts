import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { before, describe, it } from "node:test";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { useTempHome, withServer } from "../helpers/scoped.js";

const DEVO = ["devo", "send", "--domain", "acme", "--tag", "my.app.test", "--host", "h1"];
const FAIL_INVALID_DNS = fileURLToPath(new URL("../helpers/fail-invalid-dns.cjs", import.meta.url));

describe("retries are said as they are scheduled; a host that does not resolve fails fast", () => {
  const home = useTempHome();
  let env: NodeJS.ProcessEnv;
  before(() => {
    env = { ...home.env, EVSEND_DEVO_TOKEN: "0123456789abcdef0123456789ABCDEF" };
  });

  it("503 then 204: one 'retrying in …' line on stderr without -v, none with --quiet", async (t) => {
    let answered = 0;
    const server = await withServer(t, (_r, res) =>
      res.writeHead(answered++ % 2 ? 204 : 503).end(),
    );
    const r = await runEvsend([...DEVO, "--endpoint", server.url, "hi"], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^retrying in \d+(ms|\.\ds): 503 Service Unavailable \(attempt 2 of 6\)\n$/,
    );
    const quiet = await runEvsend(["-q", ...DEVO, "--endpoint", server.url, "hi"], { env });
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stderr, "");
  });

  it("--json: a retry object on stdout before the result, nothing on stderr", async (t) => {
    let answered = 0;
    const server = await withServer(t, (_r, res) => res.writeHead(answered++ ? 204 : 429).end());
    const r = await runEvsend(
      ["--json", "--retries", "2", ...DEVO, "--endpoint", server.url, "hi"],
      { env },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    const [retry, result] = ndjson(r.stdout);
    assert.deepEqual(
      { ...retry, inMs: 0, url: "" },
      {
        type: "retry",
        attempt: 2,
        maxAttempts: 3,
        inMs: 0,
        reason: "429 Too Many Requests",
        status: 429,
        method: "GET",
        url: "",
      },
    );
    assert.equal(result?.type, "result");
  });

  it("an unresolvable host: one quick retry, 'could not resolve host', exit 7", async () => {
    const started = Date.now();
    const r = await runEvsend([...DEVO, "--endpoint", "https://typo.example.invalid", "hi"], {
      env,
      nodeArgs: ["--require", FAIL_INVALID_DNS],
    });
    assert.equal(r.code, 7, r.stderr);
    assert.equal(
      r.stderr,
      [
        "retrying in 250ms: getaddrinfo ENOTFOUND typo.example.invalid (attempt 2 of 6)",
        "error: could not resolve host typo.example.invalid (after 2 attempts)",
        "hint: check the URL/host name (the --url or --endpoint value, its EVSEND_ variable or the profile) for a typo; if it is right, check your DNS or proxy settings",
        "",
      ].join("\n"),
    );
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });
});
