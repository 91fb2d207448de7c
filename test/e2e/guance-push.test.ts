import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { httpCall, spawnEmulator, type EmulatorProcess } from "../helpers/emulator.js";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { useTempHome, withServer } from "../helpers/scoped.js";

// Made-up credentials; none of them may ever appear in what evsend prints.
const SECRET = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const API_KEY = "ApiKeySecretMadeUp0123456789abcd";
const PUSH = ["guance", "push"];
const FULL_EVENT = [
  "--status",
  "warning",
  "--title",
  "Disk almost full",
  "--message",
  "/ is at 91%",
  "--date",
  "2025-11-22T08:26:40Z",
  "--check-value",
  "91.5",
  "--tag",
  "host=web-01",
  "--tag",
  "region=eu",
  "--field",
  "ext_team=storage",
  "--extra",
  "ticket=OPS-42",
];

function assertNoSecrets(...texts: string[]): void {
  for (const text of texts) {
    assert.ok(!text.includes(SECRET), `secret leaked in: ${text}`);
    assert.ok(!text.includes(API_KEY), `API key leaked in: ${text}`);
  }
}

interface Listing {
  events: Array<{ service: string; target: Record<string, string>; event: unknown }>;
}

describe("evsend guance push against the emulator", () => {
  const home = useTempHome();
  let emulator: EmulatorProcess;
  let webhook: string;

  before(async () => {
    emulator = await spawnEmulator(home.env, [
      "--guance-secret",
      SECRET,
      "--guance-api-key",
      API_KEY,
    ]);
    webhook = `${emulator.url}/api/v1/push-events/${SECRET}/datakit/push`;
    await writeFile(join(home.home, "key"), `${API_KEY}\n`, { mode: 0o600 });
  });
  beforeEach(() => httpCall(`${emulator.url}/_emulator/events`, "DELETE"));
  after(async () => {
    assert.equal(await emulator.stop(), 130);
    assertNoSecrets(emulator.stderr(), emulator.stdout.join("\n"));
  });

  const recorded = async (): Promise<Listing["events"]> =>
    (JSON.parse((await httpCall(`${emulator.url}/_emulator/events`, "GET")).body) as Listing)
      .events;

  it("a full push with every kind of field: recorded as sent, traceId printed", async () => {
    const env = { ...home.env, EVSEND_GUANCE_URL: webhook, EVSEND_GUANCE_API_KEY: API_KEY };
    const r = await runEvsend([...PUSH, ...FULL_EVENT], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^accepted: 1 event \(HTTP 200, \d+ms, traceId \d{19}\)\n$/);
    assert.equal(r.stderr, "");
    const events = await recorded();
    assert.equal(events.length, 1);
    assert.deepEqual(events[0]!.target, { subUri: "datakit/push" });
    assert.deepEqual(events[0]!.event, {
      event: {
        status: "warning",
        title: "Disk almost full",
        message: "/ is at 91%",
        date: 1763800000,
        check_value: 91.5,
        dimension_tags: { host: "web-01", region: "eu" },
        ext_team: "storage",
      },
      extraData: { ticket: "OPS-42" },
    });
  });

  it("site-less host + --secret-file + --sub-uri + --api-key-file, --message - from stdin", async () => {
    await writeFile(join(home.home, "secret"), SECRET, { mode: 0o600 });
    const r = await runEvsend(
      [
        ...PUSH,
        "--url",
        emulator.url,
        "--secret-file",
        "secret",
        "--sub-uri",
        "/team/app/",
        "--api-key-file",
        "key",
        "--status",
        "info",
        "--message",
        "-",
      ],
      { env: home.env, stdin: "line one\nline two\n" },
    );
    assert.equal(r.code, 0, r.stderr);
    const events = await recorded();
    assert.deepEqual(events[0]!.target, { subUri: "team/app" });
    assert.deepEqual(events[0]!.event, {
      event: { status: "info", message: "line one\nline two" },
    });
  });

  it("--event-json from stdin", async () => {
    const env = { ...home.env, EVSEND_GUANCE_URL: webhook, EVSEND_GUANCE_API_KEY: API_KEY };
    const json =
      '{"event":{"status":"ok","title":"backup done","ext_job":"nightly"},"extraData":{}}';
    const r = await runEvsend([...PUSH, "--event-json", "-"], { env, stdin: json });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((await recorded())[0]!.event, {
      event: { status: "ok", title: "backup done", ext_job: "nightly" },
    });
  });

  it("a secret that matches no monitor: 200 (as Guance), nothing recorded; -v says why", async () => {
    const url = `${emulator.url}/api/v1/push-events/wrong-secret/datakit/push`;
    const env = { ...home.env, EVSEND_GUANCE_URL: url, EVSEND_GUANCE_API_KEY: API_KEY };
    const r = await runEvsend(["-v", ...PUSH, "--status", "ok"], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /Guance silently ignores an event whose secret and subUri match no monitor/,
    );
    assert.ok(!r.stderr.includes("wrong-secret"), r.stderr);
    assert.deepEqual(await recorded(), []);
  });

  it("a refused API key → exit 4 with errorCode and traceId, nothing recorded", async () => {
    await writeFile(join(home.home, "bad-key"), "NotTheKey", { mode: 0o600 });
    const env = { ...home.env, EVSEND_GUANCE_URL: webhook };
    const r = await runEvsend([...PUSH, "--api-key-file", "bad-key", "--status", "ok"], { env });
    assert.equal(r.code, 4, r.stderr);
    assert.match(
      r.stderr,
      /^error: Guance refused the API key \(HTTP 403\): ft\.InvalidAPIKey: invalid API key \(traceId \d{19}\)\nhint: DF-API-KEY must be the Key secret/,
    );
    assert.ok(!r.stderr.includes("NotTheKey"));
    assert.deepEqual(await recorded(), []);
  });

  it("every rule violation reported at once, exit 5, nothing sent", async () => {
    const env = { ...home.env, EVSEND_GUANCE_URL: webhook, EVSEND_GUANCE_API_KEY: API_KEY };
    const r = await runEvsend(
      [
        ...PUSH,
        "--status",
        "warn",
        "--tag",
        "host=a",
        "--field",
        "host=b",
        "--field",
        "_x=1",
        "--field",
        "df_y=2",
        "--field",
        "timestamp=3",
      ],
      { env },
    );
    assert.equal(r.code, 5);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      [
        "error: the event breaks Guance's field rules (5 problems); nothing was sent:",
        '  event.timestamp: "timestamp" is reserved; prefix your own fields, e.g. ext_timestamp',
        '  event.status "warn" is not one of critical, error, warning, info, ok, fatal',
        "  event.host is also a dimension_tags or labels key",
        "  event._x: a user-defined field name must not start with _ or df_",
        "  event.df_y: a user-defined field name must not start with _ or df_",
        "hint: user-defined fields take string values and names like ext_team; see `evsend guance push --help`",
        "",
      ].join("\n"),
    );
    assert.deepEqual(await recorded(), []);
  });

  it("the emulator refuses the same body with the Guance envelope (shared validator)", async () => {
    const r = await httpCall(webhook, "POST", '{"event":{"status":"ok","n":1}}', {
      "content-type": "application/json",
      "df-api-key": API_KEY,
    });
    assert.equal(r.status, 400);
    const body = JSON.parse(r.body) as Record<string, unknown>;
    assert.equal(body.errorCode, "ft.ParamError");
    assert.equal(body.success, false);
    assert.equal(
      body.message,
      "event.n must be a string (user-defined fields take strings), not a number",
    );
  });

  it("the emulator: 404 without secret or subUri, 405 for GET, 400 for a body that is not JSON", async () => {
    const headers = { "content-type": "application/json", "df-api-key": API_KEY };
    const cases: Array<
      [string, string, string | undefined, Record<string, string>, number, string]
    > = [
      [`${emulator.url}/api/v1/push-events/${SECRET}`, "POST", "{}", headers, 404, "ft.NotFound"],
      [webhook, "GET", undefined, headers, 405, "ft.MethodNotAllowed"],
      [webhook, "POST", "{", headers, 400, "ft.ParamError"],
      [
        webhook,
        "POST",
        '{"event":{"status":"ok"}}',
        { "df-api-key": API_KEY },
        400,
        "ft.ParamError",
      ],
      [
        webhook,
        "POST",
        '{"event":{"status":"ok"}}',
        { "content-type": "application/json" },
        403,
        "ft.InvalidAPIKey",
      ],
    ];
    for (const [url, method, body, hdrs, status, code] of cases) {
      const r = await httpCall(url, method, body, hdrs);
      assert.equal(r.status, status, `${method} ${url}: ${r.body}`);
      const envelope = JSON.parse(r.body) as Record<string, unknown>;
      assert.equal(envelope.errorCode, code);
      assert.equal(envelope.success, false);
      assert.equal(envelope.code, status);
      assert.match(String(envelope.traceId), /^\d{19}$/);
    }
    assert.deepEqual(await recorded(), []);
  });

  it("secret and key never printed: -v, --json, --dry-run, errors, webhook URL as a flag", async () => {
    const env = { ...home.env, EVSEND_GUANCE_API_KEY: API_KEY };
    const runs = [
      await runEvsend(["-v", ...PUSH, "--url", webhook, ...FULL_EVENT], { env }),
      await runEvsend(["--json", "-v", ...PUSH, "--url", webhook, "--status", "ok"], { env }),
      await runEvsend(["--dry-run", ...PUSH, "--url", webhook, "--status", "ok"], { env }),
      await runEvsend(["--json", "--dry-run", ...PUSH, "--url", webhook, "--status", "ok"], {
        env,
      }),
      // An error that quotes the URL: nothing listens on port 9.
      await runEvsend(
        [
          "-v",
          "--retries",
          "0",
          ...PUSH,
          "--url",
          `http://127.0.0.1:9/api/v1/push-events/${SECRET}/x`,
          "--status",
          "ok",
        ],
        { env },
      ),
      await runEvsend(
        [
          "--json",
          ...PUSH,
          "--url",
          `${emulator.url}/api/v1/push-events/${SECRET}`,
          "--status",
          "ok",
        ],
        { env },
      ),
    ];
    for (const r of runs) assertNoSecrets(r.stdout, r.stderr);
    assert.deepEqual(
      runs.map((r) => r.code),
      [0, 0, 0, 0, 7, 2],
    );
    // The flag holds the secret: evsend says so (ps and history show it).
    assert.match(runs[0]!.stderr, /warning: --url holds the monitor's secret/);
    assert.match(
      runs[0]!.stderr,
      /POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/push-events\/\*\*\*\*\/datakit\/push → 200/,
    );
    const lines = ndjson(runs[3]!.stdout);
    assert.deepEqual(
      lines.map((l) => l.type),
      ["warning", "request", "summary"],
    );
    const request = lines[1]!;
    assert.match(String(request.url), /\/api\/v1\/push-events\/\*\*\*\*\/datakit\/push$/);
    assert.deepEqual(ndjson(runs[5]!.stdout).at(-1)?.exitCode, 2);
  });

  it("the emulator's --guance-rate-limit: past n a minute, 401 with the rate-limit code → exit 7", async () => {
    const limited = await spawnEmulator(home.env, ["--guance-rate-limit", "1"]);
    try {
      const env = {
        ...home.env,
        EVSEND_GUANCE_URL: `${limited.url}/api/v1/push-events/${SECRET}/p`,
      };
      const first = await runEvsend([...PUSH, "--status", "ok"], { env });
      assert.equal(first.code, 0, first.stderr);
      const second = await runEvsend(["--retries", "0", ...PUSH, "--status", "ok"], { env });
      assert.equal(second.code, 7);
      assert.match(
        second.stderr,
        /^error: Guance rate-limited the request \(HTTP 401\): ft\.TriggerApiWorkspaceCurrentLimiting: too many requests in the last minute \(traceId \d+\)\nhint: Guance allows 20 requests a minute per API key/,
      );
    } finally {
      assert.equal(await limited.stop(), 130);
    }
  });
});

describe("evsend guance push against a test server", () => {
  const home = useTempHome();

  const ok = JSON.stringify({
    code: 200,
    errorCode: "",
    message: "",
    success: true,
    traceId: "7390361544936022329",
  });
  const limited = JSON.stringify({
    code: 401,
    errorCode: "ft.TriggerApiAkCurrentLimiting",
    message: "limited",
    success: false,
    traceId: "1",
  });

  it("DF-API-KEY sent when a key is set, absent otherwise; exact path and body", async (t) => {
    const server = await withServer(t, (_req, res) => res.writeHead(200).end(ok));
    const env = {
      ...home.env,
      EVSEND_GUANCE_URL: server.url,
      EVSEND_GUANCE_SECRET: SECRET,
      EVSEND_GUANCE_SUB_URI: "datakit/push",
    };
    const without = await runEvsend([...PUSH, "--status", "ok"], { env });
    const withKey = await runEvsend([...PUSH, "--status", "ok"], {
      env: { ...env, EVSEND_GUANCE_API_KEY: API_KEY },
    });
    assert.equal(without.code, 0, without.stderr);
    assert.equal(withKey.code, 0, withKey.stderr);
    assert.equal(
      without.stdout,
      "accepted: 1 event (HTTP 200, " +
        /\d+ms/.exec(without.stdout)![0] +
        ", traceId 7390361544936022329)\n",
    );
    const [a, b] = server.requests;
    assert.equal(a!.url, `/api/v1/push-events/${SECRET}/datakit/push`);
    assert.equal(a!.method, "POST");
    assert.equal(a!.headers["content-type"], "application/json;charset=UTF-8");
    assert.equal(a!.headers["df-api-key"], undefined);
    assert.equal(b!.headers["df-api-key"], API_KEY);
    assert.equal(a!.body.toString(), '{"event":{"status":"ok"}}');
  });

  it("a rate-limit answer (401) is retried with backoff, then the success → exit 0", async (t) => {
    const server = await withServer(t, (_req, res, i) =>
      res.writeHead(i < 2 ? 401 : 200).end(i < 2 ? limited : ok),
    );
    const env = {
      ...home.env,
      EVSEND_GUANCE_URL: `${server.url}/api/v1/push-events/${SECRET}/p`,
      EVSEND_GUANCE_API_KEY: API_KEY,
    };
    const r = await runEvsend(["-v", ...PUSH, "--status", "ok"], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.requests.length, 3);
    assert.equal(r.stderr.match(/→ 401 \(\d+ms, attempt \d, retry in \d+ms\)/g)?.length, 2);
    assertNoSecrets(r.stdout, r.stderr);
  });

  it("an invalid API key is not retried → exit 4; another errorCode → exit 1 with errorCode, message, traceId", async (t) => {
    const answers = [
      [
        403,
        {
          code: 403,
          errorCode: "ft.InvalidAPIKey",
          message: "key?",
          success: false,
          traceId: "42",
        },
      ],
      [
        400,
        {
          code: 400,
          errorCode: "ft.SomethingElse",
          message: "nope",
          success: false,
          traceId: "43",
        },
      ],
    ] as const;
    const server = await withServer(t, (_req, res, i) =>
      res.writeHead(answers[i]![0]).end(JSON.stringify(answers[i]![1])),
    );
    const env = {
      ...home.env,
      EVSEND_GUANCE_URL: `${server.url}/api/v1/push-events/${SECRET}/p`,
      EVSEND_GUANCE_API_KEY: API_KEY,
    };
    const auth = await runEvsend([...PUSH, "--status", "ok"], { env });
    const other = await runEvsend(["--json", ...PUSH, "--status", "ok"], { env });
    assert.equal(auth.code, 4);
    assert.equal(other.code, 1);
    assert.equal(server.requests.length, 2);
    assert.match(
      auth.stderr,
      /^error: Guance refused the API key \(HTTP 403\): ft\.InvalidAPIKey: key\? \(traceId 42\)$/m,
    );
    assert.deepEqual(ndjson(other.stdout).at(-1), {
      type: "error",
      exitCode: 1,
      message: "Guance rejected the event (HTTP 400): ft.SomethingElse: nope (traceId 43)",
    });
    assertNoSecrets(auth.stdout, auth.stderr, other.stdout, other.stderr);
  });

  it("--dry-run needs no secret and masks the placeholder; configuration errors are exit 3", async () => {
    const env = { ...home.env, EVSEND_GUANCE_SITE: "us1", EVSEND_GUANCE_SUB_URI: "datakit/push" };
    const dry = await runEvsend(["--dry-run", ...PUSH, "--status", "ok"], { env });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(
      dry.stdout,
      /^POST https:\/\/us1-openapi\.guance\.com\/api\/v1\/push-events\/\*\*\*\*\/datakit\/push\n/,
    );
    const missing = await runEvsend([...PUSH, "--status", "ok"], { env });
    assert.equal(missing.code, 3);
    assert.match(
      missing.stderr,
      /^error: missing Guance secret: set --secret-file, EVSEND_GUANCE_SECRET or guance\.secret/,
    );
    const noSite = await runEvsend([...PUSH, "--status", "ok"], {
      env: { ...home.env, EVSEND_GUANCE_SECRET: SECRET },
    });
    assert.equal(noSite.code, 3);
    assert.match(noSite.stderr, /^error: missing 2 Guance settings, site or URL and subUri:\n/);
    const badSite = await runEvsend([...PUSH, "--site", "us9", "--status", "ok"], { env });
    assert.equal(badSite.code, 2);
    assert.match(badSite.stderr, /^error: unknown Guance site "us9" \(from --site\)/);
  });

  it("webhook URL vs separate fields: the higher layer wins, the same layer disagreeing is exit 3", async (t) => {
    const server = await withServer(t, (_req, res) => res.writeHead(200).end(ok));
    await writeFile(join(home.home, "flag-secret"), "FlagSecret", { mode: 0o600 });
    const env = {
      ...home.env,
      EVSEND_GUANCE_URL: `${server.url}/api/v1/push-events/${SECRET}/from/url`,
    };
    // --secret-file (a flag) beats the secret inside the URL (env); the subUri stays the URL's.
    const flag = await runEvsend([...PUSH, "--secret-file", "flag-secret", "--status", "ok"], {
      env,
    });
    assert.equal(flag.code, 0, flag.stderr);
    assert.equal(server.requests[0]!.url, "/api/v1/push-events/FlagSecret/from/url");
    assert.ok(!flag.stdout.includes("FlagSecret") && !flag.stderr.includes("FlagSecret"));
    // Both from the environment, different: which one was meant is unknown.
    const clash = await runEvsend([...PUSH, "--status", "ok"], {
      env: { ...env, EVSEND_GUANCE_SUB_URI: "other" },
    });
    assert.equal(clash.code, 3);
    assert.match(
      clash.stderr,
      /^error: the Guance subUri is set twice with different values, in env EVSEND_GUANCE_SUB_URI and in env EVSEND_GUANCE_URL\nhint: keep one/,
    );
    const both = await runEvsend([...PUSH, "--status", "ok"], {
      env: { ...env, EVSEND_GUANCE_SITE: "us1" },
    });
    assert.equal(both.code, 3);
    assert.match(
      both.stderr,
      /^error: the Guance site or URL is set twice .*\nhint: keep one: --site for Guance's own sites/,
    );
    assert.equal(server.requests.length, 1);
    assertNoSecrets(clash.stderr, both.stderr);
  });

  it("usage errors: no --status, --event-json with event flags, a bad --date", async () => {
    const env = home.env;
    const cases: Array<[string[], RegExp]> = [
      [[...PUSH], /^error: --status is required \(or the whole event with --event-json\)/],
      [[...PUSH, "--event-json", "{}", "--title", "x"], /--event-json holds the whole event/],
      [[...PUSH, "--status", "ok", "--date", "yesterday"], /"yesterday" is not a date/],
      [[...PUSH, "--status", "ok", "--tag", "novalue"], /"novalue" is not key=value/],
    ];
    for (const [args, message] of cases) {
      const r = await runEvsend(args, { env });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    }
  });
});

describe("evsend guance push in-process (a terminal on stdin)", () => {
  it("--message - from a terminal says how to end it, then pushes (dry run)", async () => {
    const { runInProcess } = await import("../helpers/run-cli.js");
    const r = await runInProcess(
      ["--dry-run", "guance", "push", "--status", "info", "--message", "-"],
      {
        env: { EVSEND_GUANCE_SITE: "cn1", EVSEND_GUANCE_SUB_URI: "p" },
        stdin: "typed\n",
        stdinIsTTY: true,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "reading the message from the terminal; end with Ctrl-D\n");
    assert.match(r.stdout, /body: 45 bytes: \{"event":\{"status":"info","message":"typed"\}\}/);
  });
});
