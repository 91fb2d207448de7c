import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { useTempHome, withServer } from "../helpers/scoped.js";

const KEY = "Cut0ffSecretKey0000000000000Tail";

/** Each service, how it is pointed at `url` with KEY as its secret, and how much it quotes. */
const SERVICES: Array<{
  name: string;
  limit: number;
  args: string[];
  env: (url: string) => object;
}> = [
  {
    name: "devo",
    limit: 500,
    args: ["devo", "send", "--domain", "d", "--tag", "my.app.t", "hi"],
    env: (url) => ({ EVSEND_DEVO_ENDPOINT: url, EVSEND_DEVO_TOKEN: KEY }),
  },
  {
    name: "databoom",
    limit: 500,
    args: ["databoom", "push", "t=1"],
    env: (url) => ({
      EVSEND_DATABOOM_URL: `${url}/v1`,
      EVSEND_DATABOOM_TOKEN: KEY,
      EVSEND_DATABOOM_DEVICE: "dev",
    }),
  },
  {
    name: "guance",
    limit: 300,
    args: ["guance", "push", "--status", "ok"],
    env: (url) => ({
      EVSEND_GUANCE_URL: url,
      EVSEND_GUANCE_SECRET: KEY,
      EVSEND_GUANCE_SUB_URI: "p",
    }),
  },
  {
    name: "eventhos",
    limit: 300,
    args: ["eventhos", "send", "{}"],
    env: (url) => ({
      EVSEND_EVENTHOS_URL: url,
      EVSEND_EVENTHOS_EVENT: "ev",
      EVSEND_EVENTHOS_ACCESS_KEY: KEY,
    }),
  },
];

describe("a server's words are cut after secrets are masked (end to end)", () => {
  const home = useTempHome();

  for (const service of SERVICES) {
    it(`${service.name}: a message that ends with the key (cut at ${service.limit}) shows none of it`, async (t) => {
      // One character more than is quoted: cut first, the key would lose only its last character.
      const body = "x".repeat(service.limit + 1 - KEY.length) + KEY;
      const server = await withServer(t, (_req, res) => res.writeHead(400).end(body));
      const env = { ...home.env, ...service.env(server.url) };
      const human = await runEvsend(service.args, { env });
      assert.equal(human.code, 1, human.stderr);
      assert.ok(!human.stderr.includes(KEY.slice(0, 12)), human.stderr);
      assert.match(human.stderr, /x\*\*\*\*/);
      const json = await runEvsend(["--json", ...service.args], { env });
      const error = ndjson(json.stdout).at(-1)!;
      assert.ok(!String(error.message).includes(KEY.slice(0, 12)), json.stdout);
      assert.match(String(error.message), /x\*\*\*\*/);
    });
  }

  it("eventhos: a key with a tab and two spaces is masked before whitespace is collapsed", async (t) => {
    const key = "Tab\tSecretKey  Two";
    const server = await withServer(t, (_req, res) =>
      res
        .writeHead(400, { "content-type": "application/json" })
        .end(JSON.stringify({ code: 400201, message: `unknown key ${key}` })),
    );
    const env = {
      ...home.env,
      EVSEND_EVENTHOS_URL: server.url,
      EVSEND_EVENTHOS_EVENT: "ev",
      EVSEND_EVENTHOS_ACCESS_KEY: key,
    };
    const r = await runEvsend(["eventhos", "send", "{}"], { env });
    assert.equal(r.code, 1, r.stderr);
    assert.ok(!r.stderr.includes("SecretKey"), r.stderr);
    assert.match(r.stderr, /unknown key \*\*\*\*/);
  });

  it("eventhos --json: a 200 whose response echoes the key as a key shows it masked", async (t) => {
    const server = await withServer(t, (req, res) =>
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(
          JSON.stringify({ code: 20000, headers: { [String(req.headers["access-key"])]: "seen" } }),
        ),
    );
    const env = {
      ...home.env,
      EVSEND_EVENTHOS_URL: server.url,
      EVSEND_EVENTHOS_EVENT: "ev",
      EVSEND_EVENTHOS_ACCESS_KEY: KEY,
    };
    const r = await runEvsend(["--json", "eventhos", "send", "{}"], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(KEY.slice(0, 12)), r.stdout);
    assert.deepEqual(ndjson(r.stdout)[0]!.response, { code: 20000, headers: { "****": "seen" } });
  });
});
