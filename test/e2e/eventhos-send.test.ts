import assert from "node:assert/strict";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { TokenCache } from "../../src/services/eventhos/token-cache.js";
import { httpCall, spawnEmulator, type EmulatorProcess } from "../helpers/emulator.js";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { useTempHome } from "../helpers/scoped.js";

const EVENT = "order-created-9O_CE0Lcrz";
const CLIENT = "FNUqQzltW17ED4ZE3eAo::usil.app";
const SECRET = "cl1ent-S3cret-v4lue";
const KEY = "L0ng-L1ved-Key-v4lue";
const CONFIG = {
  events: {
    [EVENT]: { contract: true, system: "usil.app" },
    "order-draft-x1": { contract: false, system: "usil.app" },
  },
  clients: [
    { id: CLIENT, secret: SECRET, system: "usil.app" },
    { id: "legacy::usil.app", accessKey: KEY, system: "usil.app" },
    { id: "wrong::usil.app", secret: "the-right-one", system: "usil.app" },
  ],
};

describe("evsend eventhos send against the emulator (end to end)", () => {
  const home = useTempHome();
  let emulator: EmulatorProcess;
  let base: NodeJS.ProcessEnv;
  let cacheDir: string;

  before(async () => {
    const config = join(home.home, "eventhos.json");
    await writeFile(config, JSON.stringify(CONFIG));
    emulator = await spawnEmulator(home.env, ["--eventhos-config", config], ["-v"]);
    cacheDir = join(home.home, ".cache", "evsend");
    base = {
      ...home.env,
      XDG_CACHE_HOME: join(home.home, ".cache"),
      EVSEND_EVENTHOS_URL: emulator.url,
      EVSEND_EVENTHOS_EVENT: EVENT,
    };
  });
  after(async () => {
    await emulator.stop();
  });

  const keyEnv = (): NodeJS.ProcessEnv => ({ ...base, EVSEND_EVENTHOS_ACCESS_KEY: KEY });
  const clientEnv = (id = CLIENT, secret = SECRET): NodeJS.ProcessEnv => ({
    ...base,
    EVSEND_EVENTHOS_CLIENT_ID: id,
    EVSEND_EVENTHOS_CLIENT_SECRET: secret,
  });
  const tokenRequests = (): number => emulator.stderr().match(/POST \/auth\/token →/g)?.length ?? 0;
  const recorded = async (): Promise<Array<Record<string, unknown>>> =>
    (
      JSON.parse((await httpCall(`${emulator.url}/_emulator/events`, "GET")).body) as {
        events: Array<Record<string, unknown>>;
      }
    ).events;
  const clear = (): Promise<unknown> => httpCall(`${emulator.url}/_emulator/events`, "DELETE");
  /** The cached token, read from the cache file (to check it is never printed). */
  const cachedToken = async (): Promise<string> => {
    const file = new TokenCache(cacheDir, () => {}).fileFor(emulator.url, CLIENT);
    return (JSON.parse(await readFile(file, "utf8")) as { token: string }).token;
  };
  const assertHidden = (texts: string[], secrets: string[]): void => {
    for (const secret of secrets)
      for (const text of texts) assert.ok(!text.includes(secret), `a secret leaked in: ${text}`);
  };

  it("access key: the event is stored, the server's answer printed briefly", async () => {
    await clear();
    const r = await runEvsend(["eventhos", "send", '{"order": 42, "status": "created"}'], {
      env: keyEnv(),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(
        `^accepted: event "${EVENT}" stored \\(HTTP 200, code 20000\\), \\d+ms: success\\n$`,
      ),
    );
    assert.equal(r.stderr, "");
    const events = await recorded();
    assert.equal(events.length, 1);
    assert.deepEqual(events[0]!.event, { order: 42, status: "created" });
    assert.deepEqual(events[0]!.target, { event: EVENT, contract: "bound" });
    assertHidden([JSON.stringify(events)], [KEY]);
  });

  it("client credentials: one token over two runs, cached 0600 in $XDG_CACHE_HOME/evsend (0700)", async () => {
    const before = tokenRequests();
    const first = await runEvsend(["-v", "eventhos", "send", '{"run": 1}'], { env: clientEnv() });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /eventhos: new token for .*, valid until /);
    assert.match(first.stderr, /token cache: token saved in /);
    const second = await runEvsend(["-v", "eventhos", "send", '{"run": 2}'], { env: clientEnv() });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /token cache: using the token cached in /);
    assert.doesNotMatch(second.stderr, /auth\/token/);
    await emulator.waitForLine((line) => line.includes('{"run":2}'));
    assert.equal(tokenRequests(), before + 1);
    assert.equal((await stat(cacheDir)).mode & 0o777, 0o700);
    // The token's file (evsend keeps its compile cache beside it, in compile-cache/).
    const [name] = (await readdir(cacheDir)).filter((n) => n !== "compile-cache");
    assert.equal((await stat(join(cacheDir, name!))).mode & 0o777, 0o600);
    assertHidden(
      [first.stdout, first.stderr, second.stdout, second.stderr],
      [SECRET, await cachedToken()],
    );
  });

  it("an unknown key in the profile's eventhos section is warned about once, not per lookup", async () => {
    const dir = join(home.home, ".config", "evsend");
    await mkdir(dir, { recursive: true });
    const file = join(dir, "config.yaml");
    await writeFile(
      file,
      `defaultProfile: ci\nprofiles:\n  ci:\n    eventhos:\n      clientId: ${CLIENT}\n      clientSecret: ${SECRET}\n      colour: blue\n`,
      { mode: 0o600 },
    );
    try {
      const r = await runEvsend(["eventhos", "send", '{"run": 3}'], { env: base });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr.match(/unknown field eventhos\.colour/g)?.length, 1, r.stderr);
      assertHidden([r.stdout, r.stderr], [SECRET]);
    } finally {
      await rm(file);
    }
  });

  it("a cached token answered 401202 is dropped, one new token fetched, the event sent again", async () => {
    // A token the server never issued, cached as if it were valid for an hour.
    const stale = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c3RhbGU";
    const problem = await new TokenCache(cacheDir, () => {}).write(
      emulator.url,
      CLIENT,
      stale,
      Date.now() + 3_600_000,
    );
    assert.equal(problem, undefined);
    await clear();
    const before = tokenRequests();
    const r = await runEvsend(["-v", "eventhos", "send", '{"refresh": true}'], {
      env: clientEnv(),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /send\?event-identifier=\S+ → 401 .*\n.*removed .*\n.*refused \(401202\); getting a new one, once/,
    );
    assert.equal(tokenRequests(), before + 1);
    assert.equal((await recorded()).length, 1);
    const fresh = await cachedToken();
    assert.notEqual(fresh, stale);
    assertHidden([r.stdout, r.stderr], [stale, fresh, SECRET]);
  });

  it("a wrong secret (401100) is never retried, and the error says why", async () => {
    const before = tokenRequests();
    const r = await runEvsend(["eventhos", "send", "{}"], {
      env: clientEnv("wrong::usil.app", "not-the-secret"),
    });
    assert.equal(r.code, 4, r.stderr);
    assert.match(
      r.stderr,
      /^error: Eventhos refused the client credentials \(HTTP 401, code 401100, errorUUID [0-9a-f-]{36}\): Incorrect client credentials$/m,
    );
    assert.match(
      r.stderr,
      /^hint: .*evsend does not retry this: Eventhos locks the client for about 3 minutes after four wrong secrets/m,
    );
    assert.equal(tokenRequests(), before + 1);
    assertHidden([r.stdout, r.stderr], ["not-the-secret"]);
  });

  it("a client with a long-lived key (403100) is told to use it", async () => {
    const r = await runEvsend(["eventhos", "send", "{}"], {
      env: clientEnv("legacy::usil.app", "x-secret"),
    });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /code 403100/);
    assert.match(
      r.stderr,
      /^hint: this client has a long-lived key instead of client credentials: use it \(--access-key-file/m,
    );
  });

  it("no contract bound (203/200310): exit 0 with a warning", async () => {
    const r = await runEvsend(["eventhos", "send", "--event", "order-draft-x1", "[1, 2]"], {
      env: keyEnv(),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr,
      'warning: event "order-draft-x1" was stored, but no contract is bound to it: nothing will run until the administrator adds one\n',
    );
    assert.match(
      r.stdout,
      /^accepted: event "order-draft-x1" stored, no contract bound \(HTTP 203, code 200310\)/,
    );
  });

  it("an unknown event: exit 1 with the server's message, code and errorUUID", async () => {
    const r = await runEvsend(["--json", "eventhos", "send", "--event", "no-such-event", "{}"], {
      env: keyEnv(),
    });
    assert.equal(r.code, 1, r.stderr);
    const [last] = ndjson(r.stdout).slice(-1);
    assert.equal(last!.type, "error");
    assert.equal(last!.exitCode, 1);
    assert.match(
      String(last!.message),
      /^Eventhos refused event "no-such-event": the event does not exist \(HTTP 400, code 400202, errorUUID [0-9a-f-]{36}\): The event does not exist$/,
    );
  });

  it("invalid JSON: exit 5 with its line and column, nothing sent", async () => {
    await clear();
    await writeFile(join(home.home, "bad.json"), '{\n  "order": 42,\n  "items": [1, 2,]\n}\n');
    const r = await runEvsend(["eventhos", "send", "--data-file", "bad.json"], { env: keyEnv() });
    assert.equal(r.code, 5, r.stderr);
    assert.equal(
      r.stderr,
      'error: invalid JSON in bad.json at line 3, column 18: unexpected "]": expected a value\nhint: nothing was sent; fix the JSON and run again\n',
    );
    const scalar = await runEvsend(["eventhos", "send"], { env: keyEnv(), stdin: '"just text"\n' });
    assert.equal(scalar.code, 5);
    assert.match(scalar.stderr, /the event in stdin must be a JSON object or array, not a string/);
    assert.equal((await recorded()).length, 0);
  });

  it("--max-body refuses a larger event before sending (exit 5)", async () => {
    const r = await runEvsend(["eventhos", "send", "--max-body", "10", '{"long": "text"}'], {
      env: keyEnv(),
    });
    assert.equal(r.code, 5);
    assert.match(r.stderr, /^error: the event in the argument is over --max-body \(10 B\)$/m);
  });

  it("both configured: the access key wins, said in --verbose", async () => {
    const r = await runEvsend(["-v", "eventhos", "send", "{}"], {
      env: { ...clientEnv(), EVSEND_EVENTHOS_ACCESS_KEY: KEY },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /both configured; using the access key/);
    assert.doesNotMatch(r.stderr, /token/);
  });

  it("neither configured: exit 3 naming both ways", async () => {
    const r = await runEvsend(["eventhos", "send", "{}"], { env: base });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /missing Eventhos credentials/);
    assert.match(r.stderr, /--access-key-file.*--client-id.*--client-secret-file/);
  });

  it("no URL: exit 3 saying how to set it", async () => {
    const env = { ...keyEnv(), EVSEND_EVENTHOS_URL: "" };
    const r = await runEvsend(["eventhos", "send", "{}"], { env });
    assert.equal(r.code, 3);
    assert.match(
      r.stderr,
      /^error: missing Eventhos url: set --url, EVSEND_EVENTHOS_URL or eventhos\.url/m,
    );
    assert.match(r.stderr, /self-hosted/);
  });

  it("secrets never printed: --verbose, --dry-run, --json and errors", async () => {
    await writeFile(join(home.home, "key"), `${KEY}\n`, { mode: 0o600 });
    await writeFile(join(home.home, "secret"), `${SECRET}\n`, { mode: 0o600 });
    const token = await cachedToken();
    const runs = await Promise.all([
      runEvsend(["-v", "--json", "eventhos", "send", "--access-key-file", "key", "{}"], {
        env: base,
      }),
      runEvsend(["-n", "eventhos", "send", "--access-key-file", "key", "{}"], { env: base }),
      runEvsend(["-n", "--json", "eventhos", "send", "{}"], { env: clientEnv() }),
      runEvsend(
        [
          "-v",
          "--json",
          "eventhos",
          "send",
          "--client-id",
          CLIENT,
          "--client-secret-file",
          "secret",
          "{}",
        ],
        { env: base },
      ),
      // Errors: the server echoes nothing secret, but the messages must not either.
      runEvsend(
        [
          "-v",
          "eventhos",
          "send",
          "--event",
          "nope",
          "--client-id",
          CLIENT,
          "--client-secret-file",
          "secret",
          "{}",
        ],
        { env: base },
      ),
      runEvsend(["-v", "--json", "eventhos", "send", "{}"], {
        env: { ...base, EVSEND_EVENTHOS_ACCESS_KEY: token.slice(0, -2) },
      }),
    ]);
    assert.deepEqual(
      runs.map((r) => r.code),
      [0, 0, 0, 0, 1, 4],
    );
    assert.match(runs[1]!.stdout, /^ {2}access-key: \*\*\*\*$/m);
    assert.match(runs[4]!.stderr, /POST .*\/event\/send\?event-identifier=nope → 400/);
    assertHidden(
      runs.flatMap((r) => [r.stdout, r.stderr]),
      [KEY, SECRET, token, token.slice(0, -2)],
    );
  });
});
