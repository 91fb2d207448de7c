import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { httpCall, spawnEmulator, type EmulatorProcess } from "../helpers/emulator.js";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { useTempHome } from "../helpers/scoped.js";

const SECRET = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";

describe("one vocabulary: --date now for Guance, delivered in one-event summaries", () => {
  const home = useTempHome();
  let emulator: EmulatorProcess;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    emulator = await spawnEmulator(home.env, ["--guance-secret", SECRET]);
    env = {
      ...home.env,
      EVSEND_GUANCE_URL: `${emulator.url}/api/v1/push-events/${SECRET}/datakit/push`,
      EVSEND_DEVO_ENDPOINT: emulator.url,
      EVSEND_DEVO_DOMAIN: "acme",
      EVSEND_DEVO_TAG: "my.app.test",
      EVSEND_DEVO_TOKEN: "0123456789abcdef0123456789ABCDEF",
      EVSEND_DATABOOM_URL: `${emulator.url}/v1`,
      EVSEND_DATABOOM_DEVICE: "dev-42",
      EVSEND_DATABOOM_TOKEN: "made-up-oauth-token",
    };
  });
  after(async () => {
    await emulator.stop();
  });

  it("guance push --date now: the event carries the current time in seconds", async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await runEvsend(["guance", "push", "--status", "ok", "--date", "now"], { env });
    assert.equal(r.code, 0, r.stderr);
    const listing = JSON.parse(
      (await httpCall(`${emulator.url}/_emulator/events`, "GET")).body,
    ) as {
      events: Array<{ service: string; event: { event: { date?: number } } }>;
    };
    const date = listing.events.find((e) => e.service === "guance")?.event.event.date;
    assert.ok(
      typeof date === "number" && date >= before && date <= Date.now() / 1000 + 1,
      String(date),
    );
  });

  const oneEvent: Array<[string, string[]]> = [
    ["devo send", ["devo", "send", "hi"]],
    ["databoom push", ["databoom", "push", "t=1", "h=2"]],
    ["guance push", ["guance", "push", "--status", "ok"]],
  ];
  for (const [name, args] of oneEvent) {
    it(`${name} --json: the summary says delivered (and still accepted)`, async () => {
      const r = await runEvsend(["--json", ...args], { env, stdin: "x\n" });
      assert.equal(r.code, 0, r.stderr);
      const summary = ndjson(r.stdout).at(-1)!;
      assert.equal(summary.type, "summary");
      assert.ok(typeof summary.delivered === "number" && summary.delivered > 0, r.stdout);
      assert.equal(summary.delivered, summary.accepted);
    });
  }
});
