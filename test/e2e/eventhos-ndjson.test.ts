import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { TokenCache } from "../../src/services/eventhos/token-cache.js";
import { httpCall, spawnEmulator, type EmulatorProcess } from "../helpers/emulator.js";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { useTempHome } from "../helpers/scoped.js";

const LINES = [
  '{"order": 1}',
  "",
  "[2, 3]",
  '{"order": }',
  '"just text"',
  '{"big": 12345678901234567890}',
].join("\n");

describe("evsend eventhos send --ndjson (end to end)", () => {
  const home = useTempHome();
  let emulator: EmulatorProcess;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    const config = join(home.home, "eventhos.json");
    await writeFile(
      config,
      JSON.stringify({
        events: { "ev-a": {}, "ev-draft": { contract: false } },
        clients: [
          { id: "c::app", secret: "ndjson-S3cret" },
          { id: "k::app", accessKey: "ndjson-K3y" },
        ],
      }),
    );
    emulator = await spawnEmulator(home.env, ["--eventhos-config", config], ["-v"]);
    env = {
      ...home.env,
      XDG_CACHE_HOME: join(home.home, ".cache"),
      EVSEND_EVENTHOS_URL: emulator.url,
      EVSEND_EVENTHOS_EVENT: "ev-a",
    };
    await writeFile(join(home.home, "orders.ndjson"), LINES + "\n");
  });
  after(async () => {
    await emulator.stop();
  });

  const recorded = async (): Promise<unknown[]> =>
    (
      JSON.parse((await httpCall(`${emulator.url}/_emulator/events`, "GET")).body) as {
        events: Array<{ event: unknown }>;
      }
    ).events.map((e) => e.event);

  it("a bad line is reported with file and line and not sent; the rest is: exit 6", async () => {
    await httpCall(`${emulator.url}/_emulator/events`, "DELETE");
    const r = await runEvsend(["eventhos", "send", "--ndjson", "orders.ndjson"], {
      env: { ...env, EVSEND_EVENTHOS_ACCESS_KEY: "ndjson-K3y" },
    });
    assert.equal(r.code, 6, r.stderr);
    assert.equal(
      r.stderr,
      [
        'warning: orders.ndjson:4: invalid JSON at column 11: unexpected "}": expected a value; not sent',
        "warning: orders.ndjson:5: the event must be a JSON object or array, not a string; not sent",
        "",
      ].join("\n"),
    );
    assert.match(
      r.stdout,
      /^orders\.ndjson: 5 events, partial; delivered lines 1-3, 6; lines 4-5 rejected\n/,
    );
    assert.match(r.stdout, /delivered 3 of 5 events from 1 file in 3 requests/);
    const events = await recorded();
    assert.equal(events.length, 3);
    assert.deepEqual(
      new Set(events.map((e) => JSON.stringify(e))),
      new Set(['{"order":1}', "[2,3]", '{"big":12345678901234567000}']),
    );
  });

  it("200310 events are counted as warned, with line ranges, in --json", async () => {
    const r = await runEvsend(
      ["--json", "eventhos", "send", "--event", "ev-draft", "--ndjson", "orders.ndjson"],
      { env: { ...env, EVSEND_EVENTHOS_ACCESS_KEY: "ndjson-K3y" } },
    );
    assert.equal(r.code, 6, r.stderr);
    const lines = ndjson(r.stdout);
    const result = lines.find((l) => l.type === "result")!;
    assert.deepEqual(result.ranges, {
      delivered: [],
      warned: [
        [1, 3],
        [6, 6],
      ],
      failed: [],
      rejected: [[4, 5]],
      notSent: [],
    });
    const summary = lines.at(-1)!;
    assert.equal(summary.type, "summary");
    assert.deepEqual([summary.warned, summary.rejected, summary.failed], [3, 2, 0]);
    assert.equal(lines.filter((l) => /no contract is bound/.test(String(l.message))).length, 3);
  });

  it("client credentials: one token for every event, sent concurrently", async () => {
    const tokenCalls = (): number => emulator.stderr().match(/POST \/auth\/token →/g)?.length ?? 0;
    const before = tokenCalls();
    const many = Array.from({ length: 12 }, (_, i) => JSON.stringify({ n: i })).join("\n");
    const r = await runEvsend(["eventhos", "send", "--concurrency", "4", "--ndjson", "-"], {
      env: {
        ...env,
        EVSEND_EVENTHOS_CLIENT_ID: "c::app",
        EVSEND_EVENTHOS_CLIENT_SECRET: "ndjson-S3cret",
      },
      stdin: many,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^stdin: 12 events, delivered\n/);
    assert.equal(tokenCalls(), before + 1);
  });

  it("a stale cached token refused by concurrent sends is renewed once, every event retried", async () => {
    const cache = new TokenCache(join(home.home, ".cache", "evsend"), () => {});
    const stale = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjOjphcHAifQ.c3RhbGU";
    assert.equal(
      await cache.write(emulator.url, "c::app", stale, Date.now() + 3_600_000),
      undefined,
    );
    const tokenCalls = (): number => emulator.stderr().match(/POST \/auth\/token →/g)?.length ?? 0;
    const before = tokenCalls();
    const many = Array.from({ length: 8 }, (_, i) => JSON.stringify({ retry: i })).join("\n");
    const r = await runEvsend(["eventhos", "send", "--concurrency", "4", "--ndjson", "-"], {
      env: {
        ...env,
        EVSEND_EVENTHOS_CLIENT_ID: "c::app",
        EVSEND_EVENTHOS_CLIENT_SECRET: "ndjson-S3cret",
      },
      stdin: many,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^stdin: 8 events, delivered\n/);
    assert.equal(tokenCalls(), before + 1);
    assert.notEqual(await cache.read(emulator.url, "c::app"), stale);
  });

  it("an event that does not exist fails the run (exit 1), saying so once", async () => {
    const r = await runEvsend(
      ["eventhos", "send", "--event", "nope", "--ndjson", "orders.ndjson"],
      {
        env: { ...env, EVSEND_EVENTHOS_ACCESS_KEY: "ndjson-K3y" },
      },
    );
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /the event does not exist \(HTTP 400, code 400202/);
  });

  it("--dry-run checks every line and shows each request, without credentials", async () => {
    const r = await runEvsend(["-n", "eventhos", "send", "--ndjson", "orders.ndjson"], { env });
    // The exit code the real run would have: two lines would not be delivered.
    assert.equal(r.code, 6, r.stderr);
    assert.equal(r.stdout.match(/^POST .*\/event\/send\?event-identifier=ev-a$/gm)?.length, 3);
    assert.equal(r.stdout.match(/^ {2}access-key: \*\*\*\*$/gm)?.length, 3);
    assert.match(r.stdout, /^ {2}orders\.ndjson line 6$/m);
    assert.match(r.stderr, /orders\.ndjson:4: invalid JSON/);
  });

  it("--ndjson with a json argument, or --concurrency without --ndjson, is a usage error", async () => {
    const both = await runEvsend(
      ["eventhos", "send", "--data-file", "x.json", "--ndjson", "orders.ndjson"],
      { env },
    );
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--ndjson reads the events from its inputs/);
    const alone = await runEvsend(["eventhos", "send", "--concurrency", "2", "{}"], { env });
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /--concurrency applies to --ndjson only/);
  });
});
