import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { httpCall, spawnEmulator, type EmulatorProcess } from "../helpers/emulator.js";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { useTempHome, withServer } from "../helpers/scoped.js";

/** A made-up test token: it must never appear in anything evsend prints. */
const TOKEN = "made-up-databoom-oauth-7f3a9c";
const OK = '{"message":"ALL_INFO_PROCESSED"}';

function assertNoToken(...texts: string[]): void {
  for (const text of texts) assert.ok(!text.includes(TOKEN), `token leaked in: ${text}`);
}

async function events(url: string): Promise<Array<Record<string, unknown>>> {
  const listing = await httpCall(`${url}/_emulator/events`, "GET");
  return (JSON.parse(listing.body) as { events: Array<Record<string, unknown>> }).events;
}

describe("evsend databoom push (end to end)", () => {
  const home = useTempHome();
  let env: NodeJS.ProcessEnv;
  let emulator: EmulatorProcess;
  before(async () => {
    emulator = await spawnEmulator(home.env, ["--databoom-token", TOKEN]);
    env = {
      ...home.env,
      EVSEND_DATABOOM_TOKEN: TOKEN,
      EVSEND_DATABOOM_URL: `${emulator.url}/v1`,
      EVSEND_DATABOOM_DEVICE: "dev-42",
    };
  });
  after(async () => {
    await emulator.stop();
  });

  it("pushes the values to the emulator, which records each point once", async () => {
    await httpCall(`${emulator.url}/_emulator/events`, "DELETE");
    const r = await runEvsend(
      ["-v", "databoom", "push", "--date", "2024-05-01T14:00:00+02:00", "temp=21.5", "hum=40"],
      { env },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^accepted: 2 signals of device dev-42 \(HTTP 200, \d+ms\)\n$/);
    assert.match(r.stderr, /creates a new signal, which may need validating in Databoom/);
    assert.match(r.stderr, /POST http:\/\/127\.0\.0\.1:\d+\/v1\/signals\/push → 200/);
    assertNoToken(r.stdout, r.stderr);
    const got = (await events(emulator.url)).map(({ service, mode, target, event }) => ({
      service,
      mode,
      target,
      event,
    }));
    const date = "2024-05-01T12:00:00.000Z";
    assert.deepEqual(got, [
      {
        service: "databoom",
        mode: "push",
        target: { device: "dev-42" },
        event: { signal: "temp", date, value: 21.5 },
      },
      {
        service: "databoom",
        mode: "push",
        target: { device: "dev-42" },
        event: { signal: "hum", date, value: 40 },
      },
    ]);
    assertNoToken(JSON.stringify(got), emulator.stdout.join("\n"), emulator.stderr());
  });

  it("--json: a result and a summary, no token", async () => {
    const r = await runEvsend(["--json", "databoom", "push", "temp=1"], { env });
    assert.equal(r.code, 0, r.stderr);
    const lines = ndjson(r.stdout);
    assert.deepEqual(
      lines.map((l) => l.type),
      ["result", "summary"],
    );
    assert.deepEqual(lines[0], {
      type: "result",
      service: "databoom",
      mode: "push",
      status: 200,
      attempts: 1,
      device: "dev-42",
      signals: ["temp"],
    });
    assert.equal(lines[1]?.exitCode, 0);
    assertNoToken(r.stdout, r.stderr);
  });

  it("a wrong token: 401 → exit 4 with the Publish permission hint, nothing recorded", async () => {
    await httpCall(`${emulator.url}/_emulator/events`, "DELETE");
    const r = await runEvsend(["-v", "databoom", "push", "temp=1"], {
      env: { ...env, EVSEND_DATABOOM_TOKEN: "another-made-up-token" },
    });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /error: Databoom refused the token \(HTTP 401\)/);
    assert.match(r.stderr, /hint: the OAuth token needs the Publish permission/);
    assert.ok(!r.stderr.includes("another-made-up-token"));
    assert.equal((await events(emulator.url)).length, 0);
  });

  it("the token from --token-file - (stdin), never from argv", async () => {
    const r = await runEvsend(["databoom", "push", "--token-file", "-", "temp=2"], {
      env: { ...env, EVSEND_DATABOOM_TOKEN: "" },
      stdin: `${TOKEN}\n`,
    });
    assert.equal(r.code, 0, r.stderr);
    assertNoToken(r.stdout, r.stderr);
  });

  it("--dry-run shows the request without credentials and sends nothing", async () => {
    await httpCall(`${emulator.url}/_emulator/events`, "DELETE");
    for (const globals of [[], ["--json"], ["-v"]]) {
      const r = await runEvsend([...globals, "--dry-run", "databoom", "push", "temp=3"], {
        env: { ...env, EVSEND_DATABOOM_TOKEN: "" },
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /signals\/push/);
      assert.match(r.stdout, /authorization"?: ?"?\*\*\*\*/);
      assert.match(
        r.stdout,
        /\{\\?"device\\?":\\?"dev-42\\?",\\?"signals\\?":\[\{\\?"name\\?":\\?"temp\\?",\\?"value\\?":3\}\]\}/,
      );
    }
    const withToken = await runEvsend(["-v", "--dry-run", "databoom", "push", "temp=3"], { env });
    assertNoToken(withToken.stdout, withToken.stderr);
    assert.equal((await events(emulator.url)).length, 0);
  });

  it("bad arguments are refused before anything is sent, with the design's exit codes", async () => {
    await httpCall(`${emulator.url}/_emulator/events`, "DELETE");
    const cases: Array<[string[], number, RegExp]> = [
      [["temp"], 2, /"temp" is not signal=value/],
      [["temp=1", "temp=2"], 5, /signal "temp" is given twice/],
      [["=1"], 5, /has no signal name/],
      [["ok=1", "temp=warm"], 5, /argument 2 \("temp=warm"\): "warm" is not a number/],
      [["--date", "yesterday", "temp=1"], 2, /--date: "yesterday" is not a date/],
      [[], 2, /no signals/],
    ];
    for (const [args, code, message] of cases) {
      const r = await runEvsend(["databoom", "push", ...args], { env });
      assert.equal(r.code, code, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    assert.equal((await events(emulator.url)).length, 0);
  });

  it("--allow-text sends text values as JSON strings", async () => {
    await httpCall(`${emulator.url}/_emulator/events`, "DELETE");
    const r = await runEvsend(["databoom", "push", "--allow-text", "state=open", "n=7"], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      (await events(emulator.url)).map((e) => e.event),
      [
        { signal: "state", value: "open" },
        { signal: "n", value: 7 },
      ],
    );
  });

  it("missing device or token → exit 3 saying how to set it", async () => {
    const noDevice = await runEvsend(["databoom", "push", "t=1"], {
      env: { ...env, EVSEND_DATABOOM_DEVICE: "" },
    });
    assert.equal(noDevice.code, 3);
    assert.match(
      noDevice.stderr,
      /missing Databoom device: set --device, EVSEND_DATABOOM_DEVICE or databoom\.device/,
    );
    const noToken = await runEvsend(["databoom", "push", "t=1"], {
      env: { ...env, EVSEND_DATABOOM_TOKEN: "" },
    });
    assert.equal(noToken.code, 3);
    assert.match(
      noToken.stderr,
      /missing Databoom token: set --token-file, EVSEND_DATABOOM_TOKEN or databoom\.token/,
    );
  });

  it("a profile supplies device, URL and token ({ file: … })", async () => {
    const tokenFile = join(home.home, "databoom.token");
    await writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    await home.writeConfig(
      `defaultProfile: lab\nprofiles:\n  lab:\n    databoom: { url: "${emulator.url}/v1", device: dev-lab, token: { file: ${tokenFile} } }\n`,
    );
    try {
      const r = await runEvsend(["databoom", "push", "t=1"], { env: home.env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /of device dev-lab/);
    } finally {
      await home.writeConfig("{}\n");
    }
  });
});

describe("evsend databoom push against odd answers", () => {
  const home = useTempHome();

  const run = (url: string, args: string[] = ["t=1"]) =>
    runEvsend(
      ["--retries", "1", "--json", "databoom", "push", "--url", url, "--device", "d", ...args],
      {
        env: { ...home.env, EVSEND_DATABOOM_TOKEN: TOKEN },
      },
    );

  it("sends exactly the documented request", async (t) => {
    const server = await withServer(t, (_req, res) => res.writeHead(200).end(OK));
    const r = await run(`${server.url}/v1/`, ["b=2", "a=-1.5"]);
    assert.equal(r.code, 0, r.stderr);
    const req = server.requests[0]!;
    assert.equal(req.method, "POST");
    assert.equal(req.url, "/v1/signals/push");
    assert.equal(req.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(req.headers["content-type"], "application/json");
    assert.equal(
      req.body.toString(),
      '{"device":"d","signals":[{"name":"b","value":2},{"name":"a","value":-1.5}]}',
    );
  });

  it("a 2xx with another message: exit 0 with a warning", async (t) => {
    const server = await withServer(t, (_req, res) =>
      res.writeHead(200).end('{"message":"PARTIAL"}'),
    );
    const r = await run(server.url);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /warning: Databoom took the request \(HTTP 200\) but answered: \{"message":"PARTIAL"\}/,
    );
    assert.deepEqual(
      ndjson(r.stdout).map((l) => l.type),
      ["warning", "result", "summary"],
    );
  });

  it("403 → exit 4; 400 → exit 1 quoting the answer; 503 → retried, exit 7", async (t) => {
    const cases: Array<[number, number, RegExp]> = [
      [403, 4, /Publish permission/],
      [400, 1, /Databoom rejected the request \(HTTP 400\): \{"message":"bad"\}/],
      [503, 7, /Databoom is unavailable \(HTTP 503 after 2 attempts\)/],
    ];
    for (const [status, code, message] of cases) {
      const server = await withServer(t, (_req, res) =>
        res.writeHead(status).end('{"message":"bad"}'),
      );
      const r = await run(server.url);
      assert.equal(r.code, code, r.stderr);
      assert.match(r.stderr, message);
      const last = ndjson(r.stdout).at(-1)!;
      assert.equal(last.type, "error");
      assert.equal(last.exitCode, code);
      assertNoToken(r.stdout, r.stderr);
    }
  });
});
