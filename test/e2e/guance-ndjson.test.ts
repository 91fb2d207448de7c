import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it, type TestContext } from "node:test";
import { gzipSync } from "node:zlib";
import { httpCall, spawnEmulator, type EmulatorProcess } from "../helpers/emulator.js";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { useTempHome, withServer } from "../helpers/scoped.js";

const SECRET = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const API_KEY = "BulkApiKeyMadeUp0123456789abcdef";

const LINES = [
  '{"status":"ok","title":"one"}',
  '{"status":"warn","_x":1}',
  "not json",
  "",
  '{"event":{"status":"info","dimension_tags":{"host":"h"},"ext_a":"b"},"extraData":{"k":"v"}}',
];

function assertNoSecrets(...texts: string[]): void {
  for (const text of texts) {
    assert.ok(!text.includes(SECRET), `secret leaked in: ${text}`);
    assert.ok(!text.includes(API_KEY), `API key leaked in: ${text}`);
  }
}

describe("evsend guance push --ndjson", () => {
  const home = useTempHome();
  let emulator: EmulatorProcess;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    emulator = await spawnEmulator(home.env, ["--guance-secret", SECRET]);
    env = {
      ...home.env,
      EVSEND_GUANCE_URL: `${emulator.url}/api/v1/push-events/${SECRET}/datakit/push`,
      EVSEND_GUANCE_API_KEY: API_KEY,
    };
    await writeFile(join(home.home, "events.ndjson"), LINES.join("\n") + "\n");
    await writeFile(join(home.home, "more.ndjson.gz"), gzipSync('{"status":"critical"}\n'));
  });
  after(async () => {
    assert.equal(await emulator.stop(), 130);
  });

  it("a bad line is reported with file, line and every violation; the rest is delivered → exit 6", async () => {
    await httpCall(`${emulator.url}/_emulator/events`, "DELETE");
    const r = await runEvsend(
      ["guance", "push", "--ndjson", "events.ndjson", "more.ndjson.gz", "--rate", "6000"],
      { env },
    );
    assert.equal(r.code, 6, r.stderr);
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("warning:"));
    assert.deepEqual(warnings, [
      'warning: events.ndjson:2: event.status "warn" is not one of critical, error, warning, info, ok, fatal; ' +
        "event._x must be a string (user-defined fields take strings), not a number; " +
        "event._x: a user-defined field name must not start with _ or df_; not sent",
      `warning: events.ndjson:3: invalid JSON at column 2: unexpected "o" (Unexpected token 'o', "not json" is not valid JSON); not sent`,
    ]);
    assert.match(
      r.stdout,
      /^events\.ndjson: 4 events, partial; delivered lines 1, 5; lines 2-3 rejected$/m,
    );
    assert.match(r.stdout, /^more\.ndjson\.gz: 1 event, delivered$/m);
    assert.match(r.stdout, /^delivered 3 of 5 events from 2 files in 3 requests/m);
    const listing = JSON.parse(
      (await httpCall(`${emulator.url}/_emulator/events`, "GET")).body,
    ) as {
      events: Array<{ event: unknown }>;
    };
    assert.deepEqual(
      listing.events.map((e) => e.event),
      [
        { event: { status: "ok", title: "one" } },
        {
          event: { status: "info", dimension_tags: { host: "h" }, ext_a: "b" },
          extraData: { k: "v" },
        },
        { event: { status: "critical" } },
      ],
    );
    assertNoSecrets(r.stdout, r.stderr);
  });

  it("stdin, --json: per-file result and a summary with exit 0 when every line is good", async () => {
    const r = await runEvsend(["--json", "guance", "push", "--ndjson", "-", "--rate", "6000"], {
      env,
      stdin: '{"status":"ok"}\n{"status":"error","title":"t"}\n',
    });
    assert.equal(r.code, 0, r.stderr);
    const lines = ndjson(r.stdout);
    assert.deepEqual(
      lines.map((l) => [l.type, l.status ?? l.exitCode]),
      [
        ["result", "delivered"],
        ["summary", 0],
      ],
    );
    assert.equal(lines[1]!.delivered, 2);
    assertNoSecrets(r.stdout, r.stderr);
  });

  it("--dry-run validates every line without credentials and sends nothing", async () => {
    await httpCall(`${emulator.url}/_emulator/events`, "DELETE");
    const dryEnv = { ...home.env, EVSEND_GUANCE_SITE: "cn1", EVSEND_GUANCE_SUB_URI: "p" };
    const r = await runEvsend(["--dry-run", "guance", "push", "--ndjson", "events.ndjson"], {
      env: dryEnv,
    });
    assert.match(r.stderr, /events\.ndjson:2: event\.status "warn"/);
    assert.equal(
      r.stdout.match(/^POST https:\/\/openapi\.guance\.com\/api\/v1\/push-events\/\*\*\*\*\/p$/gm)
        ?.length,
      2,
    );
    assert.match(r.stdout, /would send 2 of 4 events/);
    const listing = JSON.parse(
      (await httpCall(`${emulator.url}/_emulator/events`, "GET")).body,
    ) as {
      events: unknown[];
    };
    assert.deepEqual(listing.events, []);
  });

  it("--ndjson refuses event flags; --rate and --exclude need --ndjson", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["--ndjson", "events.ndjson", "--status", "ok"], /cannot be combined with event flags/],
      [["--ndjson", "events.ndjson", "--event-json", "{}"], /cannot be combined with event flags/],
      [["--status", "ok", "--rate", "5"], /--rate applies to --ndjson only/],
      [["--ndjson", "events.ndjson", "--rate", "0"], /"0" is not a rate/],
    ];
    for (const [args, message] of cases) {
      const r = await runEvsend(["guance", "push", ...args], { env });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    }
  });

  /** Pushes `count` events from stdin to a test server answering with `answer(i)`. */
  async function pushTo(
    t: TestContext,
    count: number,
    rate: string,
    answer: (i: number) => [number, string],
  ): Promise<{ code: number | null; stdout: string; titles: string[]; at: number[] }> {
    const server = await withServer(t, (_req, res, i) => {
      const [status, body] = answer(i);
      res.writeHead(status).end(body);
    });
    const events = Array.from({ length: count }, (_, i) => `{"status":"ok","title":"e${i}"}`);
    const r = await runEvsend(["guance", "push", "--ndjson", "-", "--rate", rate], {
      env: { ...env, EVSEND_GUANCE_URL: `${server.url}/api/v1/push-events/${SECRET}/p` },
      stdin: events.join("\n"),
    });
    assert.equal(r.code, 0, r.stderr);
    const titles = server.requests.map(
      (q) => (JSON.parse(q.body.toString()) as { event: { title: string } }).event.title,
    );
    return { ...r, titles, at: server.requests.map((q) => q.at) };
  }

  const ok = JSON.stringify({ code: 200, errorCode: "", success: true, traceId: "1" });

  it("a rate-limit answer (401) mid-file is retried and the run goes on", async (t) => {
    const limited = JSON.stringify({
      code: 401,
      errorCode: "ft.TriggerApiAkCurrentLimiting",
      success: false,
    });
    const r = await pushTo(t, 4, "6000", (i) => (i === 1 ? [401, limited] : [200, ok]));
    assert.deepEqual(r.titles, ["e0", "e1", "e1", "e2", "e3"]);
    assert.match(r.stdout, /^delivered 4 of 4 events from 1 file in 4 requests .*1 retr/m);
  });

  it("requests are paced by --rate (a lower bound on the spacing only, never an upper one)", async (t) => {
    // A smoke check that --rate reaches the pacer; the spacing itself is tested on a fake clock in
    // test/unit/records-pace.test.ts. 60/min starts the second request 1 s after the first, so it
    // arrives more than 500 ms later unless the first took 500 ms to arrive; unpaced, a few ms.
    const r = await pushTo(t, 2, "60/min", () => [200, ok]);
    assert.deepEqual(r.titles, ["e0", "e1"]);
    const { at } = r;
    assert.ok(
      at[1]! - at[0]! >= 500,
      `requests not paced: ${Math.round(at[1]! - at[0]!)} ms apart`,
    );
  });
});
