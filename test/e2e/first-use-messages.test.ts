import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { HEADER_FORMS } from "../../src/services/databoom/csv-rows.js";
import { spawnEmulator } from "../helpers/emulator.js";
import { runEvsend } from "../helpers/spawn.js";
import { useTempHome, withServer } from "../helpers/scoped.js";

// Nothing here reaches a server: each run fails on its input before sending (port 9 is unused).
/** A loopback Databoom that accepts everything, and the environment that points evsend at it. */
async function databoomSink(t: TestContext, homeEnv: NodeJS.ProcessEnv) {
  const server = await withServer(t, (_r, res) =>
    res
      .writeHead(200, { "content-type": "application/json" })
      .end('{"message":"ALL_INFO_PROCESSED"}'),
  );
  const env = {
    ...homeEnv,
    EVSEND_DATABOOM_URL: `${server.url}/v1`,
    EVSEND_DATABOOM_DEVICE: "dev-42",
    EVSEND_DATABOOM_TOKEN: "made-up-oauth-token",
  };
  return { server, env };
}

describe("first-use messages say how to fix it", () => {
  const home = useTempHome();
  const eventhos = (): NodeJS.ProcessEnv => ({
    ...home.env,
    EVSEND_EVENTHOS_URL: "http://127.0.0.1:9",
    EVSEND_EVENTHOS_EVENT: "order-created",
    EVSEND_EVENTHOS_ACCESS_KEY: "made-up-access-key",
  });

  it('eventhos send {"order": 42} unquoted (two arguments): quote it, or --data-file', async () => {
    const r = await runEvsend(["eventhos", "send", "{order:", "42}"], { env: eventhos() });
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      "error: too many arguments for 'send'. Expected 1 argument but got 2.\n" +
        `hint: quote JSON on the command line ('{"order": 42}'): unquoted, the shell splits it at spaces and drops its quotes; or read it from a file with --data-file <path>; run \`evsend eventhos send --help\` for usage\n`,
    );
  });

  it("eventhos send order.json: did you mean --data-file order.json?", async () => {
    const r = await runEvsend(["eventhos", "send", "order.json"], { env: eventhos() });
    assert.equal(r.code, 5);
    assert.match(
      r.stderr,
      /^hint: did you mean --data-file order\.json\? The argument is the event's JSON itself; nothing was sent$/m,
    );
    const ndjson = await runEvsend(["eventhos", "send", "orders.ndjson"], { env: eventhos() });
    assert.match(ndjson.stderr, /^hint: did you mean --ndjson orders\.ndjson\?/m);
  });

  it("eventhos send --data-file nosuch.json: no such file, as everywhere", async () => {
    const r = await runEvsend(["eventhos", "send", "--data-file", "nosuch.json"], {
      env: eventhos(),
    });
    assert.equal(r.code, 5);
    assert.equal(r.stderr, "error: cannot read nosuch.json: no such file\n");
  });

  it("a semicolon CSV: one row, the delimiter named, no doubled 'not sent'; --delimiter ';' sends it", async (t) => {
    const { server, env } = await databoomSink(t, home.env);
    await writeFile(join(home.home, "semi.csv"), "Date;Temp\n2024-05-01T12:00:00Z;21.5\n");
    const r = await runEvsend(["databoom", "history", "semi.csv"], { env });
    assert.equal(r.code, 5, r.stderr);
    assert.equal(
      r.stderr,
      `warning: semi.csv:2: the header (line 1) is unusable: the header has no date column (${HEADER_FORMS}); its fields seem separated by ";": pass --delimiter ';'; not sent\n`,
    );
    assert.match(r.stdout, /^semi\.csv: 1 row, failed; lines 2 rejected\n/);
    assert.match(r.stdout, /^delivered 0 of 1 rows from 1 file/m);
    assert.equal(server.requests.length, 0);
    const ok = await runEvsend(["databoom", "history", "--delimiter", ";", "semi.csv"], { env });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(server.requests.length, 1);
    const bad = await runEvsend(["databoom", "history", "--delimiter", ";;", "semi.csv"], { env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /is not a field separator: give one character such as ";" or tab/);
  });

  it("--quiet and exit 6: the warning and one summary line survive (what cron mails)", async (t) => {
    const { env } = await databoomSink(t, home.env);
    await writeFile(
      join(home.home, "readings.csv"),
      "date,temp\n2024-05-01T12:00:00Z,21.5\n2024-05-01T12:01:00Z,warm\n",
    );
    const r = await runEvsend(["-q", "databoom", "history", "readings.csv"], { env });
    assert.equal(r.code, 6, r.stderr);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      'warning: readings.csv:3: temp: "warm" is not a number (--allow-text sends text values); not sent\n' +
        "delivered 1 of 2 rows from 1 file in 1 request (0 empty skipped, 1 rejected, 0 retries)\n",
    );
  });

  it("-v names each value's real source: flag, variable, profile in FILE, default", async (t) => {
    t.after(() => rm(file));
    const file = await home.writeConfig(
      "defaultProfile: prod\nprofiles:\n  prod:\n    devo: { endpoint: eu, tag: my.app.web }\n",
    );
    const r = await runEvsend(["-v", "-n", "devo", "send", "--domain", "acme", "hi"], {
      env: { ...home.env, EVSEND_DEVO_ENDPOINT: "http://127.0.0.1:9" },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `^devo settings: endpoint from env EVSEND_DEVO_ENDPOINT, domain from --domain, tag from profile "prod" in ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, host from the default, gzip from the default$`,
        "m",
      ),
    );
    assert.match(
      r.stderr,
      /^devo endpoint http:\/\/127\.0\.0\.1:9 \(from env EVSEND_DEVO_ENDPOINT\)$/m,
    );
    assert.doesNotMatch(r.stderr, /\(profile prod\)/);
  });

  it("evsend -q emulate --port 0 still prints its address (the command's output)", async () => {
    const emulator = await spawnEmulator(home.env, [], ["-q"]);
    try {
      assert.match(emulator.stdout[0] ?? "", /^listening on http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await emulator.stop();
    }
  });
});
