import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { httpCall, spawnEmulator, type EmulatorProcess } from "../helpers/emulator.js";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { useTempHome, withServer } from "../helpers/scoped.js";

/** A made-up test token: it must never appear in anything evsend prints. */
const TOKEN = "made-up-history-oauth-2b7e41";
const OK = '{"message":"ALL_INFO_PROCESSED"}';

function assertNoToken(...texts: string[]): void {
  for (const text of texts) assert.ok(!text.includes(TOKEN), `token leaked in: ${text}`);
}

const at = (minute: number): string => new Date(Date.UTC(2024, 4, 1, 0, minute)).toISOString();

describe("evsend databoom history (end to end)", () => {
  const home = useTempHome();
  let env: NodeJS.ProcessEnv;
  let emulator: EmulatorProcess;
  const file = (name: string): string => join(home.home, name);

  /** What the emulator recorded, as "signal@date=value" strings, in arrival order. */
  async function received(): Promise<string[]> {
    const listing = await httpCall(`${emulator.url}/_emulator/events?limit=10000`, "GET");
    const { events } = JSON.parse(listing.body) as {
      events: Array<{ mode: string; event: { signal: string; date: string; value: unknown } }>;
    };
    return events.map(({ mode, event }) => {
      assert.equal(mode, "history");
      return `${event.signal}@${event.date}=${String(event.value)}`;
    });
  }

  before(async () => {
    emulator = await spawnEmulator(home.env, ["--databoom-token", TOKEN]);
    env = {
      ...home.env,
      EVSEND_DATABOOM_TOKEN: TOKEN,
      EVSEND_DATABOOM_URL: `${emulator.url}/v1`,
      EVSEND_DATABOOM_DEVICE: "dev-42",
    };
    await writeFile(
      file("long.csv"),
      `\uFEFFdate,signal,value\r\n${at(0)},temp,21.5\r\n${at(1)},"temp",21.75\r\n`,
    );
    await writeFile(file("wide.csv.gz"), gzipSync(`date,temp,hum\n${at(2)},22,40\n${at(3)},,41\n`));
    await writeFile(
      file("points.ndjson"),
      `{"date":"${at(4)}","signal":"hum","value":42}\n\n{"date":${Date.UTC(2024, 4, 1, 0, 5)},"signal":"temp","value":23}\n`,
    );
    await writeFile(
      file("bad.csv"),
      `date,signal,value\n${at(6)},temp,1\n${at(7)},temp\nnot-a-date,temp,2\n${at(8)},temp,warm\n${at(9)},temp,3\n`,
    );
  });
  beforeEach(() => httpCall(`${emulator.url}/_emulator/events`, "DELETE"));
  after(async () => {
    await emulator.stop();
  });

  it("CSV (long, wide, .gz), NDJSON and stdin: every point received exactly once", async () => {
    const stdin = `date,signal,value\n${at(10)},power,1250\n`;
    const r = await runEvsend(
      ["databoom", "history", "long.csv", "wide.csv.gz", "points.ndjson", "--format", "csv", "-"],
      { env, stdin },
    );
    // --format applies to every input: points.ndjson read as CSV has no usable header.
    assert.equal(r.code, 6, r.stderr);
    const ok = await runEvsend(
      ["-v", "databoom", "history", "long.csv", "wide.csv.gz", "points.ndjson"],
      {
        env,
      },
    );
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /POST http:\/\/127\.0\.0\.1:\d+\/v1\/signals\/push → 200/);
    const piped = await runEvsend(["databoom", "history", "--format", "csv", "-"], { env, stdin });
    assert.equal(piped.code, 0, piped.stderr);
    const got = await received();
    const expected = [
      `temp@${at(0)}=21.5`,
      `temp@${at(1)}=21.75`,
      `temp@${at(2)}=22`,
      `hum@${at(2)}=40`,
      `hum@${at(3)}=41`,
      `hum@${at(4)}=42`,
      `temp@${at(5)}=23`,
      `power@${at(10)}=1250`,
    ];
    // The first run sent long.csv, wide.csv.gz and stdin; the second the three files; the third stdin.
    const firstRun = got.slice(0, 6);
    assert.deepEqual([...firstRun].sort(), [...expected.slice(0, 5), expected[7]!].sort());
    assert.deepEqual([...got.slice(6, 13)].sort(), [...expected.slice(0, 7)].sort());
    assert.deepEqual(got.slice(13), [expected[7]]);
    assert.match(ok.stdout, /^long\.csv: 2 rows, delivered$/m);
    assert.match(ok.stdout, /^wide\.csv\.gz: 2 rows, delivered$/m);
    assert.match(ok.stdout, /^points\.ndjson: 2 rows, delivered$/m);
    assert.match(ok.stdout, /^7 points delivered$/m);
    assert.match(piped.stdout, /^1 point delivered$/m);
    assertNoToken(r.stdout, r.stderr, ok.stdout, ok.stderr, piped.stdout, piped.stderr);
  });

  it("bad rows are reported with file and line, the rest is delivered: exit 6", async () => {
    const r = await runEvsend(["--json", "databoom", "history", "bad.csv"], { env });
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /bad\.csv:3: 2 fields, but the header has 3; not sent/);
    assert.match(r.stderr, /bad\.csv:4: "not-a-date" is not a date/);
    assert.match(
      r.stderr,
      /bad\.csv:5: temp: "warm" is not a number \(--allow-text sends text values\)/,
    );
    const lines = ndjson(r.stdout);
    const result = lines.find((l) => l.type === "result")!;
    assert.equal(result.file, "bad.csv");
    assert.equal(result.rows, 5);
    assert.deepEqual((result.ranges as Record<string, unknown>).rejected, [[3, 5]]);
    assert.deepEqual((result.ranges as Record<string, unknown>).delivered, [
      [2, 2],
      [6, 6],
    ]);
    const summary = lines.at(-1)!;
    assert.equal(summary.type, "summary");
    assert.equal(summary.exitCode, 6);
    assert.equal(summary.points, 2);
    assert.equal(summary.rejected, 3);
    assert.deepEqual(await received(), [`temp@${at(6)}=1`, `temp@${at(9)}=3`]);
    assertNoToken(r.stdout, r.stderr);
  });

  it("nothing valid → exit 5, nothing sent", async () => {
    await writeFile(file("none.ndjson"), '{"date":"x","signal":"a","value":1}\n{oops\n');
    const r = await runEvsend(["databoom", "history", "none.ndjson"], { env });
    assert.equal(r.code, 5, r.stderr);
    assert.deepEqual(await received(), []);
  });

  it("a value nested 100,000 deep: that line rejected (file:line), the others sent, exit 6", async () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    await writeFile(
      file("deep.ndjson"),
      `{"date":"${at(20)}","signal":"a","value":1}\n` +
        `{"date":"${at(21)}","signal":"a","value":${deep}}\n` +
        `{"date":"${at(22)}","signal":"a","value":3}\n`,
    );
    const r = await runEvsend(["databoom", "history", "deep.ndjson"], { env });
    assert.equal(r.code, 6, r.stderr);
    assert.match(
      r.stderr,
      /^warning: deep\.ndjson:2: the JSON nests more than 1000 levels deep; not sent$/m,
    );
    assert.ok(r.stderr.length < 2000, "the message is bounded");
    assert.deepEqual(await received(), [`a@${at(20)}=1`, `a@${at(22)}=3`]);
  });

  it("a row over 1 MiB: rejected with its line, the rows around it and the next file sent", async () => {
    const big = `${at(31)},big,${"9".repeat(1_100_000)}`;
    await writeFile(file("huge.csv"), `date,signal,value\n${at(30)},a,1\n${big}\n${at(32)},a,3\n`);
    await writeFile(file("after.csv"), `date,signal,value\n${at(33)},a,4\n`);
    const r = await runEvsend(["databoom", "history", "huge.csv", "after.csv"], { env });
    assert.equal(r.code, 6, r.stderr);
    assert.match(
      r.stderr,
      /^warning: huge\.csv:3: a line of 1100029 bytes is longer than the 1048576-byte limit of a row; not sent$/m,
    );
    assert.match(r.stdout, /^huge\.csv: 3 rows, partial; delivered lines 2, 4; lines 3 rejected$/m);
    assert.deepEqual(await received(), [`a@${at(30)}=1`, `a@${at(32)}=3`, `a@${at(33)}=4`]);
  });

  it("--batch-points splits requests; every point still arrives once", async () => {
    const rows = Array.from({ length: 25 }, (_, i) => `${at(i)},s${i % 3},${i}`);
    await writeFile(file("many.csv"), `date,signal,value\n${rows.join("\n")}\n`);
    const r = await runEvsend(
      ["--json", "databoom", "history", "--batch-points", "10", "many.csv"],
      {
        env,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    const summary = ndjson(r.stdout).at(-1)!;
    assert.equal(summary.requests, 3);
    assert.equal(summary.points, 25);
    const got = await received();
    assert.equal(got.length, 25);
    assert.equal(new Set(got).size, 25);
  });

  it("--dry-run validates everything and shows the plan without credentials, sending nothing", async () => {
    const r = await runEvsend(
      ["--dry-run", "databoom", "history", "--batch-points", "2", "long.csv", "bad.csv"],
      { env: { ...env, EVSEND_DATABOOM_TOKEN: "" } },
    );
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stdout, /^POST http:\/\/127\.0\.0\.1:\d+\/v1\/signals\/push$/m);
    assert.match(r.stdout, /authorization: \*\*\*\*/);
    assert.match(r.stdout, /2 points: long\.csv lines? 2/);
    assert.match(r.stderr, /bad\.csv:5: temp: "warm" is not a number/);
    assert.deepEqual(await received(), []);
    for (const globals of [["-v"], ["--json"]]) {
      const withToken = await runEvsend(
        [...globals, "--dry-run", "databoom", "history", "long.csv"],
        {
          env,
        },
      );
      assert.equal(withToken.code, 0, withToken.stderr);
      assertNoToken(withToken.stdout, withToken.stderr);
    }
  });

  it("a wrong token: exit 4 with the Publish hint, nothing recorded", async () => {
    const r = await runEvsend(["-v", "databoom", "history", "long.csv"], {
      env: { ...env, EVSEND_DATABOOM_TOKEN: "some-other-made-up-token" },
    });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /Databoom refused the token \(HTTP 401\)/);
    assert.match(r.stderr, /Publish permission/);
    assert.deepEqual(await received(), []);
  });

  it("format problems are usage errors before anything is read or sent", async () => {
    await writeFile(file("points.txt"), "date,signal,value\n");
    const cases: Array<[string[], RegExp]> = [
      [["-"], /reading stdin needs --format/],
      [["long.csv", "points.txt"], /points\.txt: cannot tell its format from its name/],
      [[], /no input/],
      [["--format", "xml", "long.csv"], /Allowed choices are csv, ndjson/],
    ];
    for (const [args, message] of cases) {
      const r = await runEvsend(["databoom", "history", ...args], { env, stdin: "" });
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    assert.deepEqual(await received(), []);
  });
});

describe("evsend databoom history against a test server", () => {
  const home = useTempHome();
  before(async () => {
    await writeFile(
      join(home.home, "p.csv"),
      `date,a,b\n${at(0)},1,2\n${at(1)},3,4\n${at(2)},5,6\n${at(3)},7,8\n`,
    );
  });

  const run = (url: string, ...args: string[]) =>
    runEvsend(
      [
        "--retries",
        "0",
        "--json",
        "databoom",
        "history",
        "--url",
        url,
        "--device",
        "d",
        ...args,
        "p.csv",
      ],
      { env: { ...home.env, EVSEND_DATABOOM_TOKEN: TOKEN } },
    );

  it("sends the documented history body", async (t) => {
    const server = await withServer(t, (_req, res) => res.writeHead(200).end(OK));
    const r = await run(server.url);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.requests.length, 1);
    const req = server.requests[0]!;
    assert.equal(req.url, "/signals/push");
    assert.equal(req.headers.authorization, `Bearer ${TOKEN}`);
    assert.deepEqual(JSON.parse(req.body.toString()), {
      device: "d",
      signals: {
        a: { history: [0, 1, 2, 3].map((m) => ({ date: at(m), value: 2 * m + 1 })) },
        b: { history: [0, 1, 2, 3].map((m) => ({ date: at(m), value: 2 * m + 2 })) },
      },
    });
  });

  it("413 halves the batch, rows stay whole; another 2xx message is a warning", async (t) => {
    const server = await withServer(t, (req, res) => {
      const points = (req.body.toString().match(/"date"/g) ?? []).length;
      if (points > 4) res.writeHead(413).end();
      else res.writeHead(200).end('{"message":"SOME_IGNORED"}');
    });
    // The engine halves a refused batch down to 1/8 of --batch-points.
    const r = await run(server.url, "--batch-points", "8");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.requests.length, 3);
    assert.match(
      r.stderr,
      /delivered, but Databoom took the request \(HTTP 200\) but answered: \{"message":"SOME_IGNORED"\}/,
    );
    const summary = ndjson(r.stdout).at(-1)!;
    assert.equal(summary.points, 8);
  });

  it("a 400 stops the run: exit 1 quoting the answer", async (t) => {
    const server = await withServer(t, (_req, res) =>
      res.writeHead(400).end('{"message":"bad device"}'),
    );
    const r = await run(server.url);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /Databoom rejected the request \(HTTP 400\): \{"message":"bad device"\}/,
    );
    assertNoToken(r.stdout, r.stderr);
  });
});
